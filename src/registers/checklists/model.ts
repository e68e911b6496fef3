import type { Reader } from '../../evidence/context';
import * as v from 'valibot';
import { formatMonth, isIsoDate, isIsoMonth, localIsoDate } from '../../domain/dates';
import type { Session } from '../../ui/session';
import { type DueAction, workspaceCreatedOn } from '../../domain/schedules';
import { canonicalJson, parseSignOffEntry, type SignOffEntry, type SignOffState, signOffState } from '../../domain/signoff';
import { validateWith, type Validated } from '../../domain/validation';
import { type ActionInput, actionField, actionOfField, type BriefingAction, compareActions, readBriefings, validateAction } from '../briefings/model';
import { memberFromFields } from '../members/model';

export type ItemStatus = 'done' | 'not-done' | 'na';

export interface TemplateItem {
  key: string;
  title: string;
  /** What counts as evidence for this action. */
  evidenceHint: string;
}

/** The manager's monthly checklist of ISO 27001 A 5.4. Workspaces can add items (settings). */
export const STANDARD_ITEMS: readonly TemplateItem[] = [
  { key: 'brief', title: 'Brief the team', evidenceHint: 'Briefing minutes' },
  { key: 'compliance', title: 'Check compliance', evidenceHint: 'Training log' },
  { key: 'enforce', title: 'Enforce rules', evidenceHint: 'Disciplinary note or email record' },
  { key: 'lead', title: 'Lead by example', evidenceHint: 'Observation' },
];

/** The item whose evidence is a briefing's minutes. */
export const BRIEF_ITEM_KEY = 'brief';

export interface ItemState {
  status: ItemStatus | '';
  note: string;
  /** Free-text evidence reference (document, email subject, link). */
  evidence: string;
  /** For the "Brief the team" item: the briefing minutes it points to. */
  briefingId: string;
}

/**
 * A follow-up agreed for an item answered "not done": stored like a briefing's
 * actions, one field `action.<id>` → { text, ownerId, due, done, item[, deleted] }.
 */
export interface ChecklistAction extends BriefingAction {
  /** Key of the item it follows up. */
  item: string;
}

export interface Checklist {
  id: string;
  team: string;
  /** ISO month, e.g. "2026-11". */
  month: string;
  items: TemplateItem[];
  state: Record<string, ItemState>;
  /** Follow-up actions, not deleted, by due date. Not part of what a sign-off covers. */
  actions: ChecklistAction[];
  createdAt: string;
  createdBy: string;
}

/**
 * Field names in storage. Every item part is its own field so two people
 * editing different items (or the note and the status of one) both keep theirs.
 */
export const itemField = (key: string, part: keyof ItemState) => `item.${key}.${part}`;

const STATUSES: readonly string[] = ['done', 'not-done', 'na'];

export function checklistFromFields(id: string, f: Record<string, unknown>): Checklist {
  const items = parseItems(f['items']);
  const state: Record<string, ItemState> = {};
  const s = (k: string) => (typeof f[k] === 'string' ? (f[k] as string) : '');
  for (const item of items) {
    const status = s(itemField(item.key, 'status'));
    state[item.key] = {
      status: STATUSES.includes(status) ? (status as ItemStatus) : '',
      note: s(itemField(item.key, 'note')),
      evidence: s(itemField(item.key, 'evidence')),
      briefingId: s(itemField(item.key, 'briefingId')),
    };
  }
  const actions: ChecklistAction[] = [];
  for (const [k, val] of Object.entries(f)) {
    const action = actionOfField(k, val);
    const item = (val as { item?: unknown } | undefined)?.item;
    if (action && typeof item === 'string') actions.push({ ...action, item });
  }
  actions.sort((a, b) => compareActions(a, b) || a.id.localeCompare(b.id));
  return { id, team: s('team'), month: s('month'), items, state, actions, createdAt: s('createdAt'), createdBy: s('createdBy') };
}

export { actionField };

/** Open actions with a due date, for Due (one function per register: see `DueAction`). */
export function checklistDueActions(checklists: Iterable<Checklist>): DueAction[] {
  const out: DueAction[] = [];
  for (const c of checklists) {
    for (const a of c.actions) {
      if (a.done || !isIsoDate(a.due)) continue;
      const item = c.items.find((i) => i.key === a.item)?.title ?? a.item;
      out.push({ id: `checklists:${c.id}:${a.id}`, text: a.text, due: a.due, ownerId: a.ownerId, team: c.team, source: `${c.team} checklist, ${formatMonth(c.month)}: ${item}`, href: `#/checklists/${encodeURIComponent(c.id)}` });
    }
  }
  return out;
}
export type ChecklistActionInput = ActionInput & { item: string };

/** An action for one of the checklist's items: the briefing rules (text, optional owner, optional ISO due date) plus a known item. */
export function validateChecklistAction(c: Pick<Checklist, 'items'>, input: ChecklistActionInput): Validated<ChecklistActionInput> {
  if (!c.items.some((i) => i.key === input.item)) return { ok: false, errors: { text: 'That item is not on this checklist.' } };
  const result = validateAction({ text: input.text, ownerId: input.ownerId, due: input.due, done: input.done });
  return result.ok ? { ok: true, value: { ...result.value, item: input.item } } : result;
}

function parseItems(raw: unknown): TemplateItem[] {
  if (typeof raw !== 'string') return [...STANDARD_ITEMS];
  try {
    const parsed = JSON.parse(raw) as unknown;
    if (!Array.isArray(parsed)) return [...STANDARD_ITEMS];
    return parsed.filter(
      (i): i is TemplateItem => !!i && typeof i.key === 'string' && typeof i.title === 'string' && typeof i.evidenceHint === 'string',
    );
  } catch {
    return [...STANDARD_ITEMS];
  }
}

export const serializeItems = (items: readonly TemplateItem[]) => JSON.stringify(items);

export interface NewChecklistInput {
  team: string;
  month: string;
}

const newChecklistSchema = v.object({
  team: v.pipe(v.string(), v.trim(), v.minLength(1, 'Choose the team this checklist is for.')),
  month: v.pipe(v.string(), v.trim(), v.check(isIsoMonth, 'Enter the month as YYYY-MM, e.g. 2026-11.')),
});

/** A team has one checklist a month: a second one is refused, pointing at the first. */
export function validateNewChecklist(input: NewChecklistInput, existing: Iterable<Checklist>): Validated<NewChecklistInput> {
  const result = validateWith(newChecklistSchema, input);
  if (!result.ok) return result;
  for (const c of existing) {
    if (c.team === result.value.team && c.month === result.value.month) {
      return { ok: false, errors: { month: `${c.team} already has a checklist for ${c.month}.` } };
    }
  }
  return result;
}

/** The longest note or evidence reference an item keeps. */
export const NOTE_MAX = 2000;

export const validateNote = (note: string): string | undefined =>
  note.length > NOTE_MAX ? `Keep it under ${NOTE_MAX.toLocaleString('en-GB')} characters: this has ${note.length.toLocaleString('en-GB')}, so it is not saved yet.` : undefined;

/**
 * What a sign-off covers: the answers to every item (status, note, evidence,
 * linked minutes). Follow-up actions are not in it: ticking one off later is
 * follow-up, not an edit of what was signed. Neither are item photos.
 */
export function checklistSnapshot(c: Checklist): string {
  return canonicalJson({ team: c.team, month: c.month, items: c.items.map((i) => ({ key: i.key, ...c.state[i.key] })) });
}

export const unansweredItems = (c: Checklist) => c.items.filter((i) => !c.state[i.key]?.status);

/** The manager may sign off once every item has an answer (done, not done or N/A). */
export const canSignOff = (c: Checklist) => c.items.length > 0 && unansweredItems(c).length === 0;

export type ChecklistStatus =
  | 'in-progress' // some item has no answer yet
  | 'ready' // every item answered, not signed off
  | 'complete' // signed off and every item done or N/A
  | 'signed-with-gaps' // signed off, but some item was not done
  | 'changed'; // signed off, then edited: needs a new sign-off

/** The checklist's standing sign-off, and whether it counts as signed (its status is complete or signed with gaps). */
export function checklistSignOff(c: Checklist, history: SignOffEntry[]): { state: SignOffState; status: ChecklistStatus; signed: boolean } {
  const state = signOffState(history, checklistSnapshot(c));
  const status = statusOf(c, state);
  return { state, status, signed: status === 'complete' || status === 'signed-with-gaps' };
}

export function checklistStatus(c: Checklist, history: SignOffEntry[]): ChecklistStatus {
  return statusOf(c, signOffState(history, checklistSnapshot(c)));
}

function statusOf(c: Checklist, signed: SignOffState): ChecklistStatus {
  if (signed.state === 'changed') return 'changed';
  if (signed.state === 'signed') {
    return c.items.every((i) => c.state[i.key]?.status === 'done' || c.state[i.key]?.status === 'na') ? 'complete' : 'signed-with-gaps';
  }
  return canSignOff(c) ? 'ready' : 'in-progress';
}

export const STATUS_LABELS: Record<ChecklistStatus, string> = {
  'in-progress': 'In progress',
  ready: 'Ready to sign',
  complete: 'Complete',
  'signed-with-gaps': 'Signed, with gaps',
  changed: 'Changed since sign-off',
};

/** A workspace's extra checklist items: title required, no duplicates of existing titles. */
export function validateTemplateItem(title: string, evidenceHint: string, existing: readonly TemplateItem[]): Validated<{ title: string; evidenceHint: string }> {
  const t = title.trim();
  if (!t) return { ok: false, errors: { title: 'Enter what the manager should do.' } };
  if (t.length > 120) return { ok: false, errors: { title: 'Keep the action under 120 characters.' } };
  if (existing.some((i) => i.title.toLowerCase() === t.toLowerCase())) return { ok: false, errors: { title: 'The checklist already has this action.' } };
  return { ok: true, value: { title: t, evidenceHint: evidenceHint.trim() } };
}

/**
 * Two devices offline can each start the same team's checklist for a month.
 * Both are kept (nothing is lost); the list flags them so a manager can finish one.
 */
export function duplicateIds(checklists: readonly Checklist[]): Set<string> {
  const seen = new Map<string, string>();
  const dupes = new Set<string>();
  for (const c of checklists) {
    const key = `${c.team}\u0000${c.month}`;
    const first = seen.get(key);
    if (first) {
      dupes.add(first);
      dupes.add(c.id);
    } else seen.set(key, c.id);
  }
  return dupes;
}

/** Checklists, by month then team. */
export const readChecklists: Reader<Checklist[]> = (src) => src.records('checklists').map(([id, f]) => checklistFromFields(id, f)).sort((a, b) => a.month.localeCompare(b.month) || a.team.localeCompare(b.team));

/** Sign-off entries of the checklists document. */
export const readChecklistEntries: Reader<SignOffEntry[]> = (src) => src.entries('checklists').map(parseSignOffEntry).filter((e): e is SignOffEntry => !!e);

/** The local day the workspace started (`workspaceCreatedOn`): its first device's joining, or an earlier record restored from a backup. */
export const readWorkspaceCreated: Reader<string | undefined> = (src) =>
  workspaceCreatedOn(
    { members: src.records('members').map(([id, f]) => ({ joinedAt: memberFromFields(id, f)?.joinedAt ?? '' })), checklists: src.read(readChecklists), briefings: src.read(readBriefings), signOffs: src.read(readChecklistEntries) },
    (at) => src.dayOf(at),
  );

/** The same day from the live session's stores: Home's checklists due, Due, and the review's KPIs read it. */
export const liveWorkspaceCreated = (s: Pick<Session, 'members' | 'checklists' | 'briefings'>) =>
  workspaceCreatedOn({ members: s.members.all(), checklists: s.checklists.all(), briefings: s.briefings.all(), signOffs: s.checklists.entries() }, (at) => localIsoDate(new Date(at)));
