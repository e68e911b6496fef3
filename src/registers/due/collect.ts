import { type Accessor, createMemo, createSignal, onCleanup } from 'solid-js';
import { localIsoDate } from '../../domain/dates';
import { actionDuties, type Duty, sortDuties } from '../../domain/schedules';
import type { Session } from '../../ui/session';
import type { DueEntry, RegisterDescriptor } from '../../ui/register';

/** The registers the due list reads. */
export type DueSession = Pick<Session, 'people' | 'checklists' | 'policies' | 'training' | 'roles' | 'agreements' | 'reviews' | 'briefings' | 'members'>;


/**
 * Today's local date as a signal: rechecked every minute and when the app
 * comes back to the foreground, so a phone left open overnight moves on.
 */
export function createToday(): Accessor<string> {
  const [today, setToday] = createSignal(localIsoDate());
  const refresh = () => setToday(localIsoDate());
  const timer = setInterval(refresh, 60_000);
  document.addEventListener('visibilitychange', refresh);
  onCleanup(() => {
    clearInterval(timer);
    document.removeEventListener('visibilitychange', refresh);
  });
  return today;
}

/**
 * What each register adds to Due (its descriptor's `due`), found by glob: Due
 * names no register. The glob sits inside the function on purpose: the
 * descriptors import this file (Due's own does), so their modules are read
 * when a due list is made, after every descriptor has run, not while this
 * module is still loading.
 */
const dueEntries = (): DueEntry[] =>
  Object.values(import.meta.glob<{ register: RegisterDescriptor }>('../*/register.ts', { eager: true })).flatMap((m) => (m?.register?.due ? [m.register.due] : []));

/**
 * Every duty of the workspace, kept up to date. Each register's duties are
 * their own memo, so an edit to one register recomputes only that register's
 * duties (a checklist answer does not walk 10,000 training records).
 */
export function createDue(s: DueSession, today: Accessor<string>, entries: readonly DueEntry[] = dueEntries()): Accessor<Duty[]> {
  const session = s as Session;
  // A register whose store loads after Home gives nothing until then: each memo also reads when the later stores arrived.
  const later = () => session.laterReady?.();
  const duties = entries.flatMap((e) => (e.duties ? [createMemo(() => (later(), e.duties!(session, today())))] : []));
  const actions = createMemo(() => (later(), actionDuties(entries.flatMap((e) => e.actions?.(session) ?? []), today())));
  return createMemo(() => sortDuties([...duties.flatMap((d) => d()), ...actions()]));
}
