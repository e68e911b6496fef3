import { createMemo, createSignal, For, Match, Show, Switch } from 'solid-js';
import { buildDashboard, describeKinds } from '../../domain/dashboard';
import { currentMonth, formatDate, formatMonth, localIsoDate } from '../../domain/dates';
import { type Gap, GAP_LABELS } from '../../domain/gaps';
import { plural, pluralWord } from '../../domain/plural';
import { checklistDueFrom } from '../../domain/schedules';
import { liveWorkspaceCreated as workspaceCreated, STATUS_LABELS } from '../../registers/checklists/model';
import { STATUS_TONE } from '../../registers/checklists/status-tone';
import { ScopeNote } from '../../registers/members/AccessBanner';
import { NoTeamOfMine } from '../../registers/members/NoTeam';
import { Badge, EmptyState, ScreenHeader } from '../../ui/common';
import { SelectField } from '../../ui/SelectField';
import { href, route } from '../../ui/router';
import { useSession } from '../../ui/session';
import { collectGaps } from './collect';
import { canOpenGap, closedBy, FIX_LABELS, gapTarget, personGapsHref } from './gap-links';
import './dashboard.css';

/*
 * Routes:
 *   #/home                        gaps per person and team (staff: their own)
 *   #/home/person?id=&gap=        one person's gaps: what closes each, and who
 */
export default function DashboardScreen() {
  return (
    <Switch fallback={<Home />}>
      <Match when={route().id === 'person'}><PersonGapsScreen id={route().params.get('id') ?? ''} gap={route().params.get('gap') ?? ''} /></Match>
    </Switch>
  );
}

/** The first screen: who has not done what, per person and per team; for staff, what they still have to do. */
function Home() {
  const s = useSession();
  const today = localIsoDate();
  const month = currentMonth();
  const staff = () => s.access.role() === 'staff';
  /** Nobody's records to show (a manager with no team, a device not linked to a person): the scope note and the month card say why. */
  const nobody = () => s.access.visiblePeople().length === 0;
  const [team, setTeam] = createSignal('');
  const collected = createMemo(() => collectGaps(s, today));
  const dashboard = createMemo(() => buildDashboard(s.access.visiblePeople(), collected().gaps, today));
  const shownPeople = createMemo(() => dashboard().people.filter((r) => !team() || r.person.team === team()));
  const checklistOf = (t: string) => s.checklists.all().find((c) => c.team === t && c.month === month);
  const me = () => s.access.person();
  const myGaps = createMemo(() => collected().gaps.filter((g) => g.personId === me()?.id).length);
  let peopleTitle: HTMLHeadingElement | undefined;
  /** The first month the team owes a checklist (the same rule as Due and the pack), when it is after this one. */
  const owedLater = (t: string) => {
    const from = checklistDueFrom(s.people.active().filter((p) => p.team === t).map((p) => p.startDate), workspaceCreated(s));
    return from && from > month ? from : undefined;
  };

  return (
    <>
      <ScreenHeader title="Home" />
      <ScopeNote />
      <Show
        when={s.people.active().length > 0}
        fallback={
          <EmptyState title="Start with your people">
            <p>The dashboard shows who has not acknowledged the policies, done the training or signed an agreement.</p>
            <Show
              when={s.access.can('open:people')}
              fallback={<p data-testid="ask-to-be-added">Nobody is in People yet. Ask an owner or your manager to add you: your policies, training and gaps show here then.</p>}
            >
              <p>Add the people in your teams first.</p>
              <a class="btn primary" href={href('people', 'new')}>Add a person</a>
            </Show>
          </EmptyState>
        }
      >
        <Show when={!nobody()}>
        <section class="kpis" aria-label="Key figures">
          <Kpi label="Policies acknowledged" value={collected().ackRate} testId="kpi-ack" to={s.access.can('open:policies') ? href('policies') : href('my-policies')} />
          <Kpi label="Training complete" value={collected().trainingRate} testId="kpi-training" to={href('training')} />
          <Show
            when={staff()}
            fallback={
              <a class="kpi" href={href('home')} data-testid="kpi-people" onClick={(e) => (e.preventDefault(), peopleTitle?.scrollIntoView({ block: 'start' }))}>
                <div class="kpi-value">{dashboard().peopleWithGaps}<span class="kpi-of">/{dashboard().activePeople}</span></div>
                <div class="kpi-label">{pluralWord(dashboard().activePeople, 'person', 'people')} with gaps</div>
              </a>
            }
          >
            <a class="kpi" href={me() ? personGapsHref(me()!.id) : href('my-policies')} data-testid="kpi-gaps">
              <div class="kpi-value">{myGaps()}</div>
              <div class="kpi-label">{pluralWord(myGaps(), 'gap')} to close</div>
            </a>
          </Show>
        </section>
        </Show>

        <Show when={s.access.can('open:checklists')}>
          <section class="card" aria-labelledby="month-title" data-testid="month-checklists">
            <h2 id="month-title">{formatMonth(month)} checklists</h2>
            <ul class="plain">
              <For each={s.access.teamOptions()} fallback={<li><NoTeamOfMine /></li>}>
                {(t) => (
                  <li class="row spread" data-testid="month-team">
                    <span>{t}</span>
                    <Show
                      when={checklistOf(t)}
                      fallback={
                        <Show when={owedLater(t)} fallback={<a class="btn small" href={href('checklists', 'new', { team: t, month })}>Start</a>}>
                          {(from) => <span class="muted small">Due from {formatMonth(from())}</span>}
                        </Show>
                      }
                    >
                      {(c) => (
                        <a href={href('checklists', c().id)}>
                          <Badge tone={STATUS_TONE[s.checklists.status(c())]}>{STATUS_LABELS[s.checklists.status(c())]}</Badge>
                        </a>
                      )}
                    </Show>
                  </li>
                )}
              </For>
            </ul>
          </section>
        </Show>

        <Show when={!staff() && dashboard().newJoiners.length > 0}>
          <section class="card attention" aria-labelledby="joiners-title" data-testid="new-joiners">
            <h2 id="joiners-title">New joiners with gaps</h2>
            <p class="muted">Joined in the last 30 days and not yet covered — an auditor’s first question.</p>
            <For each={dashboard().newJoiners}>{(r) => <PersonGapsRow name={r.person.name} team={r.person.team} personId={r.person.id} gaps={r.gaps} />}</For>
          </section>
        </Show>

        <Show when={!staff() && !nobody()}>
          <section class="card" aria-labelledby="teams-title">
            <h2 id="teams-title">Teams</h2>
            <ul class="plain">
              <For each={dashboard().teams}>
                {(t) => (
                  <li>
                    <button class="team-row" classList={{ selected: team() === t.team }} onClick={() => setTeam(team() === t.team ? '' : t.team)} data-testid="team-row">
                      <span class="grow">
                        <strong>{t.team}</strong>
                        <span class="muted"> · {t.peopleWithGaps}/{t.people} with gaps</span>
                        <Show when={t.gaps > 0}>
                          <span class="muted small block-line">{describeKinds(t.byKind)}</span>
                        </Show>
                      </span>
                      <Badge tone={t.gaps === 0 ? 'ok' : 'warn'}>{t.gaps === 0 ? 'No gaps' : plural(t.gaps, 'gap')}</Badge>
                    </button>
                  </li>
                )}
              </For>
            </ul>
          </section>
        </Show>

        <Show when={!nobody()}>
        <section aria-labelledby="people-title" data-testid="people-gaps">
          <div class="row spread">
            <h2 id="people-title" ref={(el) => (peopleTitle = el)}>{staff() ? 'Your gaps' : 'People with gaps'}</h2>
          </div>
          <Show when={!staff()}>
            <SelectField label="Team" value={team()} onChange={setTeam} placeholder="All teams" options={s.access.teamOptions().map((t) => ({ value: t, label: t }))} />
          </Show>
          <Show
            when={shownPeople().length > 0}
            fallback={
              <p class="ok center" data-testid="no-gaps">
                {staff() ? 'No gaps. You have done everything that applies to you.' : `No gaps${team() ? ` in ${team()}` : ''}. Everyone has done what applies to them.`}
              </p>
            }
          >
            <For each={shownPeople()}>{(r) => <PersonGapsRow name={r.person.name} team={r.person.team} personId={r.person.id} gaps={r.gaps} />}</For>
          </Show>
        </section>
        </Show>
      </Show>
    </>
  );
}

function Kpi(props: { label: string; value: { percent?: number | undefined; done: number; total: number }; testId: string; to: string }) {
  return (
    <a class="kpi" href={props.to} data-testid={props.testId}>
      <div class="kpi-value">{props.value.percent === undefined ? '—' : `${props.value.percent}%`}</div>
      <div class="kpi-label">{props.label}</div>
      <div class="kpi-of small">{props.value.total ? `${props.value.done} of ${props.value.total}` : 'nothing due yet'}</div>
    </a>
  );
}

/** A person's gaps on Home. Each gap opens where it is closed, or, when this device may not open that, the person's gap page. */
function PersonGapsRow(props: { name: string; team: string; personId: string; gaps: Gap[] }) {
  const s = useSession();
  return (
    <div class="card person-gaps" data-testid="person-gaps">
      <a class="title" href={s.access.can('open:people') ? href('people', props.personId) : personGapsHref(props.personId)}>{props.name}</a>{' '}
      <span class="muted">· {props.team} · {plural(props.gaps.length, 'gap')}</span>
      <ul class="gaps">
        <For each={props.gaps}>
          {(g) => (
            <li>
              <a href={gapTarget(g, s.access.can)} class={`gap ${g.kind}`} data-testid="gap" data-kind={g.kind}>
                <span class="gap-kind">{GAP_LABELS[g.kind]}</span> {g.label}
              </a>
            </li>
          )}
        </For>
      </ul>
    </div>
  );
}

/** One person's gaps: for each, the screen that closes it, or who closes it and how. */
function PersonGapsScreen(props: { id: string; gap: string }) {
  const s = useSession();
  const today = localIsoDate();
  const person = () => s.access.visiblePeople().find((p) => p.id === props.id);
  const self = () => s.access.person()?.id === props.id;
  const gaps = createMemo(() => collectGaps(s, today).gaps.filter((g) => g.personId === props.id));
  const owners = () => {
    const names = [...new Set(s.members.active().filter((m) => m.role === 'owner' && m.name).map((m) => m.name))];
    return names.length ? names.join(' or ') : 'an owner';
  };
  return (
    <>
      <ScreenHeader title={self() ? 'Your gaps' : person() ? `${person()!.name}’s gaps` : 'Gaps'} back={href('home')} />
      <Show
        when={person()}
        fallback={
          <EmptyState title="Nobody to show">
            <p data-testid="person-not-visible">{s.access.why('see-everyone') ?? 'This person is not in People on this device.'}</p>
            <a class="btn" href={href('home')}>Go to Home</a>
          </EmptyState>
        }
      >
        {(p) => (
          <>
            <p class="muted">{p().team} · {gaps().length ? `${plural(gaps().length, 'gap')} to close` : 'no gaps'}</p>
            <Show when={gaps().length > 0} fallback={<p class="ok" data-testid="no-gaps">No gaps: {self() ? 'you have' : `${p().name} has`} done everything that applies.</p>}>
              <ul class="gaps">
                <For each={gaps()}>
                  {(g) => (
                    <li class={`card gap-detail ${g.kind}`} classList={{ current: g.kind === props.gap }} data-testid="gap-detail" data-kind={g.kind} ref={(el) => g.kind === props.gap && queueMicrotask(() => el.scrollIntoView({ block: 'center' }))}>
                      <span class="gap-kind">{GAP_LABELS[g.kind]}</span>
                      <strong>{g.label}</strong>
                      <Show when={g.due}><span class="muted small block-line">Due {formatDate(g.due!)}</span></Show>
                      <Show when={canOpenGap(g, s.access.can)} fallback={<p data-testid="closed-by">{closedBy(g.kind, self() ? 'you' : p().name, owners())}</p>}>
                        <a class="btn small" href={g.href}>{FIX_LABELS[g.kind]}</a>
                      </Show>
                    </li>
                  )}
                </For>
              </ul>
            </Show>
            <Show when={self()}>
              <p class="muted small">Everything that applies to you: <a href={href('my-policies')}>My policies</a> · <a href={href('training')}>Training</a></p>
            </Show>
          </>
        )}
      </Show>
    </>
  );
}
