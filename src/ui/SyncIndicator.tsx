import { Show } from 'solid-js';
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
      : props.state.status === 'synced'
        ? 'Everything on this device is on the relay'
        : 'Saved on this device');
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
