import { createMemo, createSignal, For, Match, Show, Switch } from 'solid-js';
import { formatDate, localIsoDate } from '../../domain/dates';
import { countOf } from '../../domain/plural';
import { SIGN_OFF_TONE, SIGN_OFF_WORDS, signOffOptions } from '../../domain/signoff';
import { matchesQuery } from '../../domain/text';
import { downloadCsv } from '../../evidence/download';
import { Badge, EmptyState, fileStamp, ScreenHeader } from '../../ui/common';
import { Field, SelectField } from '../../ui/Field';
import { href, navigate, route } from '../../ui/router';
import { useSession } from '../../ui/session';
import { createTeamChoice, NoTeam, TeamGate, TeamSelect } from '../members/NoTeam';
import { BriefingDetail } from './BriefingDetail';
import { briefingsCsv } from './export';

export default function BriefingsScreen() {
  return (
    <Switch fallback={<BriefingList />}>
      <Match when={route().id === 'new'}><NewBriefing /></Match>
      <Match when={route().id}>{(id) => <TeamGate team={useSession().briefings.byId().get(id())?.team}><BriefingDetail id={id()} /></TeamGate>}</Match>
    </Switch>
  );
}

function BriefingList() {
  const s = useSession();
  const [query, setQuery] = createSignal('');
  const [team, setTeam] = createSignal('');
  const [signed, setSigned] = createSignal('');
  const shown = createMemo(() =>
    s.briefings.all().filter((b) => {
      const st = s.briefings.signOffState(b).state;
      return (
        s.access.teamVisible(b.team) &&
        (!team() || b.team === team()) &&
        (!signed() || st === signed()) &&
        matchesQuery(query(), b.team, b.date, formatDate(b.date), b.notes, ...b.topics)
      );
    }),
  );
  return (
    <>
      <ScreenHeader title="Briefing minutes">
        <a class="btn primary small" href={href('briefings', 'new')}>New</a>
      </ScreenHeader>
      <Show
        when={s.briefings.all().length > 0}
        fallback={
          <EmptyState title="No briefings recorded">
            <p>Record who attended, what you covered and the actions agreed — during the briefing, even with no signal.</p>
            <a class="btn primary" href={href('briefings', 'new')}>Record a briefing</a>
          </EmptyState>
        }
      >
        <div class="filters">
          <Field label="Search" type="search" value={query()} onChange={setQuery} placeholder="Team, date, topic or notes" />
          <div class="row">
            <SelectField label="Team" value={team()} onChange={setTeam} placeholder="All teams" options={s.access.teamOptions().map((t) => ({ value: t, label: t }))} />
            <SelectField label="Sign-off" value={signed()} onChange={setSigned} placeholder="Any" options={signOffOptions(SIGN_OFF_WORDS)} />
          </div>
        </div>
        <p class="muted count" aria-live="polite">{countOf(shown().length, s.briefings.all().filter((b) => s.access.teamVisible(b.team)).length, 'briefing')}</p>
        <Show when={shown().length > 0} fallback={<p class="muted center">No briefing matches these filters.</p>}>
          <ul class="list">
            <For each={shown()}>
              {(b) => (
                <li>
                  <a class="list-item" href={href('briefings', b.id)} data-testid="briefing-row">
                    <div class="grow">
                      <div class="title">{b.team} · {formatDate(b.date)}</div>
                      <div class="muted">{b.attendees.length} present{b.topics.length ? ` · ${b.topics.join(', ')}` : ''}</div>
                    </div>
                    <Badge tone={SIGN_OFF_TONE[s.briefings.signOffState(b).state]}>{SIGN_OFF_WORDS[s.briefings.signOffState(b).state]}</Badge>
                  </a>
                </li>
              )}
            </For>
          </ul>
        </Show>
        <button class="btn block" onClick={() => downloadCsv(briefingsCsv(shown(), s.people.nameOf, s.briefings.signOffState, fileStamp()))}>
          Export these as CSV
        </button>
      </Show>
    </>
  );
}

function NewBriefing() {
  const s = useSession();
  const [date, setDate] = createSignal(localIsoDate());
  // Only a team this device may choose is shown and submitted (refused at the field otherwise).
  const team = createTeamChoice(route().params.get('team'));
  const [errors, setErrors] = createSignal<Partial<Record<string, string>>>({});
  let dateInput: HTMLInputElement | undefined;
  const submit = (e: Event) => {
    e.preventDefault();
    if (dateInput?.validity.badInput) return setErrors({ date: 'Enter a complete date (day, month and year).' });
    const chosen = team.value();
    if (chosen === undefined) return setErrors({});
    const r = s.briefings.create({ date: date(), team: chosen, notes: '' }, s.signer());
    if (!r.ok) return setErrors(r.errors);
    navigate('briefings', r.value.id);
  };
  return (
    <>
      <ScreenHeader title="New briefing" back={href('briefings')} />
      <Show
        when={s.access.teamOptions().length > 0}
        fallback={
          <EmptyState title="No teams yet">
            <NoTeam>
              <p>A briefing is for a team. <a href={href('people', 'new')}>Add people with their team</a> first.</p>
            </NoTeam>
          </EmptyState>
        }
      >
        <form class="card" onSubmit={submit} novalidate>
          <Field label="Date" type="date" value={date()} onChange={setDate} error={errors()['date']} required ref={(el) => (dateInput = el)} />
          <TeamSelect choice={team} error={errors()['team']} />
          <button class="btn primary block" type="submit">Start minutes</button>
        </form>
      </Show>
    </>
  );
}
