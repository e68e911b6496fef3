import * as v from 'valibot';
import { isIsoMonth } from '../../domain/dates';
import { canonicalJson, type SignOffEntry, type SignOffState, signOffState } from '../../domain/signoff';
import { validateWith, type Validated } from '../../domain/validation';

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

export interface Checklist {
  id: string;
  team: string;
  /** ISO month, e.g. "2026-11". */
  month: string;
  items: TemplateItem[];
  state: Record<string, ItemState>;
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
  return { id, team: s('team'), month: s('month'), items, state, createdAt: s('createdAt'), createdBy: s('createdBy') };
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

export const validateNote = (note: string): string | undefined =>
  note.length > 2000 ? 'Keep the note under 2,000 characters.' : undefined;

/** What a sign-off covers: the answers to every item. */
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
  const status = checklistStatus(c, history);
  return { state, status, signed: status === 'complete' || status === 'signed-with-gaps' };
}

export function checklistStatus(c: Checklist, history: SignOffEntry[]): ChecklistStatus {
  const signed = signOffState(history, checklistSnapshot(c));
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
