import { Show } from 'solid-js';
import { EmptyState, ScreenHeader } from './common';

/** Why a record is missing when nothing more is known: most often it has not synced here yet. */
const NOT_SYNCED = 'It may not have synced to this device yet.';

/**
 * What a screen shows when the record id in its URL is not on this device:
 * the title ("Role not found") and why, with, when given, the screen's header
 * and its back arrow (`header`, `back`) and a link back in the text (`backLabel`).
 */
export function NotFound(props: { title: string; why?: string; header?: string; back?: string; backLabel?: string }) {
  return (
    <>
      <Show when={props.header}>{(title) => <ScreenHeader title={title()} back={props.back} />}</Show>
      <EmptyState title={props.title}>
        <p>
          {props.why ?? NOT_SYNCED}
          <Show when={props.backLabel}>
            {' '}
            <a href={props.back}>{props.backLabel}</a>
          </Show>
        </p>
      </EmptyState>
    </>
  );
}
