import { For } from 'solid-js';
import { href } from '../../ui/router';
import { useSession } from '../../ui/session';
import type { ManagementReview } from '../reviews/model';
import { amountLabel, KIND_LABELS } from './model';

/** On a management review (the reviews register's `review-detail` slot): the resource approvals linked to it. */
export default function ReviewResources(props: { review: ManagementReview }) {
  const s = useSession();
  const linked = () => s.resources.forReview(props.review.id);
  return (
    <section class="card" aria-labelledby="rv-resources-title">
      <h2 id="rv-resources-title">Resources approved</h2>
      <ul class="rv-resources">
        <For each={linked()} fallback={<li class="muted rv-none">No resource approval is linked to this review.</li>}>
          {(x) => (
            <li>
              <a href={href('resources', x.id)} data-testid="linked-resource">
                <span class="grow">
                  <strong>{x.description}</strong>
                  <span class="muted small"> · {KIND_LABELS[x.kind]} · {x.control}</span>
                </span>
                <span class="rv-amount">{amountLabel(x)}</span>
              </a>
            </li>
          )}
        </For>
      </ul>
      <a class="btn block" href={href('resources', 'new', { review: props.review.id })}>Record a resource approval</a>
    </section>
  );
}
