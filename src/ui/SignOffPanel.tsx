import { Dialog } from '@kobalte/core/dialog';
import { createSignal, For, type JSX, Show } from 'solid-js';
import { formatInstant } from '../domain/dates';
import type { SignOffEntry, SignOffState } from '../domain/signoff';
import { Field } from './Field';

export interface SignOffPanelProps {
  /** "checklist" or "minutes": used in the wording. */
  what: string;
  /** Heading of the panel; "Manager sign-off" unless given. */
  title?: string;
  state: SignOffState;
  history: SignOffEntry[];
  signerName: string;
  /** Why signing is not possible yet, if it is not. */
  blocked?: string | undefined;
  onSign: (note: string) => string | undefined;
  onCorrect: (entryId: string, note: string, withdraws: boolean) => string | undefined;
  /** Entries of this record that do not count (issue 17), with the sentence why. */
  flagged?: ReadonlyArray<{ entry: SignOffEntry; reason: string }> | undefined;
}

/**
 * Manager sign-off with its append-only history. Nothing here edits an entry:
 * a correction is a new entry that points at the one it corrects.
 */
export function SignOffPanel(props: SignOffPanelProps) {
  const [open, setOpen] = createSignal(false);
  const [note, setNote] = createSignal('');
  const [error, setError] = createSignal<string>();
  const [correcting, setCorrecting] = createSignal<SignOffEntry>();
  const [withdraws, setWithdraws] = createSignal(true);

  const sign = () => {
    const err = props.onSign(note());
    setError(err);
    if (!err) {
      setOpen(false);
      setNote('');
    }
  };
  const correct = () => {
    const target = correcting();
    if (!target) return;
    const err = props.onCorrect(target.id, note(), withdraws());
    setError(err);
    if (!err) {
      setCorrecting(undefined);
      setNote('');
    }
  };
  const byId = (id: string | undefined) => props.history.find((e) => e.id === id);

  return (
    <section class="card signoff" aria-labelledby="signoff-title">
      <h2 id="signoff-title">{props.title ?? 'Manager sign-off'}</h2>
      <Show when={props.state.state !== 'unsigned' && props.state} fallback={<p class="muted">Not signed off yet.</p>}>
        {(s) => (
          <p class={s().state === 'signed' ? 'ok' : 'warn'} data-testid="signoff-state">
            {s().state === 'signed' ? 'Signed off' : 'Changed since it was signed off'} by <strong>{s().entry.byName}</strong> on {formatInstant(s().entry.at)}
            {s().state === 'changed' ? ' — sign again to cover the changes.' : '.'}
          </p>
        )}
      </Show>
      <Show when={props.blocked}>
        <p class="muted">{props.blocked}</p>
      </Show>
      <button
        class="btn primary block"
        disabled={!!props.blocked}
        onClick={() => {
          setError(undefined);
          setOpen(true);
        }}
      >
        {props.state.state === 'unsigned' ? `Sign off ${props.what}` : `Sign off again`}
      </button>

      <Show when={props.history.length > 0}>
        <h3>History</h3>
        <ol class="history">
          <For each={[...props.history].reverse()}>
            {(e) => (
              <li data-testid="signoff-entry">
                <div>
                  <strong>{e.kind === 'signoff' ? 'Signed off' : e.withdraws ? 'Sign-off withdrawn' : 'Correction'}</strong> · {e.byName} · {formatInstant(e.at)}
                </div>
                <Show when={e.kind === 'correction'}>
                  <div class="muted">Corrects the sign-off of {formatInstant(byId(e.corrects)?.at ?? '')}</div>
                </Show>
                <Show when={e.note}>
                  <div class="note">{e.note}</div>
                </Show>
                <Show when={e.kind === 'signoff'}>
                  <button
                    class="link"
                    onClick={() => {
                      setError(undefined);
                      setNote('');
                      setWithdraws(true);
                      setCorrecting(e);
                    }}
                  >
                    Add a correction
                  </button>
                </Show>
              </li>
            )}
          </For>
        </ol>
      </Show>
      <Show when={(props.flagged ?? []).length > 0}>
        <h3>Not counted</h3>
        <ol class="history">
          <For each={props.flagged}>
            {(f) => (
              <li data-testid="flagged-entry">
                <div>
                  <strong>{f.entry.kind === 'signoff' ? 'Sign-off' : 'Correction'}</strong> · {f.entry.byName} · {formatInstant(f.entry.at)}
                </div>
                <div class="field-error">Not counted: {f.reason}</div>
              </li>
            )}
          </For>
        </ol>
      </Show>

      <NoteDialog open={open()} onClose={() => setOpen(false)} title={`Sign off the ${props.what}`} error={error()} action="Sign off" onAction={sign}>
        <Dialog.Description class="muted">
          You sign as <strong>{props.signerName}</strong>, now, on this device. The sign-off is kept as evidence and cannot be edited; a mistake is fixed by adding a correction.
        </Dialog.Description>
        <Field label="Note (optional)" value={note()} onChange={setNote} multiline />
      </NoteDialog>

      <NoteDialog open={!!correcting()} onClose={() => setCorrecting(undefined)} title="Correct a sign-off" error={error()} action="Add correction" onAction={correct}>
        <Dialog.Description class="muted">
          The original entry stays in the history. Your correction is added after it, signed by {props.signerName}.
        </Dialog.Description>
        <Field label="What is being corrected, and why" value={note()} onChange={setNote} multiline required />
        <label class="check">
          <input type="checkbox" checked={withdraws()} onChange={(e) => setWithdraws(e.currentTarget.checked)} />
          The corrected sign-off no longer stands
        </label>
      </NoteDialog>
    </section>
  );
}

/** The frame of the panel's two dialogs: title, what the children ask, the error, Cancel and the action. */
function NoteDialog(props: { open: boolean; onClose: () => void; title: string; error: string | undefined; action: string; onAction: () => void; children: JSX.Element }) {
  return (
    <Dialog open={props.open} onOpenChange={(o) => !o && props.onClose()}>
      <Dialog.Portal>
        <Dialog.Overlay class="overlay" />
        <Dialog.Content class="dialog">
          <Dialog.Title class="dialog-title">{props.title}</Dialog.Title>
          {props.children}
          <Show when={props.error}>
            <p class="field-error" role="alert">{props.error}</p>
          </Show>
          <div class="row end">
            <Dialog.CloseButton class="btn" aria-label="Cancel">Cancel</Dialog.CloseButton>
            <button class="btn primary" onClick={() => props.onAction()}>{props.action}</button>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog>
  );
}
