import { createMemo, createSignal, For, lazy, Match, Show, Switch } from 'solid-js';
import { currentMonth, formatMonth } from '../../domain/dates';
import { countOf, plural } from '../../domain/plural';
import { matchesQuery } from '../../domain/text';
import { downloadCsv } from '../../evidence/download';
import { Badge, EmptyState, fileStamp, ScreenHeader } from '../../ui/common';
import { Field, SelectField } from '../../ui/Field';
import { href, navigate, route } from '../../ui/router';
import { useSession } from '../../ui/session';
import { createTeamChoice, NoTeam, TeamGate, TeamSelect } from '../members/NoTeam';
import { checklistsCsv } from './export';
import { duplicateIds, STATUS_LABELS, unansweredItems } from './model';
import { STATUS_TONE } from './status-tone';

// The detail screen (answers, sign-off dialog) loads on first open and is precached for offline.
const ChecklistDetail = lazy(() => import('./ChecklistDetail'));


export default function ChecklistsScreen() {
  return (
    <Switch fallback={<ChecklistList />}>
      <Match when={route().id === 'new'}><NewChecklist /></Match>
      <Match when={route().id}>{(id) => <TeamGate team={useSession().checklists.byId().get(id())?.team}><ChecklistDetail id={id()} /></TeamGate>}</Match>
    </Switch>
  );
}

function ChecklistList() {
  const s = useSession();
  const [query, setQuery] = createSignal('');
  const [team, setTeam] = createSignal('');
  const [status, setStatus] = createSignal('');
  const [month, setMonth] = createSignal('');
  const duplicates = createMemo(() => duplicateIds(s.checklists.all()));
  const months = createMemo(() => [...new Set(s.checklists.all().map((c) => c.month))].sort().reverse());
  const shown = createMemo(() =>
    s.checklists.all().filter(
      (c) =>
        s.access.teamVisible(c.team) &&
        (!team() || c.team === team()) &&
        (!month() || c.month === month()) &&
        (!status() || s.checklists.status(c) === status()) &&
        matchesQuery(query(), c.team, c.month, formatMonth(c.month)),
    ),
  );
  const exportCsv = () => downloadCsv(checklistsCsv(shown(), s.checklists.history, s.briefings.byId(), s.people.nameOf, fileStamp()));

  return (
    <>
      <ScreenHeader title="Monthly checklists">
        <a class="btn primary small" href={href('checklists', 'new')}>New</a>
      </ScreenHeader>
      <Show
        when={s.checklists.all().length > 0}
        fallback={
          <EmptyState title="No checklists yet">
            <Show
              when={s.access.teamOptions().length > 0}
              fallback={
                <NoTeam>
                  <p>Checklists are per team. <a href={href('people', 'new')}>Add people with their team</a> first.</p>
                </NoTeam>
              }
            >
              <p>Each month, every manager briefs the team, checks compliance, enforces the rules and leads by example.</p>
              <a class="btn primary" href={href('checklists', 'new')}>Start {formatMonth(currentMonth())}’s checklist</a>
            </Show>
          </EmptyState>
        }
      >
        <div class="filters">
          <Field label="Search" type="search" value={query()} onChange={setQuery} placeholder="Team or month" />
          <div class="row compact">
            <SelectField label="Team" value={team()} onChange={setTeam} placeholder="All" options={s.access.teamOptions().map((t) => ({ value: t, label: t }))} />
            <SelectField label="Month" value={month()} onChange={setMonth} placeholder="All" options={months().map((m) => ({ value: m, label: formatMonth(m) }))} />
            <SelectField label="Status" value={status()} onChange={setStatus} placeholder="Any" options={Object.entries(STATUS_LABELS).map(([value, label]) => ({ value, label }))} />
          </div>
        </div>
        <p class="muted count" aria-live="polite">{countOf(shown().length, s.checklists.all().filter((c) => s.access.teamVisible(c.team)).length, 'checklist')}</p>
        <Show when={shown().length > 0} fallback={<p class="muted center">No checklist matches these filters.</p>}>
          <ul class="list">
            <For each={shown()}>
              {(c) => {
                const st = () => s.checklists.status(c);
                return (
                  <li>
                    <a class="list-item" href={href('checklists', c.id)} data-testid="checklist-row">
                      <div class="grow">
                        <div class="title">{c.team}</div>
                        <div class="muted">{formatMonth(c.month)} · {c.items.length - unansweredItems(c).length}/{c.items.length} answered</div>
                        <Show when={duplicates().has(c.id)}>
                          <div class="warn small">Started on two devices — finish one, note the other.</div>
                        </Show>
                      </div>
                      <Badge tone={STATUS_TONE[st()]}>{STATUS_LABELS[st()]}</Badge>
                    </a>
                  </li>
                );
              }}
            </For>
          </ul>
        </Show>
        <button class="btn block" onClick={exportCsv} disabled={shown().length === 0}>Export these as CSV</button>
      </Show>
    </>
  );
}

function NewChecklist() {
  const s = useSession();
  // Only a team this device may choose is shown and submitted (a link's ?team= for another team is refused at the field).
  const team = createTeamChoice(route().params.get('team'));
  const [month, setMonth] = createSignal(route().params.get('month') ?? currentMonth());
  const [errors, setErrors] = createSignal<Partial<Record<string, string>>>({});
  let monthInput: HTMLInputElement | undefined;

  const submit = (e: Event) => {
    e.preventDefault();
    if (monthInput?.validity.badInput) return setErrors({ month: 'Enter a complete month and year.' });
    const chosen = team.value();
    if (chosen === undefined) return setErrors({});
    const result = s.checklists.create({ team: chosen, month: month() }, s.settings.template(), s.signer());
    if (!result.ok) return setErrors(result.errors);
    navigate('checklists', result.value.id);
  };
  return (
    <>
      <ScreenHeader title="New checklist" back={href('checklists')} />
      <Show
        when={s.access.teamOptions().length > 0}
        fallback={
          <EmptyState title="No teams yet">
            <NoTeam>
              <p>Checklists are per team, and teams come from people. <a href={href('people', 'new')}>Add a person</a> with their team first.</p>
            </NoTeam>
          </EmptyState>
        }
      >
        <form class="card" onSubmit={submit} novalidate>
          <TeamSelect choice={team} error={errors()['team']} />
          <Field label="Month" type="month" value={month()} onChange={setMonth} error={errors()['month']} ref={(el) => (monthInput = el)} placeholder="YYYY-MM" />
          <p class="muted">The checklist has {plural(s.settings.template().length, 'action')}: {s.settings.template().map((i) => i.title).join(', ')}.</p>
          <button class="btn primary block" type="submit">Start checklist</button>
        </form>
      </Show>
    </>
  );
}
