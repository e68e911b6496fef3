import { createMemo } from 'solid-js';
import type * as Y from 'yjs';
import { localIsoDate } from '../../domain/dates';
import type { Validated } from '../../domain/validation';
import { randomId } from '../../store/device-records';
import { createDocView } from '../../store/reactive';
import { appendEntry, createRecord, readFields, setFields } from '../../store/records';
import type { Signer } from '../../store/signoffs';
import {
  ANNUAL_AWARENESS,
  audienceFields,
  type BulkCompletionInput,
  bulkTargets,
  type Completion,
  type CompletionCorrection,
  type CompletionInput,
  type Course,
  courseFromFields,
  type CourseInput,
  parseTrainingEntries,
  validateCompletion,
  validateCorrectionReason,
  validateCourse,
} from './model';

/**
 * The training log, bound to the workspace's "training" document: courses
 * (editable records) and completions (append-only evidence).
 *
 * @example
 * const training = createTrainingStore(docs.training);
 * const c = training.addCourse({ title: 'Phishing', renewalMonths: 12, audience: EVERYONE, provider: '' });
 * training.record({ personId, courseId, completedOn: '2026-11-25', provider: '', evidence: '', expiresOn: '' }, signer);
 */
export function createTrainingStore(doc: Y.Doc) {
  const view = createDocView(doc);
  const courses = createMemo(() =>
    [...view.records()].map(([id, f]) => courseFromFields(id, f)).sort((a, b) => Number(a.archived) - Number(b.archived) || a.title.localeCompare(b.title)),
  );
  const courseById = createMemo(() => new Map(courses().map((c) => [c.id, c])));
  const parsed = createMemo(() => parseTrainingEntries(view.entries()));
  /** Every completion, voided ones included (marked `voidedBy`). */
  const allCompletions = createMemo(() => parsed().completions);
  /** Completions that count: not voided. */
  const completions = createMemo(() => allCompletions().filter((c) => !c.voidedBy));
  const completionById = createMemo(() => new Map(allCompletions().map((c) => [c.id, c])));

  const entryMeta = (signer: Signer) => ({
    byName: signer.name,
    ...(signer.personId ? { byPersonId: signer.personId } : {}),
    at: new Date().toISOString(),
    deviceId: signer.deviceId,
  });

  /** Validates once for everyone, then appends one completion per person in a single transaction. */
  function recordMany(personIds: readonly string[], input: BulkCompletionInput, signer: Signer, source: string, today: string): Validated<Completion[]> {
    if (personIds.length === 0) return { ok: false, errors: { personId: 'Nobody to record: choose people first.' } };
    const course = courseById().get(input.courseId);
    const checked = validateCompletion({ ...input, personId: personIds[0]! }, course, today);
    if (!checked.ok) return checked;
    const { record } = bulkTargets(personIds, input.courseId, checked.value.completedOn, completions());
    if (record.length === 0) {
      return personIds.length === 1 && !source
        ? { ok: false, errors: { completedOn: 'This person already has this course recorded on that date.' } }
        : { ok: false, errors: { personId: 'Everyone chosen already has this course recorded on that date.' } };
    }
    const { personId: _first, ...common } = checked.value;
    const meta = entryMeta(signer);
    const written: Completion[] = record.map((personId) => ({ id: randomId(), kind: 'completion', personId, ...common, source, ...meta }));
    doc.transact(() => {
      for (const c of written) appendEntry(doc, c);
    });
    return { ok: true, value: written };
  }

  function addCourse(input: CourseInput, createdBy = ''): Validated<Course> {
    const result = validateCourse(input, courses());
    if (!result.ok) return result;
    const id = randomId();
    const { audience, ...rest } = result.value;
    const fields = { ...rest, ...audienceFields(audience), archived: false, createdAt: new Date().toISOString(), createdBy };
    createRecord(doc, id, fields);
    return { ok: true, value: courseFromFields(id, fields) };
  }

  return {
    view,
    courses,
    activeCourses: createMemo(() => courses().filter((c) => !c.archived)),
    courseById,
    allCompletions,
    completions,
    completionById,
    corrections: createMemo(() => parsed().corrections),

    addCourse,
    /** The one-tap starter: annual security awareness for everyone, renewed every 12 months. */
    addAnnualAwareness: (createdBy = ''): Validated<Course> => addCourse(ANNUAL_AWARENESS, createdBy),
    updateCourse(id: string, input: CourseInput): Validated<Course> {
      const before = readFields(doc, id);
      if (!before) return { ok: false, errors: { _: 'That course is not on this device.' } };
      const result = validateCourse(input, courses(), id);
      if (!result.ok) return result;
      const { audience, ...rest } = result.value;
      setFields(doc, id, { ...rest, ...audienceFields(audience, before) });
      return { ok: true, value: courseFromFields(id, readFields(doc, id) ?? {}) };
    },
    setCourseArchived(id: string, archived: boolean) {
      if (readFields(doc, id)) setFields(doc, id, { archived });
    },

    /** Appends one completion; the expiry is computed from the course unless entered. */
    record(input: CompletionInput, signer: Signer, today = localIsoDate()): Validated<Completion> {
      const r = recordMany([input.personId], input, signer, '', today);
      return r.ok ? { ok: true, value: r.value[0]! } : r;
    },
    /** One completion per attendee of a briefing (each once; those already recorded that day are skipped). */
    recordForBriefing(briefing: { id: string; attendees: readonly string[] }, input: BulkCompletionInput, signer: Signer, today = localIsoDate()): Validated<Completion[]> {
      if (briefing.attendees.length === 0) return { ok: false, errors: { briefingId: 'Nobody is marked present at that briefing.' } };
      return recordMany(briefing.attendees, input, signer, `briefing:${briefing.id}`, today);
    },
    /** One completion per person listed (e.g. the members of a team). */
    recordForTeam(team: string, personIds: readonly string[], input: BulkCompletionInput, signer: Signer, today = localIsoDate()): Validated<Completion[]> {
      if (personIds.length === 0) return { ok: false, errors: { team: 'Nobody is in that team.' } };
      return recordMany(personIds, input, signer, `team:${team}`, today);
    },
    /** Voids a completion with a new correction entry; the completion itself is never changed. */
    correct(completionId: string, reason: string, signer: Signer): string | undefined {
      const target = completionById().get(completionId);
      if (!target) return 'That completion is not in the training log.';
      if (target.voidedBy) return 'That completion has already been corrected.';
      const error = validateCorrectionReason(reason);
      if (error) return error;
      const entry: CompletionCorrection = { id: randomId(), kind: 'correction', corrects: completionId, reason: reason.trim(), ...entryMeta(signer) };
      appendEntry(doc, entry);
      return undefined;
    },
  };
}

export type TrainingStore = ReturnType<typeof createTrainingStore>;
