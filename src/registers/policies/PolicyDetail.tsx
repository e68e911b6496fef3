import { For, Show } from 'solid-js';
import { formatDate, formatInstant } from '../../domain/dates';
import { Badge, ScreenHeader } from '../../ui/common';
import { href } from '../../ui/router';
import { useSession } from '../../ui/session';
import { slotPanels } from '../../ui/slots';
import type { Policy, Publication } from './model';
import { PolicyText } from './PolicyText';
import { usePolicyFacts } from './usePolicyFacts';
import { NotFound } from '../../ui/NotFound';

/** What other registers show under the actions (acknowledgements: the roster of the current version). */
const DetailPanels = slotPanels('policy-detail');

export function PolicyDetail(props: { id: string }) {
  const s = useSession();
  const policy = () => s.policies.byId().get(props.id);
  return (
    <Show
      when={policy()}
      fallback={<NotFound header="Policy" back={href('policies')} title="Policy not found" />}
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

      <DetailPanels policy={props.policy} current={current()} />

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
