import { createSignal, Show } from 'solid-js';
import { Field } from '../../ui/Field';
import { useSession } from '../../ui/session';
import { relayCredential } from '../../sync/auth';
import { relayUrl } from '../../sync/workspace-sync';
import { type RecoverRelay, recoverOwnership } from './recover';

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
    const ws = s.workspace();
    const where = async () => ({ serverUrl: relayUrl(location), workspaceId: ws.id, credential: await relayCredential(ws.id, ws.secret) });
    // Outside the list on a relay that admits enrolled devices only, the relay hands out the recovery entries.
    const relay: RecoverRelay = {
      fetchEntries: async () => (await import('../../sync/enrol')).fetchRecoveryEntries(await where()),
      enrol: async (entry) => (await import('../../sync/enrol')).sendEnrol(await where(), entry),
      members: s.docs.members,
    };
    const why = await recoverOwnership(binding, ws.id, code(), me, keys, relay).finally(() => setBusy(false));
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
