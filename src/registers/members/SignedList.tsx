import { createMemo, createSignal, For, onCleanup, onMount, Show } from 'solid-js';
import { showRecoveryCode } from './recovery-code-state';
import { fingerprintWords, signingKeyId } from '../../crypto/signing';
import { formatInstant } from '../../domain/dates';
import type { DeviceKeys, MemberDevice } from '../../domain/membership';
import type { Role } from '../../domain/permissions';
import { Badge } from '../../ui/common';
import { useSession } from '../../ui/session';
import { type Member, MEMBER_ROLES, ROLE_LABELS } from './model';
import { fieldsIn, signKeyOf, signMemberList, vouchForHistory } from './signed';
import { relayUrl } from '../../sync/workspace-sync';

/*
 * The signed member list on the Members screen (issue 17): the root owner's
 * fingerprint, each device as the log makes it (who vouched, how, since when,
 * its key's fingerprint), devices not vouched for (owners confirm or remove),
 * and every refused entry with its reason: nothing is silently dropped.
 */

const VIA: Record<MemberDevice['via'], string> = {
  genesis: 'created the workspace',
  grant: 'added by an owner',
  vouch: 'vouched for when the member list was first signed',
  invite: 'joined with an invite',
  recovery: 'recovered ownership with the recovery code',
};

export default function SignedList() {
  const s = useSession();
  const log = () => s.members.log();
  const nameOfKey = (keyId: string) => log()?.current.byKey.get(keyId)?.name ?? (log()?.current.recoveryKeys.has(keyId) ? 'the recovery code' : 'an unknown key');
  const devices = createMemo(() => [...(log()?.current.devices.values() ?? [])].sort((a, b) => a.grantedAt.localeCompare(b.grantedAt)));
  /**
   * Devices that asked the relay to be admitted (a relay that admits proven devices only: they opened the plain
   * workspace link and cannot sync until an owner confirms them), read every 10 s while an owner has this open.
   */
  const [asked, setAsked] = createSignal<Array<{ device: DeviceKeys; name: string; at: string }>>([]);
  onMount(() => {
    const read = async () => {
      if (!s.members.signed() || !s.access.can('manage-members') || !navigator.onLine) return;
      const { fetchJoinRequests } = await import('../../sync/join-requests');
      const got = await fetchJoinRequests({ serverUrl: relayUrl(location), workspaceId: s.workspace().id, secret: s.workspace().secret, deviceId: s.device.deviceId });
      if (got) setAsked(got);
    };
    void read();
    const timer = setInterval(() => void read(), 10_000);
    onCleanup(() => clearInterval(timer));
  });
  /** Devices the log does not list (yet): plain records and join requests. They act as staff, or wait outside, until an owner confirms them. */
  const unvouched = createMemo(() => {
    if (!s.members.signed()) return [];
    const listed = (id: string) => !!log()?.current.devices.has(id);
    const rows: Array<{ deviceId: string; name: string; member?: Member; device?: DeviceKeys; askedAt?: string }> = s.members
      .active()
      .filter((m) => !listed(m.deviceId))
      .map((m) => ({ deviceId: m.deviceId, name: m.name, member: m }));
    for (const r of asked()) if (!listed(r.device.deviceId) && !rows.some((x) => x.deviceId === r.device.deviceId)) rows.push({ deviceId: r.device.deviceId, name: r.name, device: r.device, askedAt: r.at });
    return rows;
  });
  const [error, setError] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);
  const run = async (f: () => Promise<{ ok: boolean; error?: string }>) => {
    setBusy(true);
    setError(undefined);
    const r = await f().finally(() => setBusy(false));
    if (!r.ok) setError(r.error);
  };
  const confirm = (row: ReturnType<typeof unvouched>[number], role: Role) =>
    run(async () => {
      const m = row.member;
      const device = row.device ?? (m ? signKeyOf(m, fieldsIn(s.docs.members)(m.deviceId)) : undefined);
      if (!device) return { ok: false, error: 'This device has not published its signing key yet: it does when it next opens Muster.' };
      return (await s.access.actions()).sign([{ type: 'grant', device, name: row.name || 'Unnamed device', ...(m?.personId ? { personId: m.personId } : {}), role }]);
    });
  const signList = () =>
    run(async () => {
      const binding = s.members.membership();
      const keys = s.deviceKeys();
      if (!binding || !keys) return { ok: false, error: 'The member list is still loading. Try again in a moment.' };
      await signMemberList(binding, { deviceId: s.device.deviceId, name: s.workspace().memberName, ...(s.signer().personId ? { personId: s.signer().personId! } : {}) }, keys, s.members.all(), fieldsIn(s.docs.members));
      await vouchForHistory(s, keys);
      return { ok: true };
    });

  const recoveryLine = () => {
    const keys = [...(log()?.current.recoveryKeys.values() ?? [])];
    const open = keys.filter((k) => !k.spent).length;
    if (!keys.length) return 'No recovery code yet.';
    return `${open} unused recovery ${open === 1 ? 'code' : 'codes'}${keys.length > open ? `, ${keys.length - open} used` : ''}. Each works once; making a new one does not cancel the older ones.`;
  };
  const newCode = () =>
    run(async () => {
      const { createRecovery } = await import('../../crypto/recovery');
      const { code, payload } = await createRecovery(s.workspace().id);
      const r = await (await s.access.actions()).sign([payload]);
      if (r.ok) showRecoveryCode(code);
      return r;
    });
  return (
    <section class="card" data-testid="signed-list">
      <Show
        when={s.members.signed()}
        fallback={
          <>
            <h2>Member list not signed yet</h2>
            <p class="muted">Roles on this workspace are not signed yet: the first owner’s device signs the member list when it opens Muster.</p>
            <Show when={s.access.can('manage-members') && log()}>
              <button class="btn block" disabled={busy()} onClick={() => void signList()} data-testid="sign-list">Sign the member list</button>
            </Show>
          </>
        }
      >
        <h2>Signed member list</h2>
        <p data-testid="root-fingerprint">
          Root owner key: <code class="mb-fp">{fingerprintWords(log()!.current.root!)}</code>
          <Show when={s.workspace().rootFrom !== 'created' && s.workspace().rootFrom !== 'link'}>
            <br /><span class="muted small">Trusted because it was the first this device saw. Compare it with an owner’s screen.</span>
          </Show>
        </p>
        <ul class="list">
          <For each={devices()}>
            {(d) => (
              <li class="list-item" data-testid="signed-device">
                <div class="grow">
                  <div class="title">{d.name}</div>
                  <div class="muted small">
                    {d.removed ? `Removed ${formatInstant(d.removed.at)} by ${nameOfKey(d.removed.by)}` : `${ROLE_LABELS[d.role]} since ${formatInstant(d.roleSince)}`} ·{' '}
                    {VIA[d.via]}
                    {d.via === 'genesis' || d.via === 'recovery' ? '' : ` (${nameOfKey(d.grantedBy)})`} on {formatInstant(d.grantedAt)}
                  </div>
                  <div class="muted small">Key <code class="mb-fp">{fingerprintWords(d.keyId)}</code></div>
                </div>
                <Show when={d.removed} fallback={<Badge tone="info">{ROLE_LABELS[d.role]}</Badge>}><Badge tone="bad">Removed</Badge></Show>
              </li>
            )}
          </For>
        </ul>
        <p class="muted small" data-testid="recovery-keys">
          {recoveryLine()}
        </p>
        <Show when={s.access.can('manage-members')}>
          <button class="btn small" disabled={busy()} data-testid="new-recovery" onClick={() => void newCode()}>Make a new recovery code</button>
        </Show>
        <Show when={unvouched().length > 0}>
          <h3>Not vouched for</h3>
          <p class="muted small">These devices act as staff, and a relay that admits proven devices only lets them sync nothing, until an owner confirms them.</p>
          <ul class="list">
            <For each={unvouched()}>
              {(m) => (
                <li class="list-item mb-unvouched" data-testid="unvouched">
                  <div class="grow">
                    <div class="title">{m.name || 'Unnamed device'}</div>
                    <Show when={m.device}>
                      {(d) => (
                        <div class="muted small" data-testid="join-request">
                          Asked the relay to join on {formatInstant(m.askedAt!)}: it syncs nothing until you confirm it. Key <code class="mb-fp">{fingerprintWords(signingKeyId({ publicKey: d().signKey, alg: d().alg }))}</code>
                        </div>
                      )}
                    </Show>
                  </div>
                  <Show when={s.access.can('manage-members')}>
                    <div class="mb-confirm">
                      <For each={MEMBER_ROLES}>
                        {(r) => <button class="btn small" disabled={busy()} onClick={() => void confirm(m, r)}>Confirm as {ROLE_LABELS[r].toLowerCase()}</button>}
                      </For>
                      <Show when={m.member}>
                        <button class="btn small danger" disabled={busy()} onClick={() => void run(() => s.access.removeDevices([m.deviceId]))}>Remove</button>
                      </Show>
                    </div>
                  </Show>
                </li>
              )}
            </For>
          </ul>
        </Show>
        <Show when={log()!.refused.length > 0}>
          <h3>Refused entries</h3>
          <ul class="list">
            <For each={log()!.refused}>
              {(r) => <li class="muted small" data-testid="refused-entry">Refused: {r.reason} ({r.type || 'entry'}{r.at ? `, ${formatInstant(r.at)}` : ''})</li>}
            </For>
          </ul>
        </Show>
      </Show>
      <Show when={error()}><p class="field-error" role="alert">{error()}</p></Show>
    </section>
  );
}
