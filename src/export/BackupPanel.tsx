import { createSignal, For, Show } from 'solid-js';
import { REGISTER_LABELS } from '../ui/registry';
import type { RegisterName } from '../store/registers';
import { fileStamp } from '../ui/common';
import { formatDate } from '../domain/dates';
import { useSession } from '../ui/session';
import { attachmentsIn, backupFileName, backupJson, buildBackup, type BackupSummary, type LeftOut, leftOutText, type ParsedBackup, parseBackup } from './backup';
import './backup.css';
import { downloadBlob } from '../evidence/download';
import { applyBackup, planRestore, type RestorePlan, type RestoreResult } from './restore';
import { plural } from '../domain/plural';



function countRows(summary: BackupSummary) {
  return (Object.keys(REGISTER_LABELS) as RegisterName[])
    .map((r) => ({ register: r, label: REGISTER_LABELS[r], ...(summary[r] ?? { records: 0, entries: 0 }) }))
    .filter((row) => row.records > 0 || row.entries > 0);
}

function saveFile(name: string, text: string): void {
  downloadBlob(name, new Blob([text], { type: 'application/json' }));
}

/**
 * Settings section: download the whole workspace as one JSON file, and restore one
 * (checked in full, summarised, confirmed, then merged into this workspace).
 */
export default function BackupPanel() {
  const s = useSession();
  const [error, setError] = createSignal<string>();
  const [pending, setPending] = createSignal<{ parsed: ParsedBackup; plan: RestorePlan; fileName: string }>();
  const [result, setResult] = createSignal<RestoreResult>();

  // What the file will not hold, said before it is downloaded and recorded in it.
  const leftOut = (): LeftOut => ({ speakupReports: s.speakup?.kpiRows().length ?? 0, ...attachmentsIn(s.docs) });

  const signNow = async (vouch: boolean) => {
    const [{ signAllPending }, { deviceKeyPair }] = await Promise.all([import('../store/evidence-signer'), import('../store/device-keys')]);
    await signAllPending({ docs: s.docs, members: s.docs.members, workspace: s.workspace().id, root: s.workspace().root ?? s.members.log()?.current.root, self: s.device.deviceId, key: () => deviceKeyPair().then((k) => k.sign), vouch });
  };
  const vouchRestored = () => signNow(true).catch((e: unknown) => console.warn('restore: vouching for the restored entries failed', e));

  const download = async () => {
    // Entries this device wrote a moment ago may not be signed yet: the file carries their signatures.
    await signNow(false).catch((e: unknown) => console.warn('backup: signing pending entries failed', e));
    const org = s.settings.orgName();
    const backup = buildBackup({ docs: s.docs, workspace: { id: s.workspace().id, orgName: org }, createdAt: new Date().toISOString(), leftOut: leftOut() });
    saveFile(backupFileName(org, fileStamp()), backupJson(backup));
  };

  const current = () => ({ workspaceId: s.workspace().id, docs: s.docs });

  const choose = async (input: HTMLInputElement) => {
    const file = input.files?.[0];
    input.value = '';
    setError(undefined);
    setPending(undefined);
    setResult(undefined);
    if (!file) return;
    let text: string;
    try {
      text = await file.text();
    } catch {
      setError('This file cannot be read. Nothing was restored.');
      return;
    }
    const parsed = parseBackup(text);
    if (!parsed.ok) return setError(parsed.error);
    const plan = planRestore(parsed.value, current());
    if (!plan.ok) return setError(plan.error);
    setPending({ parsed: parsed.value, plan: plan.value, fileName: file.name });
  };

  const confirm = () => {
    const p = pending();
    if (!p) return;
    try {
      setResult(applyBackup(p.parsed, current()));
      setPending(undefined);
      // An owner restoring into a signed workspace vouches for what the file holds (its signatures are another
      // workspace's, or missing): a deliberate act, so the restored evidence counts; anyone else's restore stays flagged.
      if (s.members.signed() && s.access.can('manage-members')) void vouchRestored();
    } catch (e) {
      setPending(undefined);
      setError(e instanceof Error ? e.message : 'The backup could not be restored. Nothing was restored.');
    }
  };

  const addedRows = () => countRows(result()?.added ?? {});

  return (
    <section class="card backup-panel" data-testid="backup-panel">
      <h2>Backup and restore</h2>
      <p class="muted">
        A backup is one JSON file with every register of this workspace, made on this device (it works offline; nothing is sent anywhere). Keep it somewhere
        safe: it contains all records, including confidential ones.
      </p>
      <p class="muted" data-testid="backup-left-out">{leftOutText(leftOut()) || 'Nothing is left out: this workspace has no speak-up reports and no attached files.'}</p>
      <button class="btn block" onClick={download}>Download backup</button>

      <div class="field">
        <label class="field-label" for="restore-file">Restore from a backup file</label>
        <span class="field-hint" id="restore-hint">
          Into a new, empty workspace, or into the workspace the backup was made from. Restoring merges with what is here; restoring twice adds nothing.
        </span>
        <input
          id="restore-file"
          class="input"
          type="file"
          accept=".json,application/json"
          aria-describedby="restore-hint"
          data-testid="restore-file"
          onChange={(e) => void choose(e.currentTarget)}
        />
      </div>

      <Show when={error()}>
        <p class="banner error" role="alert" data-testid="restore-error">{error()}</p>
      </Show>

      <Show when={pending()}>
        {(p) => (
          <div class="stack backup-confirm" data-testid="restore-confirm" role="region" aria-label="Restore summary">
            <h3>Restore this backup?</h3>
            <p>
              <strong>{p().parsed.backup.workspace.orgName}</strong>, made {formatDate(p().parsed.backup.createdAt.slice(0, 10))}{' '}
              <span class="muted">({p().fileName})</span>
            </p>
            <p class="muted">
              {p().plan.kind === 'merge'
                ? 'This is a backup of this workspace: what is missing here will be added back; nothing here is removed or overwritten.'
                : p().plan.kind === 'fill'
                  ? 'This workspace is empty: the backup’s records will be added to it. It keeps its own name.'
                  : 'This workspace was restored from this backup’s workspace before: only what is new will be added.'}
            </p>
            <Show when={leftOutText(p().parsed.backup.leftOut)}>
              <p class="muted" data-testid="restore-left-out">{leftOutText(p().parsed.backup.leftOut)}</p>
            </Show>
            <table class="backup-summary">
              <thead>
                <tr><th scope="col">Register</th><th scope="col">Records</th><th scope="col">Entries</th></tr>
              </thead>
              <tbody>
                <For each={countRows(p().plan.summary)} fallback={<tr><td colSpan={3}>The backup is empty.</td></tr>}>
                  {(row) => (
                    <tr data-testid="summary-row">
                      <th scope="row">{row.label}</th>
                      <td>{row.records}</td>
                      <td>{row.entries}</td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
            <div class="row">
              <button class="btn primary" onClick={confirm}>Restore</button>
              <button class="btn" onClick={() => setPending(undefined)}>Cancel</button>
            </div>
          </div>
        )}
      </Show>

      <Show when={result()}>
        <div class="backup-result" role="status" data-testid="restore-result">
          <Show when={addedRows().length > 0} fallback={<p><strong>Nothing to add:</strong> everything in this backup is already here.</p>}>
            <p><strong>Restored.</strong> Added:</p>
            <ul>
              <For each={addedRows()}>
                {(row) => (
                  <li data-testid="added-row">
                    {row.label}: {plural(row.records, 'record', 'records')}
                    {row.entries ? `, ${plural(row.entries, 'entry', 'entries')}` : ''}
                  </li>
                )}
              </For>
            </ul>
          </Show>
        </div>
      </Show>
    </section>
  );
}
