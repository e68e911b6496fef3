import { Tabs } from '@kobalte/core/tabs';
import { createMemo, createSignal, For, Show } from 'solid-js';
import { formatDate, formatInstant } from '../../domain/dates';
import { matchesQuery } from '../../domain/text';
import { downloadCsv } from '../../evidence/download';
import { Badge, EmptyState, fileStamp, ScreenHeader } from '../../ui/common';
import { Field } from '../../ui/Field';
import { href } from '../../ui/router';
import { useSession } from '../../ui/session';
import { VirtualList } from '../../ui/VirtualList';
import { ackRoster, myPoliciesHref, type RosterRow } from '../acknowledgements/model';
import type { Person } from '../people/model';
import { acknowledgementsCsv } from './export';
import type { Policy, Publication } from './model';
import { PolicyText } from './PolicyText';
import { usePolicyFacts } from './usePolicyFacts';

export function PolicyDetail(props: { id: string }) {
  const s = useSession();
  const policy = () => s.policies.byId().get(props.id);
  return (
    <Show
      when={policy()}
      fallback={
        <>
          <ScreenHeader title="Policy" back={href('policies')} />
          <EmptyState title="Policy not found"><p>It may not have synced to this device yet.</p></EmptyState>
        </>
      }
    >
      {(p) => <Detail policy={p()} />}
    </Show>
  );
}

function Detail(props: { policy: Policy }) {
  const s = useSession();
  const { facts } = usePolicyFacts();
  const f = () => facts(props.policy);
  const current = () => f().current;
  const versions = () => [...s.policies.versionsOf(props.policy.id)].reverse();
  const reviews = () => [...s.policies.reviewsOf(props.policy.id)].reverse();
  const owner = () => s.people.byId().get(props.policy.ownerId);

  return (
    <>
      <ScreenHeader title={props.policy.title} back={href('policies')}>
        <a class="btn small" href={href('policies', props.policy.id, { do: 'edit' })}>Edit</a>
      </ScreenHeader>
      <div class="badges" data-testid="policy-badges">
        <Show when={current()} fallback={<Badge tone="muted">Not published</Badge>}>
          {(c) => <Badge tone="info">Version {c().version}</Badge>}
        </Show>
        <Show when={props.policy.archived}><Badge tone="muted">Archived</Badge></Show>
        <Show when={f().overdue}><Badge tone="bad">Review overdue</Badge></Show>
        <Show when={f().nextReviewPassed}><Badge tone="warn">Review date passed</Badge></Show>
      </div>
      <Show when={f().overdue}>
        <p class="banner error" role="note">
          No evidenced review or approved version in the last 12 months{f().lastReview ? ` (last: ${formatDate(f().lastReview!)})` : ''}. Record a review, or publish a newly approved version.
        </p>
      </Show>

      <section class="card" aria-label="Details">
        <dl class="facts">
          <dt>Owner</dt>
          <dd>
            <Show when={owner()} fallback={<span class="muted">Not set</span>}>
              {(o) => <a href={href('people', o().id)}>{o().name}</a>}
            </Show>
          </dd>
          <dt>Applies to</dt>
          <dd>{f().appliesTo}</dd>
          <dt>Current version</dt>
          <dd data-testid="current-version">
            <Show when={current()} fallback={<span class="muted">None published yet</span>}>
              {(c) => <>{c().version}, approved by {c().approvedBy} on {formatDate(c().approvedOn)}</>}
            </Show>
          </dd>
          <dt>Last review</dt>
          <dd>
            <Show when={f().lastReview} fallback={<span class="muted">None evidenced</span>}>
              {(d) => (
                <>
                  {formatDate(d())}
                  <span class="muted"> {reviews()[0]?.reviewedOn === d() ? '(review)' : `(approval of ${versions().find((v) => v.approvedOn === d())?.version ?? 'a version'})`}</span>
                </>
              )}
            </Show>
          </dd>
          <dt>Next review</dt>
          <dd>{props.policy.nextReviewDate ? formatDate(props.policy.nextReviewDate) : <span class="muted">Not set</span>}</dd>
          <Show when={current()}>
            {(c) => (
              <>
                <dt>SHA-256</dt>
                <dd class="hash" data-testid="current-sha">{c().textSha256}</dd>
              </>
            )}
          </Show>
        </dl>
      </section>

      <div class="row">
        <a class="btn primary" href={href('policies', props.policy.id, { do: 'publish' })}>Publish version</a>
        <a class="btn" href={href('policies', props.policy.id, { do: 'review' })}>Record review</a>
      </div>
      <div style={{ height: '0.75rem' }} />

      <Show
        when={current()}
        fallback={
          <section class="card">
            <h2>Acknowledgements</h2>
            <p class="muted">Nobody can acknowledge this policy until a version is published. Publish the approved text and everyone it applies to will see it in My policies.</p>
          </section>
        }
      >
        {(c) => <Roster policy={props.policy} current={c()} />}
      </Show>

      <section class="card" aria-labelledby="versions-title">
        <h2 id="versions-title">Versions <span class="muted">({versions().length})</span></h2>
        <ol class="version-list">
          <For each={versions()} fallback={<li class="muted">No version published yet.</li>}>
            {(v, i) => <VersionItem pub={v} current={i() === 0} />}
          </For>
        </ol>
      </section>

      <section class="card" aria-labelledby="reviews-title">
        <h2 id="reviews-title">Reviews <span class="muted">({reviews().length})</span></h2>
        <ol class="version-list">
          <For each={reviews()} fallback={<li class="muted">No review recorded yet.</li>}>
            {(r) => (
              <li data-testid="review-entry">
                <strong>{formatDate(r.reviewedOn)}</strong> · reviewed by {r.reviewedBy}
                <div style={{ 'white-space': 'pre-wrap' }}>{r.outcome}</div>
                <div class="muted small">Next review agreed: {formatDate(r.nextReviewDate)} · recorded by {r.byName} on {formatInstant(r.at)}</div>
              </li>
            )}
          </For>
        </ol>
      </section>

      <section class="card">
        <button class="btn block" onClick={() => s.policies.setArchived(props.policy.id, !props.policy.archived)}>
          {props.policy.archived ? 'Restore policy' : 'Archive policy'}
        </button>
        <p class="muted">Archived policies leave My policies and the dashboard; their versions, reviews and acknowledgements stay as evidence.</p>
      </section>
    </>
  );
}

function VersionItem(props: { pub: Publication; current: boolean }) {
  return (
    <li data-testid="version-entry">
      <div class="who">
        <strong>Version {props.pub.version}</strong>
        <Show when={props.current}><Badge tone="info">Current</Badge></Show>
      </div>
      <div class="muted small">
        Approved by {props.pub.approvedBy} on {formatDate(props.pub.approvedOn)} · published by {props.pub.byName} on {formatInstant(props.pub.publishedAt)}
      </div>
      <div class="hash">SHA-256 {props.pub.textSha256}</div>
      <details>
        <summary>Read version {props.pub.version}</summary>
        <PolicyText text={props.pub.text} boxed />
      </details>
    </li>
  );
}

function Roster(props: { policy: Policy; current: Publication }) {
  const s = useSession();
  const roster = createMemo(() => ackRoster(props.policy, props.current, s.access.visiblePeople(), s.acknowledgements.forPolicy(props.policy.id), s.roles.byPerson()));
  const done = createMemo(() => roster().filter((r) => r.status === 'current'));
  const notYet = createMemo(() => roster().filter((r) => r.status !== 'current'));
  const [tab, setTab] = createSignal<'todo' | 'done'>('todo');
  const [query, setQuery] = createSignal('');
  const [copied, setCopied] = createSignal('');
  const rows = createMemo(() => (tab() === 'done' ? done() : notYet()).filter((r) => matchesQuery(query(), r.person.name, r.person.team)));
  const pc = () => (roster().length ? Math.round((done().length / roster().length) * 100) : 0);

  const copyLink = async (r: RosterRow<Person>) => {
    const link = `${location.origin}${location.pathname}${myPoliciesHref(r.person.id, props.policy.id)}`;
    try {
      await navigator.clipboard.writeText(link);
      setCopied(`Copied ${r.person.name}’s personal link.`);
    } catch {
      setCopied(`${r.person.name}’s personal link: ${link}`);
    }
  };

  return (
    <section class="card roster" aria-labelledby="roster-title">
      <h2 id="roster-title">Acknowledgements of version {props.current.version}</h2>
      <div class="rate" data-testid="roster-rate">{done().length} of {roster().length}</div>
      <div class="meter" role="img" aria-label={`${pc()}% acknowledged`}><span style={{ width: `${pc()}%` }} /></div>
      <Show when={roster().length > 0} fallback={<p class="muted">This policy applies to nobody in People yet.</p>}>
        <Tabs value={tab()} onChange={(v) => setTab(v as 'todo' | 'done')}>
          <Tabs.List class="tabs-list" aria-label="Who has acknowledged">
            <Tabs.Trigger class="tab-trigger" value="todo">Not yet ({notYet().length})</Tabs.Trigger>
            <Tabs.Trigger class="tab-trigger" value="done">Acknowledged ({done().length})</Tabs.Trigger>
          </Tabs.List>
        </Tabs>
        <Show when={roster().length > 8}>
          <Field label="Find a person" type="search" value={query()} onChange={setQuery} />
        </Show>
        <Show when={rows().length > 0} fallback={<p class="muted center">{tab() === 'done' ? 'Nobody has acknowledged this version yet.' : 'Everyone has acknowledged this version.'}</p>}>
          <VirtualList items={rows()} rowHeight={56} label={tab() === 'done' ? 'Acknowledged' : 'Not yet acknowledged'}>
            {(r) => (
              <div class="roster-row" data-testid="roster-row" data-status={r.status}>
                <a class="list-item" href={href('people', r.person.id)}>
                  <div class="grow">
                    <div class="title">{r.person.name}</div>
                    <div class="muted small">
                      {r.status === 'current' && r.ack
                        ? `Version ${r.ack.version}, ${formatInstant(r.ack.at)}${r.ack.signature ? ' · signed' : ''}`
                        : r.status === 'stale' && r.ack
                          ? `Stale (version ${r.ack.version})`
                          : 'Not acknowledged'}
                      {r.person.team ? ` · ${r.person.team}` : ''}
                    </div>
                  </div>
                  <Show when={r.status === 'current'} fallback={<Badge tone={r.status === 'stale' ? 'warn' : 'bad'}>{r.status === 'stale' ? 'Stale' : 'Missing'}</Badge>}>
                    <Badge tone="ok">Done</Badge>
                  </Show>
                </a>
                <Show when={r.status !== 'current'}>
                  <button class="link" onClick={() => void copyLink(r)} aria-label={`Copy ${r.person.name}’s personal link`}>Link</button>
                </Show>
              </div>
            )}
          </VirtualList>
        </Show>
        <Show when={copied()}><p class="muted small" role="status" style={{ 'overflow-wrap': 'anywhere' }}>{copied()}</p></Show>
        <button class="btn block" onClick={() => downloadCsv(acknowledgementsCsv(props.policy, props.current, roster(), fileStamp()))}>Export as CSV</button>
      </Show>
    </section>
  );
}
