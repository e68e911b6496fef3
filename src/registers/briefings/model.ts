import type { Reader } from '../../evidence/context';
import * as v from 'valibot';
import { formatDate, isIsoDate } from '../../domain/dates';
import { FOLLOW_UP_KEYS, type FollowUp, followUpOf } from '../../domain/follow-up';
import type { DueAction } from '../../domain/schedules';
import { canonicalJson, type SignOffEntry, type SignOffState, signOffState, withoutFollowUp } from '../../domain/signoff';
import { validateWith, type Validated } from '../../domain/validation';

export interface BriefingAction extends FollowUp {
  id: string;
  text: string;
  ownerId: string;
  /** ISO date or ''. */
  due: string;
  /** Follow-up, not part of what a sign-off pins: see src/domain/follow-up.ts. */
  done: boolean;
}

export interface Briefing {
  id: string;
  date: string;
  team: string;
  /** Person ids marked present. */
  attendees: string[];
  topics: string[];
  notes: string;
  actions: BriefingAction[];
  createdAt: string;
  createdBy: string;
}

/** Suggested topics: tap to add, or type your own. */
export const SUGGESTED_TOPICS: readonly string[] = [
  'Screen locking',
  'Password manager',
  'How to report incidents',
  'Phishing',
  'Clean desk',
  'Working remotely',
  'Acceptable use',
  'Speak-up channel',
];

/*
 * Storage: attendance, topics and actions are one field each
 * ("attendee.<personId>", "topic.<name>", "action.<id>") so that two devices
 * ticking different people or adding different topics both keep their change.
 */
export const attendeeField = (personId: string) => `attendee.${personId}`;
export const topicField = (topic: string) => `topic.${topic}`;
export const actionField = (actionId: string) => `action.${actionId}`;

/** An `action.<id>` field read as an action: undefined for a deleted action or a value that is not one. */
export function actionOfField(key: string, val: unknown): BriefingAction | undefined {
  if (!key.startsWith('action.') || !val || typeof val !== 'object') return undefined;
  const a = val as Partial<BriefingAction> & { deleted?: boolean };
  if (a.deleted) return undefined;
  return { id: key.slice('action.'.length), text: a.text ?? '', ownerId: a.ownerId ?? '', due: a.due ?? '', done: a.done === true, ...followUpOf(val as Record<string, unknown>) };
}

/** Actions by due date (undated last), then text. */
export const compareActions = (a: BriefingAction, b: BriefingAction) => (a.due || '9999').localeCompare(b.due || '9999') || a.text.localeCompare(b.text);

export function briefingFromFields(id: string, f: Record<string, unknown>): Briefing {
  const s = (k: string) => (typeof f[k] === 'string' ? (f[k] as string) : '');
  const attendees: string[] = [];
  const topics: string[] = [];
  const actions: BriefingAction[] = [];
  for (const [k, val] of Object.entries(f)) {
    if (k.startsWith('attendee.') && val === true) attendees.push(k.slice('attendee.'.length));
    else if (k.startsWith('topic.') && val === true) topics.push(k.slice('topic.'.length));
    else {
      const action = actionOfField(k, val);
      if (action) actions.push(action);
    }
  }
  topics.sort((a, b) => a.localeCompare(b));
  actions.sort(compareActions);
  return { id, date: s('date'), team: s('team'), attendees, topics, notes: s('notes'), actions, createdAt: s('createdAt'), createdBy: s('createdBy') };
}

const briefingSchema = v.object({
  date: v.pipe(v.string(), v.trim(), v.check(isIsoDate, 'Enter the date as YYYY-MM-DD, e.g. 2026-11-25.')),
  team: v.pipe(v.string(), v.trim(), v.minLength(1, 'Choose the team that was briefed.')),
  notes: v.pipe(v.string(), v.maxLength(10000, 'Keep the notes under 10,000 characters.')),
});

export type BriefingHeader = Pick<Briefing, 'date' | 'team' | 'notes'>;

export const validateBriefingHeader = (input: BriefingHeader): Validated<BriefingHeader> => validateWith(briefingSchema, input);

const actionSchema = v.object({
  text: v.pipe(v.string(), v.trim(), v.minLength(1, 'Describe the action.'), v.maxLength(500, 'Keep the action under 500 characters.')),
  ownerId: v.string(),
  due: v.pipe(v.string(), v.trim(), v.check((s) => s === '' || isIsoDate(s), 'Enter the due date as YYYY-MM-DD, or leave it empty.')),
  done: v.boolean(),
});

export type ActionInput = Omit<BriefingAction, 'id' | keyof FollowUp>;

export const validateAction = (input: ActionInput): Validated<ActionInput> => validateWith(actionSchema, input);

export function validateTopic(topic: string): Validated<string> {
  const t = topic.trim();
  if (!t) return { ok: false, errors: { topic: 'Type a topic first.' } };
  if (t.length > 80) return { ok: false, errors: { topic: 'Keep a topic under 80 characters.' } };
  return { ok: true, value: t };
}

/**
 * What the manager saw when signing the minutes. It holds each action's
 * done state as evidence of that moment, but the sign-off pins only what was
 * decided (`decidedMinutes`): ticking an action off later is follow-up.
 */
export function briefingSnapshot(b: Briefing): string {
  return canonicalJson({
    date: b.date,
    team: b.team,
    attendees: [...b.attendees].sort(),
    topics: b.topics,
    notes: b.notes,
    actions: b.actions.map(({ id, text, ownerId, due, done, doneOn, doneBy }) => ({ id, text, ownerId, due, done, doneOn, doneBy })),
  });
}

/** A minutes snapshot without follow-up, old ones (which held only `done`) included. */
export const decidedMinutes = withoutFollowUp(['actions.*'], FOLLOW_UP_KEYS);

/** The one sign-off state of a briefing's minutes: list, detail, CSV, PDF and the pack all call this. */
export const briefingStatus = (b: Briefing, history: SignOffEntry[]): SignOffState => signOffState(history, briefingSnapshot(b), decidedMinutes);

/** "Ops briefing, 3 Nov 2026": where an action comes from. */
export const briefingTitle = (b: Pick<Briefing, 'team' | 'date'>) => `${b.team} briefing, ${formatDate(b.date)}`;

/** Open actions with a due date, for Due (one function per register: see `DueAction`). */
export function briefingDueActions(briefings: Iterable<Briefing>): DueAction[] {
  const out: DueAction[] = [];
  for (const b of briefings) {
    for (const a of b.actions) {
      if (a.done || !isIsoDate(a.due)) continue;
      out.push({ id: `briefings:${b.id}:${a.id}`, text: a.text, due: a.due, ownerId: a.ownerId, team: b.team, source: briefingTitle(b), href: `#/briefings/${encodeURIComponent(b.id)}` });
    }
  }
  return out;
}

/** Briefings that can stand as evidence for a team's monthly "Brief the team" item. */
export function briefingsFor(briefings: Iterable<Briefing>, team: string, month: string): Briefing[] {
  return [...briefings].filter((b) => b.team === team && b.date.startsWith(month)).sort((a, b) => b.date.localeCompare(a.date));
}

/** Briefings, by date then team. */
export const readBriefings: Reader<Briefing[]> = (src) => src.records('briefings').map(([id, f]) => briefingFromFields(id, f)).sort((a, b) => a.date.localeCompare(b.date) || a.team.localeCompare(b.team));
