import { Show } from 'solid-js';
import { formatDate } from '../domain/dates';
import { doneLabel, type FollowUp } from '../domain/follow-up';
import { useSession } from './session';

/** What an action row shows: the decision (text, owner, due date) and its follow-up. */
export interface ActionRowData extends FollowUp {
  id: string;
  text: string;
  ownerId: string;
  due: string;
  done: boolean;
}

/**
 * One action of minutes or a checklist item: a checkbox to tick it done
 * (follow-up, recorded with the day and who), its owner and due date, who
 * ticked it, and Remove.
 *
 * @example
 * <ActionRow action={a} testId="action" onDone={(done) => ...} onRemove={() => ...} />
 */
export function ActionRow(props: { action: ActionRowData; testId: string; onDone: (done: boolean) => void; onRemove: () => void }) {
  const s = useSession();
  const a = () => props.action;
  return (
    <li data-testid={props.testId}>
      <label class="check grow">
        <input type="checkbox" checked={a().done} onChange={(e) => props.onDone(e.currentTarget.checked)} />
        <span>
          <span classList={{ 'is-done': a().done }}>
            {a().text}
            <span class="muted"> · {a().ownerId ? s.people.nameOf(a().ownerId) : 'no owner'}{a().due ? ` · due ${formatDate(a().due)}` : ''}</span>
          </span>
          <Show when={a().done}>
            <span class="ok small" style={{ display: 'block' }} data-testid="action-done">{doneLabel(a())}</span>
          </Show>
        </span>
      </label>
      <button class="link" type="button" onClick={() => props.onRemove()} aria-label={`Remove action ${a().text}`}>Remove</button>
    </li>
  );
}
