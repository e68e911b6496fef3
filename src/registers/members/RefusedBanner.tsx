import { Show } from 'solid-js';
import { useSession } from '../../ui/session';
import { RecoverForm } from './RecoverForm';

/** Why this device does not sync: removed, an out-of-date link, or waiting to be admitted by the relay (docs/RELAY.md). */
export default function RefusedBanner() {
  const s = useSession();
  const waiting = () => s.sync().admission === 'waiting';
  return (
    <div class={`banner mb-banner ${waiting() ? 'warn' : 'error'}`} role="alert" data-testid="access-refused">
      <strong>{s.sync().refusal}</strong>
      <span>
        {waiting()
          ? 'It asks again every few seconds and syncs by itself once admitted; until then what you change stays on this device.'
          : 'This device no longer syncs: what you change stays on this device only.'}
      </span>
      {/* Every owner's device lost: the recovery code lets this device in as an owner. */}
      <Show when={waiting()}>
        <RecoverForm />
      </Show>
    </div>
  );
}
