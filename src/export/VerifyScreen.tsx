import { createSignal, For, Show } from 'solid-js';
import { ScreenHeader } from '../ui/common';
import { verifyPack, type VerifyReport } from './verify';
import { IdentityPart, RootKey } from './VerifyIdentity';
import { VERIFY_OPTIONS } from './rights';
import './verify.css';

/**
 * "Verify a pack": checks an exported evidence pack on this device. Nothing is
 * sent anywhere and nothing from the workspace is used, so it works offline and
 * for a pack from any workspace.
 */
export default function VerifyScreen() {
  const [report, setReport] = createSignal<VerifyReport>();
  const [fileName, setFileName] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string>();

  const choose = async (input: HTMLInputElement) => {
    const file = input.files?.[0];
    input.value = '';
    setReport(undefined);
    setError(undefined);
    if (!file) return;
    setFileName(file.name);
    setBusy(true);
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      // Let "Checking…" paint before the check of a large pack (hashing is synchronous).
      await new Promise((resolve) => setTimeout(resolve, 30));
      setReport(await verifyPack(bytes, VERIFY_OPTIONS));
    } catch {
      setError('This file cannot be read. Choose the evidence pack (.zip) again.');
    } finally {
      setBusy(false);
    }
  };

  const fileProblems = () => report()?.files.filter((f) => !f.ok) ?? [];
  const logProblems = () => {
    const r = report();
    if (!r) return [];
    return r.problems.filter((p) => !r.files.some((f) => f.problem === p));
  };

  return (
    <>
      <ScreenHeader title="Verify a pack" />
      <section class="card verify-pack">
        <p class="verify-intro">
          Check that an evidence pack exported from Muster is intact: every file and every evidence entry is compared with the fingerprints recorded
          when the pack was made. The check runs on this device; nothing is sent anywhere.
        </p>
        <div class="field">
          <label class="field-label" for="verify-file">Evidence pack (.zip)</label>
          <input
            id="verify-file"
            class="input"
            type="file"
            accept=".zip,application/zip"
            aria-describedby="verify-hint"
            data-testid="verify-file"
            disabled={busy()}
            onChange={(e) => void choose(e.currentTarget)}
          />
          <span class="field-hint" id="verify-hint">The .zip file that Muster exported, as the auditor received it.</span>
        </div>
        <Show when={busy()}>
          <p class="muted" role="status">Checking {fileName()}…</p>
        </Show>
        <Show when={error()}>
          <p class="banner error" role="alert">{error()}</p>
        </Show>
      </section>

      <Show when={report()}>
        {(r) => (
          <section class="card verify-result" data-testid="verify-result" data-ok={r().ok ? 'true' : 'false'} aria-live="polite">
            <div class={`verify-verdict ${r().ok ? 'good' : 'bad'}`} role="status" data-testid="verify-summary">
              <span class="verify-icon" aria-hidden="true">{r().ok ? '✓' : '✗'}</span>
              <div>
                <strong>{r().headline}</strong>
                <div class="small verify-file">{fileName()}</div>
              </div>
            </div>
            <Show when={r().identity}>{(id) => <RootKey id={id()} />}</Show>

            <Show when={r().readable}>
              <Show when={fileProblems().length > 0}>
                <h2>Files</h2>
                <ul class="verify-problems" data-testid="verify-file-problems">
                  <For each={fileProblems()}>{(f) => <li>{f.problem}</li>}</For>
                </ul>
              </Show>
              <Show when={logProblems().length > 0}>
                <h2>Evidence log</h2>
                <ul class="verify-problems" data-testid="verify-log-problems">
                  <For each={logProblems()}>{(p) => <li>{p}</li>}</For>
                </ul>
              </Show>
              <Show when={r().identity}>{(id) => <IdentityPart id={id()} />}</Show>
              <Show when={r().notes.length > 0}>
                <h2>Notes</h2>
                <ul class="verify-notes" data-testid="verify-notes">
                  <For each={r().notes}>{(n) => <li>{n}</li>}</For>
                </ul>
              </Show>

              <dl class="verify-facts">
                <Show when={r().generatedAt}>
                  <dt>Pack made</dt>
                  <dd>{new Date(r().generatedAt!).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' })}</dd>
                </Show>
                <dt>Entries checked</dt>
                <dd>{r().log.checked.toLocaleString('en-GB')}</dd>
                <Show when={r().log.stubs > 0}>
                  <dt>Outside the period or scope (link checked)</dt>
                  <dd>{r().log.stubs.toLocaleString('en-GB')}</dd>
                </Show>
                <Show when={r().log.unchained > 0}>
                  <dt>Written before the log existed (not chained)</dt>
                  <dd>{r().log.unchained.toLocaleString('en-GB')}</dd>
                </Show>
              </dl>
              <Show when={r().root}>
                <div class="verify-fingerprint">
                  <div class="verify-label">Log fingerprint</div>
                  <code class="verify-root" data-testid="verify-root">{r().root}</code>
                  <p class="muted small">
                    It pins the whole evidence history as it was when the pack was made. If you kept it elsewhere (for example from the report’s cover or an
                    earlier check), compare the two: a pack rebuilt from altered data shows another fingerprint.
                  </p>
                </div>
              </Show>

              <details class="verify-files">
                <summary>All files ({r().files.length})</summary>
                <ul>
                  <For each={r().files}>
                    {(f) => (
                      <li class={f.ok ? 'good' : 'bad'}>
                        <span aria-hidden="true">{f.ok ? '✓' : '✗'}</span> {f.path}
                        <span class="visually-hidden">{f.ok ? ' intact' : ' not intact'}</span>
                      </li>
                    )}
                  </For>
                </ul>
              </details>
            </Show>
          </section>
        )}
      </Show>
    </>
  );
}
