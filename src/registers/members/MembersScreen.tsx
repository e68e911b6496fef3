import { createEffect, createMemo, createSignal, For, Match, on, Show, Switch } from 'solid-js';
import { formatInstant } from '../../domain/dates';
import { invitableRoles, type Role } from '../../domain/permissions';
import { matchesQuery } from '../../domain/text';
import { downloadCsv } from '../../evidence/download';
import { joinLink } from '../../store/workspace';
import { Badge, EmptyState, fileStamp, ScreenHeader } from '../../ui/common';
import { Field, SelectField } from '../../ui/Field';
import { href, route } from '../../ui/router';
import { useSession } from '../../ui/session';
import { membersCsv } from './export';
import { INVITE_STATE_LABELS, inviteState, type Invite, type Member, MEMBER_ROLES, ROLE_LABELS } from './model';
import { plural, pluralWord } from '../../domain/plural';
import './members.css';
import { NotFound } from '../../ui/NotFound';
import SignedList from './SignedList';

/*
 * Routes:
 *   #/members                 devices and invites
 *   #/members/new             invite a person
 *   #/members/invite?id=      one invite: link, QR code, who used it, revoke
 *   #/members/device?id=      one device: role, remove
 */
export default function MembersScreen() {
  const param = (k: string) => route().params.get(k) ?? '';
  return (
    <Switch fallback={<MemberList />}>
      <Match when={route().id === 'new'}><InviteForm /></Match>
      <Match when={route().id === 'invite'}><InviteDetail id={param('id')} /></Match>
      <Match when={route().id === 'device'}><DeviceDetail id={param('id')} /></Match>
    </Switch>
  );
}

const TONE = { owner: 'info', manager: 'ok', staff: 'muted' } as const;
const STATE_TONE = { open: 'warn', used: 'ok', revoked: 'muted' } as const;

export function RoleBadge(props: { role: Role }) {
  return <Badge tone={TONE[props.role]}>{ROLE_LABELS[props.role]}</Badge>;
}

function MemberList() {
  const s = useSession();
  const [query, setQuery] = createSignal('');
  const [show, setShow] = createSignal('active');
  const personName = (m: Member) => (m.personId ? s.people.nameOf(m.personId) : '');
  const devices = createMemo(() =>
    s.members
      .all()
      .filter((m) => (show() === 'all' || (show() === 'removed' ? m.removed : !m.removed)) && matchesQuery(query(), m.name, personName(m), ROLE_LABELS[m.role])),
  );
  const invites = createMemo(() =>
    s.members.invites().filter((i) => (show() === 'all' || (show() === 'removed' ? i.revoked : !i.revoked)) && matchesQuery(query(), i.name, ROLE_LABELS[i.role])),
  );
  return (
    <>
      <ScreenHeader title="Members">
        <Show when={s.access.can('invite:staff')}>
          <a class="btn primary small" href={href('members', 'new')}>Invite</a>
        </Show>
      </ScreenHeader>
      <p class="muted" data-testid="my-role">
        This device: {s.workspace().memberName} · <RoleBadge role={s.access.role()} />
        <Show when={!s.access.can('manage-members')}> — {s.access.why('manage-members')}</Show>
      </p>
      <PendingRemovals />
      <SignedList />
      <Show
        when={s.members.all().length > 1 || s.members.invites().length > 0}
        fallback={
          <EmptyState title="Only this device so far">
            <p>Invite the people who should use Muster: each gets a link and a QR code to open on their phone, with the role you choose.</p>
            <Show when={s.access.can('invite:staff')}><a class="btn primary" href={href('members', 'new')}>Invite a person</a></Show>
          </EmptyState>
        }
      >
        <div class="filters">
          <Field label="Search" type="search" value={query()} onChange={setQuery} placeholder="Name, person or role" />
          <SelectField
            label="Show"
            value={show()}
            onChange={setShow}
            options={[
              { value: 'active', label: 'Active devices, open and used invites' },
              { value: 'removed', label: 'Removed devices, revoked invites' },
              { value: 'all', label: 'Everything' },
            ]}
          />
        </div>
        <h2>Devices</h2>
        <p class="muted count" aria-live="polite">{plural(devices().length, 'device', 'devices')}</p>
        <ul class="list">
          <For each={devices()} fallback={<li class="muted center">No device matches.</li>}>
            {(m) => (
              <li>
                <a class="list-item" href={href('members', 'device', { id: m.deviceId })} data-testid="member-row">
                  <div class="grow">
                    <div class="title">{m.name || 'Unnamed device'}</div>
                    <div class="muted">{personName(m) ? `Linked to ${personName(m)}` : 'Not linked to a person'}</div>
                    <div class="muted small">{m.removed ? `Removed ${m.removedAt ? formatInstant(m.removedAt) : ''}` : m.lastSeen ? `Last seen ${formatInstant(m.lastSeen)}` : `Joined ${formatInstant(m.joinedAt)}`}</div>
                  </div>
                  <div class="mb-badges">
                    <Show when={m.deviceId === s.device.deviceId}><Badge tone="info">This device</Badge></Show>
                    <Show when={m.removed} fallback={<RoleBadge role={roleOf(s, m)} />}><Badge tone="bad">Removed</Badge></Show>
                  </div>
                </a>
              </li>
            )}
          </For>
        </ul>
        <h2>Invites</h2>
        <ul class="list">
          <For each={invites()} fallback={<li class="muted center">No invite matches.</li>}>
            {(i) => (
              <li>
                <a class="list-item" href={href('members', 'invite', { id: i.id })} data-testid="invite-row">
                  <div class="grow">
                    <div class="title">{i.name}</div>
                    <div class="muted">{ROLE_LABELS[i.role]} · by {i.createdByName || 'a device'} on {formatInstant(i.createdAt)}</div>
                    <Show when={i.uses.length}><div class="muted small">Used by {usedBy(i, s.members.byDevice())}</div></Show>
                  </div>
                  <Badge tone={STATE_TONE[inviteState(i)]}>{INVITE_STATE_LABELS[inviteState(i)]}</Badge>
                </a>
              </li>
            )}
          </For>
        </ul>
        <button class="btn block" onClick={() => downloadCsv(membersCsv(s.members.all(), s.members.invites(), s.people.nameOf, fileStamp()))}>Export members and invites (CSV)</button>
      </Show>
    </>
  );
}

/** The role a device acts with: the signed list's once there is one (staff when not in it), else its record's. */
const roleOf = (s: ReturnType<typeof useSession>, m: Member): Role => {
  if (!s.members.signed()) return m.role;
  const d = s.members.log()?.current.devices.get(m.deviceId);
  return d && !d.removed ? d.role : 'staff';
};

const usedBy = (i: Invite, devices: ReadonlyMap<string, Member>) => i.uses.map((u) => devices.get(u.deviceId)?.name || 'a device').join(', ');

/** Removed devices that can still sync because the workspace key has not changed since. */
function PendingRemovals() {
  const s = useSession();
  return (
    <Show when={s.members.pendingRemovals().length > 0}>
      <section class="card mb-attention" data-testid="pending-rotation">
        <h2>Workspace key not changed yet</h2>
        <p>
          {s.members.pendingRemovals().map((m) => m.name || 'A device').join(', ')} {pluralWord(s.members.pendingRemovals().length, 'was', 'were')} removed, but can still
          sync until the workspace key changes.
        </p>
        <Show when={s.access.rotationError()}><p class="field-error" role="alert">{s.access.rotationError()}</p></Show>
        <Show when={s.access.can('manage-members')} fallback={<p class="muted">An owner’s device changes the key when it is online.</p>}>
          <button class="btn primary block" disabled={s.access.rotating()} onClick={() => void s.access.rotateNow()}>
            {s.access.rotating() ? 'Changing the key…' : 'Change the workspace key now'}
          </button>
        </Show>
      </section>
    </Show>
  );
}

function InviteForm() {
  const s = useSession();
  const roles = () => invitableRoles(s.access.role());
  const [personId, setPersonId] = createSignal(route().params.get('person') ?? '');
  const [name, setName] = createSignal('');
  const [role, setRole] = createSignal<string>('staff');
  const [errors, setErrors] = createSignal<Partial<Record<string, string>>>({});
  const people = createMemo(() => s.access.visiblePeople().filter((p) => !p.archived));
  const chosen = () => (personId() ? s.people.byId().get(personId()) : undefined);
  const [days, setDays] = createSignal('7');
  const submit = async (e: Event) => {
    e.preventDefault();
    const r = await (await s.access.actions()).createInvite({ personId: personId(), name: chosen()?.name ?? name(), role: role() }, Number(days()));
    if (!r.ok) return setErrors(r.errors);
    location.hash = href('members', 'invite', { id: r.value.id });
  };
  return (
    <>
      <ScreenHeader title="Invite a person" back={href('members')} />
      <Show when={roles().length > 0} fallback={<p class="banner error" role="alert" data-testid="refused">{s.access.why('invite:staff')}</p>}>
        <form class="card" onSubmit={(e) => void submit(e)} novalidate>
          <SelectField
            label="Person"
            value={personId()}
            onChange={(v) => {
              setPersonId(v);
              setErrors({});
            }}
            placeholder="Someone not in People yet"
            options={people().map((p) => ({ value: p.id, label: `${p.name}${p.team ? ` (${p.team})` : ''}` }))}
          />
          <Show when={!personId()}>
            <Field label="Their name" value={name()} onChange={setName} error={errors()['name']} required autocomplete="off" description="Add them to People later; an owner can link the device then." />
          </Show>
          <SelectField label="Role" value={role()} onChange={setRole} options={roles().map((r) => ({ value: r, label: ROLE_LABELS[r] }))} error={errors()['role']} />
          <p class="muted small">{ROLE_HINTS[role() as Role] ?? ''}</p>
          <SelectField label="Expires after" value={days()} onChange={setDays} options={[{ value: '1', label: '1 day' }, { value: '7', label: '7 days' }, { value: '30', label: '30 days' }]} error={errors()["expires"]} />
          <button class="btn primary block" type="submit">Create invite link</button>
        </form>
      </Show>
    </>
  );
}

const ROLE_HINTS: Record<Role, string> = {
  owner: 'Owners see and change everything, manage members and remove devices.',
  manager: 'Managers see their team: checklists, briefings, people, training and acknowledgements.',
  staff: 'Staff see their own policies, training and gaps, and can speak up.',
};

function InviteDetail(props: { id: string }) {
  const s = useSession();
  const invite = () => s.members.inviteById().get(props.id);
  const link = createMemo(() => {
    const i = invite();
    if (!i || i.revoked) return '';
    // The signed invite entry's id (`e=`): the invited phone enrols with the relay before it first connects.
    const entry = s.members.log()?.current.invites.get(i.id)?.entry;
    return joinLink(location.origin, { ...s.workspace(), orgName: s.settings.orgName() }, { id: i.id, name: i.name, ...(entry ? { entry } : {}) }, s.workspace().root ?? s.members.log()?.current.root);
  });
  const [qr, setQr] = createSignal('');
  // The QR library is a lazy chunk: only this screen loads it.
  createEffect(
    on(link, (l) => {
      setQr('');
      if (l) void import('qrcode').then((q) => q.toDataURL(l, { margin: 1, width: 480, errorCorrectionLevel: 'M' })).then(setQr);
    }),
  );
  const [copied, setCopied] = createSignal(false);
  const [error, setError] = createSignal<string>();
  const [confirming, setConfirming] = createSignal(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(link());
      setCopied(true);
    } catch {
      setError('This browser did not allow copying: select the link and copy it by hand.');
    }
  };
  const share = () =>
    void navigator.share({ title: `Join ${s.settings.orgName()} on Muster`, url: link() }).catch((err: unknown) => {
      // Closing the share sheet rejects with AbortError: the person chose not to share, so nothing is said.
      if (!(err instanceof DOMException && err.name === 'AbortError')) setError('This browser did not share the link: copy it and send it yourself.');
    });
  const revoke = async () => {
    if (!confirming()) return setConfirming(true);
    const r = await (await s.access.actions()).revokeInvite(props.id);
    setConfirming(false);
    setError(r.ok ? undefined : r.error);
  };
  return (
    <>
      <ScreenHeader title="Invite" back={href('members')} />
      <Show when={invite()} fallback={<NotFound title="Invite not found" />}>
        {(i) => (
          <>
            <section class="card">
              <h2 data-testid="invite-for">{i().name}</h2>
              <p>
                <RoleBadge role={i().role} /> <Badge tone={STATE_TONE[inviteState(i())]}>{INVITE_STATE_LABELS[inviteState(i())]}</Badge>
              </p>
              <p class="muted small">Made by {i().createdByName || 'a device'} on {formatInstant(i().createdAt)}.{i().revokedAt ? ` Revoked on ${formatInstant(i().revokedAt!)}.` : ''}</p>
              <Show when={i().uses.length}>
                <p data-testid="invite-used">Used by {i().uses.map((u) => `${s.members.byDevice().get(u.deviceId)?.name || 'a device'} (${formatInstant(u.at)})`).join(', ')}.</p>
              </Show>
            </section>
            <Show when={link()}>
              <section class="card">
                <h2>Send this link to {i().name}</h2>
                <p class="muted">
                  Opening it on their phone joins {s.settings.orgName()} as {ROLE_LABELS[i().role].toLowerCase()}
                  {i().personId ? `, linked to ${s.people.nameOf(i().personId!)} in People` : ''}. It contains the workspace key, in the part after “#” that is
                  never sent to a server: send it only to them. It stops working when the key changes (after a device is removed); open this page again for a
                  fresh one.
                </p>
                <Show when={qr()} fallback={<div class="mb-qr mb-qr-wait" aria-hidden="true" />}>
                  <img class="mb-qr" src={qr()} alt="QR code of the invite link" data-testid="invite-qr" />
                </Show>
                <textarea class="input mono" readonly rows="4" aria-label="Invite link" data-testid="invite-link" value={link()} onFocus={(e) => e.currentTarget.select()} />
                <div class="row mb-actions">
                  <button class="btn grow" onClick={() => void copy()}>{copied() ? 'Copied' : 'Copy link'}</button>
                  <Show when={typeof navigator.share === 'function'}>
                    <button class="btn grow" onClick={share}>Share…</button>
                  </Show>
                </div>
              </section>
            </Show>
            <Show when={error()}><p class="field-error" role="alert">{error()}</p></Show>
            <Show when={!i().revoked && (s.access.can('manage-members') || i().createdBy === s.device.deviceId)}>
              <button class="btn block" data-testid="revoke" onClick={() => void revoke()}>{confirming() ? 'Tap again to revoke: the link stops linking devices' : 'Revoke this invite'}</button>
              <p class="muted small">A device that already joined with it stays: remove it under Devices to cut it off.</p>
            </Show>
          </>
        )}
      </Show>
    </>
  );
}

function DeviceDetail(props: { id: string }) {
  const s = useSession();
  const m = () => s.members.byDevice().get(props.id);
  const [error, setError] = createSignal<string>();
  const [done, setDone] = createSignal<string>();
  const [confirm, setConfirm] = createSignal<'device' | 'person' | ''>('');
  const [busy, setBusy] = createSignal(false);
  const devicesOfPerson = createMemo(() => {
    const pid = m()?.personId;
    return pid ? s.members.active().filter((d) => d.personId === pid) : [];
  });
  const setRole = async (role: string) => {
    const r = await (await s.access.actions()).setRole(props.id, role as Role);
    setError(r.ok ? undefined : r.error);
    setDone(r.ok ? 'Role saved.' : undefined);
  };
  const remove = async (which: 'device' | 'person') => {
    if (confirm() !== which) return setConfirm(which);
    setConfirm('');
    setBusy(true);
    setDone(undefined);
    const ids = which === 'device' ? [props.id] : devicesOfPerson().map((d) => d.deviceId);
    const r = await s.access.removeDevices(ids);
    setBusy(false);
    if (!r.ok) return setError(r.error);
    setError(r.rotated ? undefined : s.access.rotationError());
    setDone(
      r.rotated
        ? `Removed. The workspace key was changed: ${pluralWord(ids.length, 'that device', 'those devices')} can no longer sync, and earlier links stop working.`
        : 'Removed. The workspace key has not changed yet, so the removed device can still sync until it does.',
    );
  };
  return (
    <>
      <ScreenHeader title={m()?.name || 'Device'} back={href('members')} />
      <Show when={m()} fallback={<NotFound title="Device not found" />}>
        {(d) => (
          <>
            <section class="card">
              <p>
                <Show when={d().removed} fallback={<RoleBadge role={d().role} />}><Badge tone="bad">Removed</Badge></Show>{' '}
                <Show when={d().deviceId === s.device.deviceId}><Badge tone="info">This device</Badge></Show>
              </p>
              <p>{d().personId ? `Linked to ${s.people.nameOf(d().personId!) || 'a person not on this device yet'}.` : 'Not linked to a person in People.'}</p>
              <p class="muted small">
                Joined {formatInstant(d().joinedAt)}
                {d().lastSeen ? ` · last seen ${formatInstant(d().lastSeen!)}` : ''} · device <code>{d().deviceId.slice(0, 8)}</code>
                {d().inviteId ? ' · joined with an invite' : ''}
              </p>
              <Show when={d().removed}>
                <p class="muted small" data-testid="removed-info">
                  Removed {d().removedAt ? formatInstant(d().removedAt!) : ''} by {s.members.byDevice().get(d().removedBy ?? '')?.name || 'an owner'}.
                </p>
              </Show>
            </section>
            <Show when={!d().removed}>
              <section class="card">
                <h2>Role</h2>
                <Show when={s.access.can('manage-members')} fallback={<p class="muted" data-testid="refused">{s.access.why('manage-members')}</p>}>
                  <SelectField label="Role" value={roleOf(s, d())} onChange={(r) => void setRole(r)} options={MEMBER_ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }))} />
                  <p class="muted small">{ROLE_HINTS[d().role]}</p>
                </Show>
              </section>
              <Show when={s.access.can('manage-members') && d().deviceId !== s.device.deviceId}>
                <section class="card">
                  <h2>Remove</h2>
                  <p class="muted">
                    The device keeps what it already synced, but the workspace key changes for every other device, so it cannot sync any more. Needs a connection.
                  </p>
                  <button class="btn block danger" disabled={busy()} onClick={() => void remove('device')} data-testid="remove-device">
                    {busy() ? 'Removing…' : confirm() === 'device' ? 'Tap again to remove this device' : 'Remove this device'}
                  </button>
                  <Show when={devicesOfPerson().length > 1}>
                    <button class="btn block danger" disabled={busy()} onClick={() => void remove('person')}>
                      {confirm() === 'person' ? `Tap again to remove all ${devicesOfPerson().length} devices` : `Remove all devices of ${s.people.nameOf(d().personId!)}`}
                    </button>
                  </Show>
                </section>
              </Show>
            </Show>
            <Show when={error()}><p class="field-error" role="alert">{error()}</p></Show>
            <Show when={done()}><p class="ok" role="status" data-testid="member-done">{done()}</p></Show>
          </>
        )}
      </Show>
    </>
  );
}
