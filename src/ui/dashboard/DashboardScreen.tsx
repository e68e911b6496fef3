import { createMemo, createSignal, For, Show } from 'solid-js';
import { buildDashboard, describeKinds } from '../../domain/dashboard';
import { currentMonth, formatMonth, localIsoDate } from '../../domain/dates';
import { GAP_LABELS } from '../../domain/gaps';
import { checklistDueFrom } from '../../domain/schedules';
import { workspaceCreated } from '../../registers/due/collect';
import { STATUS_LABELS } from '../../registers/checklists/model';
import { STATUS_TONE } from '../../registers/checklists/status-tone';
import { Badge, EmptyState, ScreenHeader } from '../common';
import { SelectField } from '../Field';
import { href } from '../router';
import { useSession } from '../session';
import { collectGaps } from './collect';
import './dashboard.css';

/** The first screen a manager sees: who has not done what, per person and per team. */
export default function DashboardScreen() {
  const s = useSession();
  const today = localIsoDate();
  const month = currentMonth();
  const [team, setTeam] = createSignal('');
  const collected = createMemo(() => collectGaps(s, today));
  const dashboard = createMemo(() => buildDashboard(s.access.visiblePeople(), collected().gaps, today));
  const shownPeople = createMemo(() => dashboard().people.filter((r) => !team() || r.person.team === team()));
  const checklistOf = (t: string) => s.checklists.all().find((c) => c.team === t && c.month === month);
  /** The first month the team owes a checklist (the same rule as Due and the pack), when it is after this one. */
  const owedLater = (t: string) => {
    const from = checklistDueFrom(s.people.active().filter((p) => p.team === t).map((p) => p.startDate), workspaceCreated(s));
    return from && from > month ? from : undefined;
  };

  return (
    <>
      <ScreenHeader title="Home" />
      <Show
        when={s.people.active().length > 0}
        fallback={
          <EmptyState title="Start with your people">
            <p>The dashboard shows who has not acknowledged the policies, done the training or signed an agreement. Add the people in your teams first.</p>
            <a class="btn primary" href={href('people', 'new')}>Add a person</a>
          </EmptyState>
        }
      >
        <section class="kpis" aria-label="Key figures">
          <Kpi label="Policies acknowledged" value={collected().ackRate} testId="kpi-ack" />
          <Kpi label="Training complete" value={collected().trainingRate} testId="kpi-training" />
          <div class="kpi" data-testid="kpi-people">
            <div class="kpi-value">{dashboard().peopleWithGaps}<span class="kpi-of">/{dashboard().activePeople}</span></div>
            <div class="kpi-label">people with gaps</div>
          </div>
        </section>

        <Show when={s.access.can('open:checklists')}>
        <section class="card" aria-labelledby="month-title">
          <h2 id="month-title">{formatMonth(month)} checklists</h2>
          <ul class="plain">
            <For each={s.people.teams()}>
              {(t) => (
                <li class="row spread">
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

        <Show when={dashboard().newJoiners.length > 0}>
          <section class="card attention" aria-labelledby="joiners-title" data-testid="new-joiners">
            <h2 id="joiners-title">New joiners with gaps</h2>
            <p class="muted">Joined in the last 30 days and not yet covered — an auditor’s first question.</p>
            <For each={dashboard().newJoiners}>{(r) => <PersonGapsRow name={r.person.name} team={r.person.team} personId={r.person.id} gaps={r.gaps} />}</For>
          </section>
        </Show>

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
                    <Badge tone={t.gaps === 0 ? 'ok' : 'warn'}>{t.gaps === 0 ? 'No gaps' : `${t.gaps} gaps`}</Badge>
                  </button>
                </li>
              )}
            </For>
          </ul>
        </section>

        <section aria-labelledby="people-title" data-testid="people-gaps">
          <div class="row spread">
            <h2 id="people-title">People with gaps</h2>
          </div>
          <SelectField label="Team" value={team()} onChange={setTeam} placeholder="All teams" options={s.people.teams().map((t) => ({ value: t, label: t }))} />
          <Show when={shownPeople().length > 0} fallback={<p class="ok center" data-testid="no-gaps">No gaps{team() ? ` in ${team()}` : ''}. Everyone has done what applies to them.</p>}>
            <For each={shownPeople()}>{(r) => <PersonGapsRow name={r.person.name} team={r.person.team} personId={r.person.id} gaps={r.gaps} />}</For>
          </Show>
        </section>
      </Show>
    </>
  );
}

function Kpi(props: { label: string; value: { percent?: number | undefined; done: number; total: number }; testId: string }) {
  return (
    <div class="kpi" data-testid={props.testId}>
      <div class="kpi-value">{props.value.percent === undefined ? '—' : `${props.value.percent}%`}</div>
      <div class="kpi-label">{props.label}</div>
      <div class="kpi-of small">{props.value.total ? `${props.value.done} of ${props.value.total}` : 'nothing due yet'}</div>
    </div>
  );
}

function PersonGapsRow(props: { name: string; team: string; personId: string; gaps: Array<{ kind: keyof typeof GAP_LABELS; label: string; href: string }> }) {
  return (
    <div class="card person-gaps" data-testid="person-gaps">
      <a class="title" href={href('people', props.personId)}>{props.name}</a> <span class="muted">· {props.team}</span>
      <ul class="gaps">
        <For each={props.gaps}>
          {(g) => (
            <li>
              <a href={g.href} class={`gap ${g.kind}`} data-testid="gap" data-kind={g.kind}>
                <span class="gap-kind">{GAP_LABELS[g.kind]}</span> {g.label}
              </a>
            </li>
          )}
        </For>
      </ul>
    </div>
  );
}
