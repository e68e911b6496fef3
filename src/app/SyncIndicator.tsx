import { createSignal, Show } from 'solid-js';
import type { WorkspaceSyncState } from '../sync/workspace-sync';
import { plural } from '../domain/plural';

const LABELS = {
  synced: 'Synced',
  syncing: 'Syncing',
  connecting: 'Connecting',
  offline: 'Offline',
  refused: 'Not syncing',
} as const;

/** Online / offline / syncing, and how many local edits the relay has not yet confirmed. */
export function SyncIndicator(props: { state: WorkspaceSyncState }) {
  const title = () =>
    props.state.refusal ??
    (props.state.unconfirmed > 0
      ? `${plural(props.state.unconfirmed, 'change')} saved on this device, not yet on the relay`
      : props.state.notice ??
        (props.state.status === 'synced'
          ? 'Everything on this device is on the relay'
          : 'Saved on this device'));
  return (
    <div class="sync" data-status={props.state.status} role="status" aria-label={`${LABELS[props.state.status]}. ${title()}`} title={title()} data-testid="sync-indicator">
      <span class="dot" aria-hidden="true" />
      <span class="sync-label">{LABELS[props.state.status]}</span>
      <Show when={props.state.unconfirmed > 0}>
        <span class="sync-count" data-testid="unconfirmed">{props.state.unconfirmed}</span>
      </Show>
    </div>
  );
}

/** Above every screen: the relay went back to an older state and this device re-sent what it holds (until dismissed). */
export function SyncNotice(props: { state: WorkspaceSyncState }) {
  const [dismissed, setDismissed] = createSignal<string>();
  return (
    <Show when={props.state.notice && props.state.notice !== dismissed()}>
      <div class="banner sync-notice" role="status" data-testid="sync-notice">
        <span>{props.state.notice}</span>
        <button class="btn small" onClick={() => setDismissed(props.state.notice)}>OK</button>
      </div>
    </Show>
  );
}

