import { createMemo, createSignal, For, Match, Show, Switch } from 'solid-js';
import { formatDate } from '../../domain/dates';
import { type Duty, type DutyKind, type DutyStatus, dueSummary, filterDuties, groupDuties, KIND_LABELS, relativeDue, STATUS_LABELS } from '../../domain/schedules';
import { downloadCsv } from '../../evidence/download';
import { EmptyState, fileStamp, ScreenHeader } from '../../ui/common';
import { SelectField } from '../../ui/Field';
import { href, route } from '../../ui/router';
import { useSession } from '../../ui/session';
import { VirtualList } from '../../ui/VirtualList';
import { createTeamChoice, TeamSelect } from '../members/NoTeam';
import { createDue, createToday } from './collect';
import { dutiesCsv } from './export';
import './due.css';

/** Groups open on screen; "Later" and "Done" start folded. */
const OPEN: readonly DutyStatus[] = ['overdue', 'this-week', 'this-month'];
const FOLDED: readonly DutyStatus[] = ['later', 'done'];

const HINTS: Record<DutyStatus, string> = {
  overdue: 'Past its due date',
  'this-week': 'Today and the next 6 days',
  'this-month': 'In the next 30 days',
  later: 'More than 30 days away',
  done: 'Done for this period',
};

export const TONES: Record<DutyStatus, 'ok' | 'warn' | 'bad' | 'info' | 'muted'> = {
  overdue: 'bad',
  'this-week': 'warn',
  'this-month': 'info',
  later: 'muted',
  done: 'ok',
};

type Row = { type: 'head'; status: DutyStatus; count: number } | { type: 'duty'; duty: Duty };

/**
 * What is due: every recurring duty (monthly checklists, management review,
 * policy reviews, training renewals, agreement expiries) and every open action
 * with a due date (briefings, reviews), grouped by when,
 * filtered per team, person or kind. Computed on this device, so it works offline.
 * Route: #/due (optionally ?team=<name> or ?person=<id>).
 */
export default function DueScreen() {
  const s = useSession();
  const today = createToday();
  const duties = createDue(s, today);
  // ?team= is checked like any team field: another team's, or none such, is refused at the field.
  const teamChoice = createTeamChoice(route().params.get('team') ?? '');
  const team = () => teamChoice.value() ?? '';
  const [person, setPerson] = createSignal(route().params.get('person') ?? '');
  const [kind, setKind] = createSignal<DutyKind | ''>('');
  const [unfolded, setUnfolded] = createSignal<ReadonlySet<DutyStatus>>(new Set());
  /** One group only (tap a count), or '' for every group. */
  const [only, setOnly] = createSignal<DutyStatus | ''>('');
  const showOnly = (status: DutyStatus) => {
    setOnly(only() === status ? '' : status);
    window.scrollTo(0, 0);
  };

  const shown = createMemo(() => filterDuties(duties(), { team: team(), personId: person(), kind: kind() }));
  const summary = createMemo(() => dueSummary(shown()));
  const groups = createMemo(() => groupDuties(shown()));
  const openCount = () => summary().overdue + summary()['this-week'] + summary()['this-month'];
  const rows = createMemo<Row[]>(() => {
    const out: Row[] = [];
    for (const status of only() ? [only() as DutyStatus] : [...OPEN, ...FOLDED]) {
      const list = groups()[status];
      if (list.length === 0) continue;
      out.push({ type: 'head', status, count: list.length });
      if (only() || OPEN.includes(status) || unfolded().has(status)) for (const duty of list) out.push({ type: 'duty', duty });
    }
    return out;
  });
  const toggle = (status: DutyStatus) => {
    const next = new Set(unfolded());
    if (next.has(status)) next.delete(status);
    else next.add(status);
    setUnfolded(next);
  };

  const people = createMemo(() => s.access.visiblePeople().filter((p) => !p.archived && (!team() || p.team === team())));
  /** "for Sam Staff", "policy reviews for the Ops team", or '' when nothing is filtered. */
  const filterName = () => {
    const what = kind() ? `${KIND_LABELS[kind() as DutyKind].toLowerCase()}s` : '';
    const whom = person() ? s.people.nameOf(person()) : team() ? `the ${team()} team` : '';
    return [what, whom ? `for ${whom}` : ''].filter(Boolean).join(' ');
  };
  const chooseTeam = (t: string) => {
    teamChoice.set(t);
    const p = s.people.byId().get(person());
    if (t && p && p.team !== t) setPerson('');
  };
  const who = (d: Duty) => {
    const name = d.personId ? s.people.nameOf(d.personId) : '';
    // Checklists say their team in the title, actions in their source ("Ops briefing, 3 Nov 2026").
    return [name, d.team && d.kind !== 'checklist' && d.kind !== 'action' ? d.team : '', d.source ?? KIND_LABELS[d.kind]].filter(Boolean).join(' · ');
  };
  const exportCsv = () => downloadCsv(dutiesCsv(shown(), s.people.nameOf, today(), fileStamp()));

  return (
    <>
      <ScreenHeader title="Due" />
      <ul class="due-summary" aria-label="Counts: tap one to show only that group" data-testid="due-summary">
        <For each={OPEN}>
          {(status) => (
            <li>
              <button
                type="button"
                class={`due-count ${TONES[status]}`}
                classList={{ zero: summary()[status] === 0 }}
                data-status={status}
                aria-pressed={only() === status ? 'true' : 'false'}
                onClick={() => showOnly(status)}
              >
                <span class="due-count-n">{summary()[status]}</span>
                <span class="due-count-label">{STATUS_LABELS[status].toLowerCase()}</span>
              </button>
            </li>
          )}
        </For>
      </ul>
      <div class="filters row compact">
        <TeamSelect choice={teamChoice} onChange={chooseTeam} placeholder="All teams" />
        <SelectField label="Person" value={person()} onChange={setPerson} placeholder="Everyone" options={people().map((p) => ({ value: p.id, label: p.name }))} />
        <SelectField
          label="Kind"
          value={kind()}
          onChange={(v) => setKind(v as DutyKind | '')}
          placeholder="All"
          options={Object.entries(KIND_LABELS).map(([value, label]) => ({ value, label }))}
        />
      </div>
      <p class="muted count" aria-live="polite" data-testid="due-count">
        {openCount()} due within 30 days{filterName() ? ` (${filterName()})` : ''} ·{' '}
        <button type="button" class="link" data-status="later" aria-pressed={only() === 'later' ? 'true' : 'false'} onClick={() => showOnly('later')}>{summary().later} later</button> ·{' '}
        <button type="button" class="link" data-status="done" aria-pressed={only() === 'done' ? 'true' : 'false'} onClick={() => showOnly('done')}>{summary().done} done</button>
      </p>
      <Show when={only()}>
        {(status) => (
          <p class="row spread due-only" data-testid="due-only">
            <span>Showing only: <strong>{STATUS_LABELS[status() as DutyStatus]}</strong></span>
            <button type="button" class="btn small" onClick={() => setOnly('')}>Show all</button>
          </p>
        )}
      </Show>
      <Show when={only() && groups()[only() as DutyStatus].length === 0}>
        <p class="muted center">Nothing {STATUS_LABELS[only() as DutyStatus].toLowerCase()}{filterName() ? ` (${filterName()})` : ''}.</p>
      </Show>
      <Show when={openCount() === 0 && !only()}>
        <div class="due-empty">
          <EmptyState title="Nothing due">
            <Switch>
              <Match when={s.people.teams().length === 0 && !filterName()}>
                <p>Nothing is overdue or due in the next 30 days. Monthly checklists are scheduled per team: <a href={href('people', 'new')}>add people with their team</a>.</p>
              </Match>
              <Match when={true}>
                <p>Nothing is overdue or due in the next 30 days{filterName() ? ` (${filterName()})` : ''}.</p>
              </Match>
            </Switch>
          </EmptyState>
        </div>
      </Show>
      <Show when={rows().length > 0}>
        <VirtualList items={rows()} label="Duties" rowHeight={96}>
          {(row) =>
            row.type === 'head' ? (
              <GroupHead status={row.status} count={row.count} folded={FOLDED.includes(row.status) && !only() ? !unfolded().has(row.status) : undefined} onToggle={() => toggle(row.status)} />
            ) : (
              <a class="list-item due-row" href={row.duty.href} data-testid="due-row" data-status={row.duty.status} data-kind={row.duty.kind} data-id={row.duty.id}>
                <div class="grow">
                  <div class="title">{row.duty.title}</div>
                  <div class="muted small">{who(row.duty)}</div>
                </div>
                <div class="due-when">
                  <span class={`due-rel ${TONES[row.duty.status]}`}>{row.duty.status === 'done' ? 'Done' : relativeDue(row.duty.due, today())}</span>
                  <span class="muted small">{formatDate(row.duty.due)}</span>
                </div>
              </a>
            )
          }
        </VirtualList>
      </Show>
      <button class="btn block" onClick={exportCsv} disabled={shown().length === 0}>Export these as CSV</button>
    </>
  );
}

function GroupHead(props: { status: DutyStatus; count: number; folded: boolean | undefined; onToggle: () => void }) {
  const label = () => (
    <>
      <span class="grow">
        <h2 class="due-head-title">{STATUS_LABELS[props.status]}</h2>
        <span class="muted small">{HINTS[props.status]}</span>
      </span>
      <span class={`badge ${TONES[props.status]}`} data-testid="due-group-count">{props.count}</span>
    </>
  );
  return (
    <Show
      when={props.folded !== undefined}
      fallback={<div class={`due-head ${props.status}`} data-testid="due-group" data-status={props.status}>{label()}</div>}
    >
      <button type="button" class={`due-head toggle ${props.status}`} data-testid="due-group" data-status={props.status} aria-expanded={props.folded ? 'false' : 'true'} onClick={() => props.onToggle()}>
        {label()}
        <span class="chev" aria-hidden="true">{props.folded ? '▸' : '▾'}</span>
      </button>
    </Show>
  );
}
