import type { Source } from '../../evidence/context';
import { readAcks } from '../acknowledgements/model';
import { readAgreements } from '../agreements/model';
import { readBriefings } from '../briefings/model';
import { readChecklistEntries, readChecklists, readWorkspaceCreated } from '../checklists/model';
import { readPeople } from '../people/model';
import { readPolicies, readPublications } from '../policies/model';
import { readCompletions, readCourses } from '../training/model';
import type { KpiInput } from './kpis';
import { type ManagementReview, readReviews, reviewKpiActions } from './model';

/**
 * The registers as `computeKpis` reads them, for one review (the whole
 * organisation: reviews are not per team). One function for the review screen
 * (the live documents, src/store/live-source.ts) and the evidence pack (its
 * JSON), so both read the same records, parsed and sorted the same way.
 */
export function kpiInputOf(src: Source, review: ManagementReview, more: { rolesByPerson: Map<string, string[]>; speakUp?: KpiInput['speakUp'] | undefined }): KpiInput {
  return {
    people: src.read(readPeople),
    rolesByPerson: more.rolesByPerson,
    policies: src.read(readPolicies),
    publications: src.read(readPublications),
    acks: src.read(readAcks),
    courses: src.read(readCourses),
    completions: src.read(readCompletions),
    checklists: src.read(readChecklists),
    checklistEntries: src.read(readChecklistEntries),
    briefings: src.read(readBriefings),
    reviewActions: reviewKpiActions(src.read(readReviews), review),
    agreements: src.read(readAgreements),
    // Speak-up: days received and closed only, never content; left out while the channel is not in use.
    ...(more.speakUp ? { speakUp: more.speakUp } : {}),
    dayOf: (at) => src.dayOf(at),
    workspaceCreated: src.read(readWorkspaceCreated),
  };
}
