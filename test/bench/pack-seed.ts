import * as Y from 'yjs';
import { addDays, addMonths } from '../../src/domain/dates.ts';
import { chainEntry, type LogHead } from '../../src/domain/evidence-log.ts';
import { sha256HexSync as sha256Hex } from '../../src/domain/sha256.ts';
import { canonicalJson } from '../../src/domain/signoff.ts';
import { briefingFromFields, briefingSnapshot } from '../../src/registers/briefings/model.ts';
import { checklistFromFields, checklistSnapshot, serializeItems, STANDARD_ITEMS } from '../../src/registers/checklists/model.ts';

/*
 * A year of a 200-person organisation, as Yjs updates to inject into a
 * device's IndexedDB (test/e2e/browser.ts injectUpdate), for the evidence
 * pack benchmark and its large e2e: people in 10 teams, 20 published
 * policies with 4,000 acknowledgements, 10 courses with 10,000 completions,
 * 12 signed checklists per team, 50 signed briefings, an agreement each and
 * 4 quarterly reviews. Evidence entries are chained per device, as the app
 * writes them.
 *
 * Plus ten new hires who started in the period (`NEW_HIRES`, unless
 * `newHires: false`): eight with a signed agreement, every policy
 * acknowledged and initial training done after they started; one of those
 * with an expired contract and one whose agreement has no security clauses;
 * and two (one the new COO) with neither an acknowledgement nor any training.
 */

/** The ten new hires of the seed: who they are and what is missing (the pack must name it). */
export const NEW_HIRES = [
  { name: 'Morgan Achterberg', jobTitle: 'Chief Operating Officer', months: 2, acks: false, training: false, agreement: 'ok' },
  { name: 'Priya Raman', jobTitle: 'Engineer', months: 3, acks: false, training: false, agreement: 'ok' },
  { name: 'Tomasz Nowak', jobTitle: 'Contractor', months: 9, acks: true, training: true, agreement: 'expired' },
  { name: 'Hannah Schmidt', jobTitle: 'Engineer', months: 8, acks: true, training: true, agreement: 'no-clauses' },
  { name: 'Oliver Grant', jobTitle: 'Engineer', months: 10, acks: true, training: true, agreement: 'ok' },
  { name: 'Amara Okafor', jobTitle: 'Analyst', months: 7, acks: true, training: true, agreement: 'ok' },
  { name: 'Lucas Moreau', jobTitle: 'Engineer', months: 6, acks: true, training: true, agreement: 'ok' },
  { name: 'Sofia Rossi', jobTitle: 'Designer', months: 5, acks: true, training: true, agreement: 'ok' },
  { name: 'Kenji Sato', jobTitle: 'Engineer', months: 4, acks: true, training: true, agreement: 'ok' },
  { name: 'Ingrid Larsen', jobTitle: 'Chief Financial Officer', months: 11, acks: true, training: true, agreement: 'ok' },
] as const;

export interface SeedOptions {
  today: string;
  people?: number;
  teams?: number;
  policies?: number;
  courses?: number;
  completionsPerPersonCourse?: number;
  briefings?: number;
  /** Add the ten NEW_HIRES (default true). */
  newHires?: boolean;
  /**
   * Also a disciplinary register: a two-tier process, this person (added to
   * People, team A) as its designated officer, and `decisions` sealed log
   * entries in the period (the plaintext codec the app still reads).
   */
  officer?: { name: string; decisions: number };
  /**
   * The device every entry is written on (default `seed-device`, with each acknowledgement on the person's own
   * phone). An e2e passes the phone's own device id, so its entries are its own history: the phone signs them,
   * as it signs what it writes, where another device's unsigned entries would count for nothing.
   */
  device?: string;
}

export interface Seed {
  updates: Partial<Record<'people' | 'policies' | 'acknowledgements' | 'training' | 'checklists' | 'briefings' | 'agreements' | 'reviews' | 'disciplinary', string>>;
  counts: { people: number; teams: number; policies: number; acknowledgements: number; courses: number; completions: number; checklists: number; briefings: number; agreements: number; reviews: number };
  personIds: string[];
  /** The new hires: id, name, start date and what the seed left missing. */
  newHires: Array<(typeof NEW_HIRES)[number] & { id: string; team: string; startDate: string }>;
}

const pad = (n: number, w = 4) => String(n).padStart(w, '0');
const b64 = (doc: Y.Doc) => Buffer.from(Y.encodeStateAsUpdate(doc)).toString('base64');

/** A register document being seeded: records as Y.Maps (one field per key), entries chained per device. */
function register() {
  const doc = new Y.Doc();
  const records = doc.getMap<Y.Map<unknown>>('records');
  const entries = doc.getMap<unknown>('entries');
  const heads = new Map<string, LogHead>();
  return {
    doc,
    record(id: string, fields: Record<string, unknown>) {
      const r = new Y.Map<unknown>();
      for (const [k, v] of Object.entries(fields)) r.set(k, v);
      records.set(id, r);
    },
    entry(entry: { id: string; deviceId: string }) {
      const chained = chainEntry(entry, entry.deviceId, heads.get(entry.deviceId));
      heads.set(entry.deviceId, { seq: chained.chain.seq, hash: chained.chain.hash });
      entries.set(entry.id, chained);
    },
  };
}

export function seedYear(opts: SeedOptions): Seed {
  const { today } = opts;
  const nPeople = opts.people ?? 200;
  const nTeams = opts.teams ?? 10;
  const nPolicies = opts.policies ?? 20;
  const nCourses = opts.courses ?? 10;
  const perPair = opts.completionsPerPersonCourse ?? 5;
  const nBriefings = opts.briefings ?? 50;
  const yearAgo = addMonths(today, -12);
  const teams = Array.from({ length: nTeams }, (_, i) => `Team ${String.fromCharCode(65 + i)}`);
  const personIds = Array.from({ length: nPeople }, (_, i) => `person-${pad(i)}`);
  const teamOf = (i: number) => teams[i % nTeams]!;
  const device = opts.device ?? 'seed-device';
  const phoneOf = (id: string) => opts.device ?? `phone-${id}`;
  const at = (day: string, h = 10) => `${day}T${String(h).padStart(2, '0')}:00:00.000Z`;
  const hires = (opts.newHires ?? true ? NEW_HIRES : []).map((h, k) => ({ ...h, id: `hire-${pad(k, 2)}`, team: teamOf(k), startDate: addMonths(today, -h.months) }));

  const people = register();
  people.doc.transact(() => {
    personIds.forEach((id, i) => people.record(id, { name: `Person ${pad(i)} ${['Zoë', 'Łukasz', 'José', 'Ana'][i % 4]}`, email: '', team: teamOf(i), jobTitle: 'Engineer', startDate: '2024-01-02', managerId: i < nTeams ? '' : personIds[i % nTeams]!, archived: false, createdAt: '2024-01-02T00:00:00.000Z' }));
    if (opts.officer) people.record('person-officer', { name: opts.officer.name, email: '', team: teams[0]!, jobTitle: 'HR lead', startDate: '2024-01-02', managerId: '', archived: false, createdAt: '2024-01-02T00:00:00.000Z' });
    for (const h of hires) people.record(h.id, { name: h.name, email: '', team: h.team, jobTitle: h.jobTitle, startDate: h.startDate, managerId: personIds[0]!, archived: false, createdAt: at(h.startDate, 8) });
  });

  const policies = register();
  const acks = register();
  let ackCount = 0;
  policies.doc.transact(() => {
    for (let p = 0; p < nPolicies; p++) {
      const id = `policy-${pad(p, 2)}`;
      const text = `Policy ${p}: rules everyone follows.`;
      const approvedOn = addDays(yearAgo, 5 + p);
      policies.record(id, { title: `Policy ${pad(p, 2)}`, ownerId: personIds[0]!, everyone: true, nextReviewDate: addMonths(approvedOn, 12), archived: false, createdAt: at(approvedOn), createdBy: 'Seed' });
      policies.entry({ id: `pub-${id}`, kind: 'publication', policyId: id, version: '1.0', text, textSha256: sha256Hex(text), approvedBy: 'CEO', approvedOn, publishedAt: at(approvedOn), byName: 'Seed', deviceId: device } as never);
      acks.doc.transact(() => {
        personIds.forEach((personId, i) => {
          const day = addDays(approvedOn, 1 + (i % 60));
          acks.entry({ id: `ack-${id}-${pad(i)}`, kind: 'acknowledgement', personId, policyId: id, version: '1.0', textSha256: sha256Hex(text), typedName: `Person ${pad(i)}`, at: at(day, 9 + (i % 8)), deviceId: phoneOf(pad(i)), byName: `Person ${pad(i)}` } as never);
          ackCount++;
        });
        for (const h of hires.filter((x) => x.acks)) {
          const day = addDays(h.startDate > approvedOn ? h.startDate : approvedOn, 2);
          acks.entry({ id: `ack-${id}-${h.id}`, kind: 'acknowledgement', personId: h.id, policyId: id, version: '1.0', textSha256: sha256Hex(text), typedName: h.name, at: at(day, 11), deviceId: phoneOf(h.id), byName: h.name } as never);
          ackCount++;
        }
      });
    }
  });

  const training = register();
  let completions = 0;
  training.doc.transact(() => {
    for (let c = 0; c < nCourses; c++) {
      const courseId = `course-${pad(c, 2)}`;
      training.record(courseId, { title: `Course ${pad(c, 2)}`, renewalMonths: 12, everyone: true, provider: 'In-house', archived: false, createdAt: at(yearAgo), createdBy: 'Seed' });
      personIds.forEach((personId, i) => {
        for (let k = 0; k < perPair; k++) {
          const completedOn = addDays(yearAgo, 1 + ((k * 73 + i + c * 7) % 360));
          training.entry({ id: `tc-${c}-${pad(i)}-${k}`, kind: 'completion', personId, courseId, completedOn, provider: 'In-house', evidence: `Certificate ${c}-${i}-${k}`, expiresOn: addMonths(completedOn, 12), source: '', byName: 'Seed', at: at(completedOn, 12), deviceId: device } as never);
          completions++;
        }
      });
      for (const h of hires.filter((x) => x.training)) {
        const completedOn = addDays(h.startDate, 7 + c);
        training.entry({ id: `tc-${c}-${h.id}`, kind: 'completion', personId: h.id, courseId, completedOn, provider: 'In-house', evidence: `Induction ${c}`, expiresOn: addMonths(completedOn, 12), source: '', byName: 'Seed', at: at(completedOn, 12), deviceId: device } as never);
        completions++;
      }
    }
  });

  const checklists = register();
  const items = serializeItems(STANDARD_ITEMS);
  let nChecklists = 0;
  checklists.doc.transact(() => {
    for (let m = 12; m >= 1; m--) {
      const month = addMonths(today, -m).slice(0, 7);
      for (const team of teams) {
        const id = `cl-${team.replace(' ', '')}-${month}`;
        const fields: Record<string, unknown> = { team, month, items, createdAt: at(`${month}-02`), createdBy: 'Seed' };
        for (const item of STANDARD_ITEMS) fields[`item.${item.key}.status`] = 'done';
        // A note and an evidence reference on one answer: the minutes the pack must show.
        fields['item.compliance.note'] = `${team} ${month}: training log checked, two reminders sent`;
        fields['item.compliance.evidence'] = `LMS export ${team} ${month}`;
        checklists.record(id, fields);
        checklists.entry({ id: `so-${id}`, recordId: id, kind: 'signoff', byName: 'Seed Manager', at: at(`${month}-20`, 15), deviceId: device, note: '', snapshot: checklistSnapshot(checklistFromFields(id, fields)) } as never);
        nChecklists++;
      }
    }
  });

  const briefings = register();
  briefings.doc.transact(() => {
    for (let b = 0; b < nBriefings; b++) {
      const id = `br-${pad(b, 3)}`;
      const team = teams[b % nTeams]!;
      const date = addDays(yearAgo, 3 + b * 7);
      const fields: Record<string, unknown> = { date, team, notes: `Briefing ${b}: phishing, screen locks and the speak-up channel.`, 'topic.Phishing': true, createdAt: at(date, 9), createdBy: 'Seed' };
      personIds.forEach((pid, i) => {
        if (teamOf(i) === team) fields[`attendee.${pid}`] = true;
      });
      // The first briefing's whiteboard photo: listed on the record, its bytes on another device.
      if (b === 0) fields[`att.${sha256Hex('whiteboard')}`] = { name: 'whiteboard.jpg', type: 'image/jpeg', size: 245_760, addedBy: 'Seed Manager', addedAt: at(date, 10) };
      briefings.record(id, fields);
      briefings.entry({ id: `so-${id}`, recordId: id, kind: 'signoff', byName: 'Seed Manager', at: at(date, 11), deviceId: device, note: '', snapshot: briefingSnapshot(briefingFromFields(id, fields)) } as never);
    }
  });

  const agreements = register();
  agreements.doc.transact(() => {
    personIds.forEach((pid, i) => agreements.record(`ag-${pad(i)}`, { partyPersonId: pid, partyName: '', type: 'employment', signedOn: '2024-01-02', expiresOn: '', securityClauses: true, policyRefs: '', documentRef: `HR-${i}`, notes: '', archived: false, createdAt: '2024-01-02T00:00:00.000Z', createdBy: 'Seed' }));
    for (const h of hires) {
      const expired = h.agreement === 'expired';
      agreements.record(`ag-${h.id}`, { partyPersonId: h.id, partyName: '', type: expired ? 'contractor' : 'employment', signedOn: addDays(h.startDate, -7), expiresOn: expired ? addDays(today, -20) : '', securityClauses: h.agreement !== 'no-clauses', policyRefs: '', documentRef: `HR-${h.id}`, notes: '', archived: false, createdAt: at(addDays(h.startDate, -7)), createdBy: 'Seed' });
    }
  });

  const reviews = register();
  reviews.doc.transact(() => {
    for (let q = 0; q < 4; q++) {
      const date = addDays(yearAgo, 30 + q * 91);
      reviews.record(`rev-${q}`, { date, periodFrom: addDays(date, -91), periodTo: addDays(date, -1), chairId: personIds[0]!, [`attendee.${personIds[0]}`]: true, changes: `Quarter ${q + 1}: new office in Leeds`, auditFindings: `Quarter ${q + 1}: two laptops without disk encryption`, incidents: `Quarter ${q + 1}: one phishing click, contained`, createdAt: at(date), createdBy: 'Seed' });
    }
  });

  const disciplinary = register();
  if (opts.officer) {
    disciplinary.doc.transact(() => {
      disciplinary.record('tier-1', { type: 'tier', name: 'Accidental error', appliesWhen: 'A first mistake.', consequence: 'Coaching.', order: 1, archived: false, createdAt: at(yearAgo), createdBy: 'Seed' });
      disciplinary.record('tier-2', { type: 'tier', name: 'Negligence', appliesWhen: 'Rules ignored.', consequence: 'Written warning.', order: 2, archived: false, createdAt: at(yearAgo), createdBy: 'Seed' });
      disciplinary.record('officer.person-officer', { type: 'officer', personId: 'person-officer', designated: true, byName: opts.officer!.name, at: at(yearAgo), deviceId: device });
      for (let d = 0; d < opts.officer!.decisions; d++) {
        const date = addDays(yearAgo, 40 + d * 30);
        const entry = { id: `dc-${d}`, kind: 'entry', personId: personIds[d + 20]!, date, policyId: 'policy-00', policy: 'Policy 00', tierId: d % 2 ? 'tier-2' : 'tier-1', tierName: d % 2 ? 'Negligence' : 'Accidental error', facts: `Confidential facts ${d}`, outcome: `Outcome ${d}`, decidedById: 'person-officer', evidence: '', byName: opts.officer!.name, at: at(date), deviceId: device };
        disciplinary.entry({ id: `dc-${d}`, kind: 'sealed', codec: 'plaintext-base64-v1', sealed: Buffer.from(canonicalJson(entry)).toString('base64'), deviceId: device } as never);
      }
    });
  }

  return {
    updates: { ...(opts.officer ? { disciplinary: b64(disciplinary.doc) } : {}), people: b64(people.doc), policies: b64(policies.doc), acknowledgements: b64(acks.doc), training: b64(training.doc), checklists: b64(checklists.doc), briefings: b64(briefings.doc), agreements: b64(agreements.doc), reviews: b64(reviews.doc) },
    counts: { people: nPeople + hires.length + (opts.officer ? 1 : 0), teams: nTeams, policies: nPolicies, acknowledgements: ackCount, courses: nCourses, completions, checklists: nChecklists, briefings: nBriefings, agreements: nPeople + hires.length, reviews: 4 },
    personIds,
    newHires: hires,
  };
}
