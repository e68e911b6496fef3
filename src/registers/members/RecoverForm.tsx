import { createSignal, Show } from 'solid-js';
import { Field } from '../../ui/Field';
import { useSession } from '../../ui/session';
import { recoverOwnership } from './recover';

/** "Recover ownership with the recovery code": for a device not on the signed member list (every owner device lost). */
export function RecoverForm() {
  const s = useSession();
  const [open, setOpen] = createSignal(false);
  const [code, setCode] = createSignal('');
  const [error, setError] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const binding = s.members.membership();
    const keys = s.deviceKeys();
    if (!code().trim()) return setError('Type the recovery code, as printed or saved.');
    if (!binding || !keys) return setError('The member list is still loading. Try again in a moment.');
    setBusy(true);
    const me = { deviceId: s.device.deviceId, name: s.workspace().memberName, ...(s.signer().personId ? { personId: s.signer().personId! } : {}) };
    const why = await recoverOwnership(binding, s.workspace().id, code(), me, keys).finally(() => setBusy(false));
    setError(why);
    if (!why) setOpen(false);
  };
  return (
    <Show when={open()} fallback={<button class="btn small" data-testid="recover-open" onClick={() => setOpen(true)}>Recover ownership with the recovery code</button>}>
      <form class="card mb-recover-form" onSubmit={(e) => void submit(e)} novalidate data-testid="recover-form">
        <h2>Recover ownership</h2>
        <p class="muted small">If every owner’s device is lost, the recovery code made when the workspace was created makes this device an owner. Everyone sees that it was used.</p>
        {/* Multiline: the whole code (34 characters with its spaces) stays in sight at phone width, to check against the paper. */}
        <div class="mb-recover-code">
          <Field label="Recovery code" value={code()} onChange={setCode} error={error()} autocomplete="off" multiline description="28 letters and digits in 7 groups of 4, as printed or saved." />
        </div>
        <button class="btn primary block" type="submit" disabled={busy()}>{busy() ? 'Checking the code…' : 'Recover ownership'}</button>
        <button class="btn block" type="button" disabled={busy()} onClick={() => (setOpen(false), setError(undefined))}>Cancel</button>
      </form>
    </Show>
  );
}
