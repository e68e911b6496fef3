import { createMemo, createSignal, For, Match, Show, Switch } from 'solid-js';
import { formatDate } from '../../domain/dates';
import { inAudience } from '../../domain/gaps';
import { matchesQuery } from '../../domain/text';
import { downloadCsv } from '../../evidence/download';
import { Badge, EmptyState, fileStamp, ScreenHeader } from '../../ui/common';
import { Field, SelectField } from '../../ui/Field';
import { href, route } from '../../ui/router';
import { useSession } from '../../ui/session';
import { policiesCsv } from './export';
import type { Policy } from './model';
import { PolicyDetail } from './PolicyDetail';
import { PolicyForm, PublishForm, ReviewForm } from './PolicyForms';
import { usePolicyFacts } from './usePolicyFacts';
import { countOf } from '../../domain/plural';
import './policies.css';

/**
 * Policies register: #/policies (list), #/policies/new, #/policies/<id> (detail),
 * #/policies/<id>?do=edit|publish|review (forms).
 */
export default function PoliciesScreen() {
  const action = () => route().params.get('do') ?? '';
  return (
    <Switch fallback={<PolicyList />}>
      <Match when={route().id === 'new'}><PolicyForm /></Match>
      <Match when={route().id && action() === 'edit' && route().id}>{(id) => <PolicyForm id={id()} />}</Match>
      <Match when={route().id && action() === 'publish' && route().id}>{(id) => <PublishForm id={id()} />}</Match>
      <Match when={route().id && action() === 'review' && route().id}>{(id) => <ReviewForm id={id()} />}</Match>
      <Match when={route().id}>{(id) => <PolicyDetail id={id()} />}</Match>
    </Switch>
  );
}

type Sort = 'title' | 'next-review' | 'rate';
type StatusFilter = '' | 'overdue' | 'unpublished' | 'unacknowledged';

function PolicyList() {
  const s = useSession();
  const { facts } = usePolicyFacts();
  const [query, setQuery] = createSignal('');
  const [team, setTeam] = createSignal('');
  const [status, setStatus] = createSignal<StatusFilter>('');
  const [sort, setSort] = createSignal<Sort>('title');
  const [showArchived, setShowArchived] = createSignal(false);

  /** A policy applies to a team when it applies to at least one active member of it. */
  const appliesToTeam = (p: Policy, t: string) =>
    p.audience.everyone || p.audience.teams.includes(t) || s.people.active().some((m) => m.team === t && inAudience(p.audience, m, s.roles.rolesOf(m.id)));

  const shown = createMemo(() => {
    const list = s.policies.all().filter((p) => {
      const f = facts(p);
      if (!showArchived() && p.archived) return false;
      if (team() && !appliesToTeam(p, team())) return false;
      if (status() === 'overdue' && !(f.overdue || f.nextReviewPassed)) return false;
      if (status() === 'unpublished' && f.current) return false;
      if (status() === 'unacknowledged' && !(f.current && f.rate.done < f.rate.total)) return false;
      return matchesQuery(query(), p.title, s.people.nameOf(p.ownerId), f.appliesTo, f.current?.version, f.current?.approvedBy);
    });
    const byTitle = (a: Policy, b: Policy) => a.title.localeCompare(b.title);
    if (sort() === 'next-review') return list.sort((a, b) => (a.nextReviewDate || '9999').localeCompare(b.nextReviewDate || '9999') || byTitle(a, b));
    if (sort() === 'rate') {
      // Lowest rate first (the ones to chase); unpublished policies last.
      const rank = (p: Policy) => (facts(p).current ? (facts(p).rate.percent ?? 101) : 102);
      return list.sort((a, b) => rank(a) - rank(b) || byTitle(a, b));
    }
    return list.sort(byTitle);
  });

  return (
    <>
      <ScreenHeader title="Policies">
        <a class="btn primary small" href={href('policies', 'new')}>New</a>
      </ScreenHeader>
      <Show
        when={s.policies.all().length > 0}
        fallback={
          <EmptyState title="No policies yet">
            <p>Add each policy people must follow — its owner, who it applies to and when it is next reviewed — then publish its approved text so staff can acknowledge it.</p>
            <a class="btn primary" href={href('policies', 'new')}>Add a policy</a>
          </EmptyState>
        }
      >
        <div class="filters">
          <Field label="Search" type="search" value={query()} onChange={setQuery} placeholder="Title, owner, version or audience" />
          <div class="row compact">
            <SelectField label="Applies to" value={team()} onChange={setTeam} placeholder="Any team" options={s.access.teamOptions().map((t) => ({ value: t, label: t }))} />
            <SelectField
              label="Show"
              value={status()}
              onChange={(v) => setStatus(v as StatusFilter)}
              placeholder="All"
              options={[
                { value: 'overdue', label: 'Review overdue' },
                { value: 'unpublished', label: 'Not published' },
                { value: 'unacknowledged', label: 'Not all acknowledged' },
              ]}
            />
            <SelectField
              label="Sort by"
              value={sort()}
              onChange={(v) => setSort(v as Sort)}
              options={[
                { value: 'title', label: 'Title' },
                { value: 'next-review', label: 'Next review' },
                { value: 'rate', label: 'Acknowledged %' },
              ]}
            />
          </div>
          <label class="check">
            <input type="checkbox" checked={showArchived()} onChange={(e) => setShowArchived(e.currentTarget.checked)} /> Show archived policies
          </label>
        </div>
        <p class="muted count" aria-live="polite">{countOf(shown().length, s.policies.all().length, 'policy', 'policies')}</p>
        <Show when={shown().length > 0} fallback={<p class="muted center">No policy matches these filters.</p>}>
          <ul class="list">
            <For each={shown()}>
              {(p) => {
                const f = () => facts(p);
                return (
                  <li>
                    <a class="list-item" href={href('policies', p.id)} data-testid="policy-row">
                      <div class="grow">
                        <div class="title">{p.title}</div>
                        <div class="muted">
                          {f().current ? `v${f().current!.version}` : 'Not published'} · {f().appliesTo}
                          {p.nextReviewDate ? ` · review ${formatDate(p.nextReviewDate)}` : ''}
                        </div>
                      </div>
                      <div class="badges">
                        <Show when={p.archived}><Badge tone="muted">Archived</Badge></Show>
                        <Show when={f().overdue}><Badge tone="bad">Review overdue</Badge></Show>
                        <Show when={!f().overdue && f().nextReviewPassed}><Badge tone="warn">Review date passed</Badge></Show>
                        <Show when={f().current && !p.archived}>
                          <Badge tone={f().rate.total > 0 && f().rate.done === f().rate.total ? 'ok' : 'warn'}>
                            <span data-testid="policy-rate">{f().rate.done}/{f().rate.total}</span>
                          </Badge>
                        </Show>
                      </div>
                    </a>
                  </li>
                );
              }}
            </For>
          </ul>
        </Show>
        <button class="btn block" onClick={() => downloadCsv(policiesCsv(shown(), facts, s.people.nameOf, fileStamp()))}>Export these as CSV</button>
      </Show>
    </>
  );
}
