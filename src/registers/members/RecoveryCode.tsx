import { Show } from 'solid-js';
import { recoveryCode, recoveryKept } from './recovery-code-state';
import { useSession } from '../../ui/session';

/*
 * The recovery code, shown once right after it is made (creating a workspace,
 * or an owner's "Make a new recovery code"). It is never stored on the device:
 * only its sealed key is in the signed member list.
 */
export function RecoveryCode() {
  const s = useSession();
  const save = (code: string) => {
    const text = `Muster recovery code for ${s.workspace().orgName}\n\n${code}\n\nIf every owner's device is lost, open Muster on a new device with the workspace link, choose "Recover ownership with the recovery code" and type this code: that device becomes an owner. The code works once. Keep it somewhere safe, away from your phone.\n`;
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `muster-recovery-code-${s.workspace().orgName.replace(/[^A-Za-z0-9]+/g, '-').toLowerCase() || 'workspace'}.txt`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  return (
    <Show when={recoveryCode()}>
      {(code) => (
        <section class="card mb-recovery" role="dialog" aria-labelledby="recovery-title" data-testid="recovery-code-screen">
          <h2 id="recovery-title">Your recovery code</h2>
          <p>If every owner’s device is lost or broken, this code makes a new device an owner of {s.workspace().orgName}. It works once, and Muster shows it only now.</p>
          <p class="mb-code" data-testid="recovery-code">{code()}</p>
          <p class="muted small">Print it or download it as a file, and keep it away from this phone. Anyone who has it and the workspace link can take ownership.</p>
          <div class="mb-actions">
            <button class="btn" onClick={() => print()}>Print</button>
            <button class="btn" onClick={() => save(code())}>Download as a file</button>
          </div>
          <button class="btn primary block" data-testid="recovery-kept" onClick={() => recoveryKept()}>I have kept it</button>
        </section>
      )}
    </Show>
  );
}
