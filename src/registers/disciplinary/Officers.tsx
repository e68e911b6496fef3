import { createMemo, createSignal, For, Show } from 'solid-js';
import { formatInstant } from '../../domain/dates';
import { currentKeys } from '../../crypto/register-keys';
import { ScreenHeader } from '../../ui/common';
import { SelectField } from '../../ui/Field';
import { href } from '../../ui/router';
import { useSession } from '../../ui/session';
import { type Access, DisciplinaryNav } from './parts';

/** Who may read and write the log, and (under the bootstrap rule) who may change that. */
export function OfficersPage(props: { access: Access }) {
  const s = useSession();
  const [choice, setChoice] = createSignal('');
  const [error, setError] = createSignal<string>();
  const [formError, setFormError] = createSignal<string>();
  const [note, setNote] = createSignal<string>();
  const me = () => s.signer();
  const officers = () => props.access.officers();
  const designated = createMemo(() => s.disciplinary.officers().filter((o) => o.designated));
  const candidates = createMemo(() => s.people.active().filter((p) => !officers().includes(p.id)));
  const name = (id: string) => s.people.nameOf(id) || 'Someone not on this device yet';
  const designatedNote = (personId: string) =>
    `${name(personId)} is now an officer. Their devices get the log's key from an officer's device that holds it, when it syncs.`;
  const change = async (personId: string, designate: boolean) => {
    const err = await s.disciplinary.setOfficer(personId, designate, props.access.actor());
    setError(err);
    setFormError(undefined);
    setNote(err ? undefined : designate ? designatedNote(personId) : `${name(personId)} is no longer an officer. New entries use a new key that their devices do not get.`);
    if (!err) setChoice('');
  };
  const designate = async (e: Event) => {
    e.preventDefault();
    const who = choice();
    const err = await s.disciplinary.setOfficer(who, true, props.access.actor());
    setFormError(err);
    setError(undefined);
    setNote(err ? undefined : designatedNote(who));
    if (!err) setChoice('');
  };
  return (
    <>
      <ScreenHeader title="Officers" />
      <DisciplinaryNav current="officers" />
      <p class="dc-intro">Designated officers read and write the disciplinary log. Everyone else sees only the documented process.</p>

      <section class="card dc-whoami" data-testid="whoami">
        <Show
          when={me().personId}
          fallback={
            <p>
              This device signs as “{me().name || 'nobody'}”, and nobody in People has that name, so Muster cannot tell who you are: you are not an
              officer. <a href={href('settings')}>Change your name on this device</a> to match People, or ask someone to add you.
            </p>
          }
        >
          <p>
            You are <strong>{me().name}</strong>: {props.access.officer() ? 'a designated officer.' : 'not a designated officer.'}
          </p>
        </Show>
      </section>

      <Show when={officers().length === 0}>
        <p class="card dc-notice" role="note" data-testid="bootstrap">
          No officer yet. Until the first officer is designated, anyone may designate them. After that, only an officer can change this list.
        </p>
      </Show>

      <Show when={designated().length > 0}>
        <ul class="list" aria-label="Officers">
          <For each={designated()}>
            {(o) => (
              <li class="list-item" data-testid="officer-row">
                <div class="grow">
                  <div class="title">{name(o.personId)}</div>
                  <div class="muted">
                    {o.signed ? 'Designated in the signed member list' : `Designated by ${o.byName || 'unknown'}`}{o.at ? ` on ${formatInstant(o.at)}` : ''}
                    <Show when={!props.access.isActive(o.personId)}> · has left: no longer counts</Show>
                  </div>
                </div>
                <Show when={props.access.manager() && (officers().length > 1 || !officers().includes(o.personId))}>
                  <button class="btn small" onClick={() => change(o.personId, false)} aria-label={`Remove ${name(o.personId)} as officer`}>Remove</button>
                </Show>
              </li>
            )}
          </For>
        </ul>
      </Show>

      <Show when={officers().length > 0 && s.disciplinary.keyring}>
        <KeyHolders access={props.access} />
      </Show>

      <Show when={props.access.manager()} fallback={<p class="muted" role="note">Only a designated officer can change who the officers are.</p>}>
        <Show when={officers().length === 0 && me().personId && !officers().includes(me().personId!)}>
          <button class="btn primary block dc-gap" onClick={() => change(me().personId!, true)}>Designate me ({me().name})</button>
        </Show>
        <form class="card" onSubmit={designate} novalidate>
          <h2>Designate an officer</h2>
          <Show when={candidates().length > 0} fallback={<p class="muted">Everyone in People is already an officer, or People is empty: <a href={href('people', 'new')}>add a person</a>.</p>}>
            <SelectField label="Person" value={choice()} onChange={setChoice} placeholder="Choose a person" options={candidates().map((p) => ({ value: p.id, label: `${p.name}${p.team ? ` (${p.team})` : ''}` }))} error={formError()} />
            <button class="btn block" type="submit">Designate</button>
          </Show>
        </form>
      </Show>
      <Show when={error()}><p class="field-error" role="alert">{error()}</p></Show>
      <Show when={note()}><p class="card dc-notice" role="status" data-testid="officer-note">{note()}</p></Show>
    </>
  );
}

/**
 * Which officers' devices hold the log's current key. Any officer's device
 * that holds it shares it with the other officers' devices automatically when
 * it syncs; a device of anyone else never gets it. A device is linked to an
 * officer by its own say-so (its name), so officers can refuse one that is
 * not really theirs: the key is then replaced for new entries.
 */
function KeyHolders(props: { access: Access }) {
  const s = useSession();
  const d = () => s.disciplinary;
  const keyring = () => d().keyring!;
  const [confirming, setConfirming] = createSignal<string>();
  const [error, setError] = createSignal<string>();
  const devicesOf = (personId: string) => d().officerDevices().filter((m) => m.personId === personId);
  const holds = (deviceId: string) => keyring().currentHolders().has(deviceId);
  const label = (m: { deviceId: string; name: string }) => (m.deviceId === s.device.deviceId ? 'This device' : `${m.name || 'A device'} · ${m.deviceId.slice(0, 6)}`);
  const refused = createMemo(() => d().deviceBlocks().filter((b) => b.blocked));
  const current = createMemo(() => currentKeys(keyring().view().keys)[0]);
  const keyLine = () => {
    const k = current();
    if (!k) return 'No key yet: the first officer\'s device creates it.';
    const by = k.createdBy === s.device.deviceId ? 'this device' : `${s.members.byDevice().get(k.createdBy)?.name || 'a device'} · ${k.createdBy.slice(0, 6)}`;
    const why = k.generation > 1 ? ', replacing an earlier key because a device was no longer allowed' : '';
    return `Current key made on ${k.createdAt ? formatInstant(k.createdAt) : 'an unknown date'} by ${by}${why}.`;
  };
  const block = (deviceId: string, blocked: boolean) => {
    const err = d().setDeviceBlocked(deviceId, blocked, props.access.actor());
    setError(err);
    setConfirming(undefined);
  };
  return (
    <section class="card" data-testid="key-holders">
      <h2>Who holds the key</h2>
      <p class="muted">
        Entries are encrypted with a key that only the officers' devices hold. An officer's device that holds it shares it with the other officers'
        devices when it syncs. Removing an officer replaces the key for new entries; what they already had stays on their devices.
      </p>
      <p class="muted" data-testid="current-key">{keyLine()}</p>
      <For each={props.access.officers()}>
        {(personId) => (
          <div class="dc-holder" data-testid="key-holder">
            <strong>{s.people.nameOf(personId) || 'Someone not on this device yet'}</strong>
            <Show
              when={devicesOf(personId).length > 0}
              fallback={<p class="muted">No device yet: the key is shared when they open Muster on their phone and it syncs.</p>}
            >
              <ul class="dc-holders">
                <For each={devicesOf(personId)}>
                  {(m) => (
                    <li>
                      <span class="grow">
                        {label(m)}
                        <Show when={props.access.officer() && m.deviceId !== s.device.deviceId}>
                          {' '}
                          <button class="dc-linkish" onClick={() => setConfirming(m.deviceId)} aria-label={`Not ${s.people.nameOf(personId)}'s device: ${label(m)}`}>
                            Not theirs?
                          </button>
                        </Show>
                      </span>
                      <span class={holds(m.deviceId) ? 'badge ok' : 'badge warn'}>{holds(m.deviceId) ? 'Holds the key' : 'Waiting for the key'}</span>
                    </li>
                  )}
                </For>
              </ul>
              <Show when={devicesOf(personId).some((m) => m.deviceId === confirming())}>
                <div class="dc-warning" role="alert" data-testid="refuse-confirm">
                  <p>
                    Refuse the key to this device? A device is linked to {s.people.nameOf(personId)} only because it uses that name. A refused device gets no
                    key, and the key is replaced for new entries. It keeps what it already had.
                  </p>
                  <div class="row">
                    <button class="btn small dc-danger" onClick={() => block(confirming()!, true)}>Refuse the key</button>
                    <button class="btn small" onClick={() => setConfirming(undefined)}>Cancel</button>
                  </div>
                </div>
              </Show>
            </Show>
          </div>
        )}
      </For>
      <Show when={refused().length > 0}>
        <h3 class="dc-refused-title">Refused devices</h3>
        <ul class="dc-holders" data-testid="refused-devices">
          <For each={refused()}>
            {(b) => (
              <li>
                <span class="grow">
                  {s.members.byDevice().get(b.deviceId)?.name || 'A device'} · {b.deviceId.slice(0, 6)}
                  <span class="muted"> — refused by {b.byName}</span>
                </span>
                <Show when={props.access.officer()}>
                  <button class="btn small" onClick={() => block(b.deviceId, false)}>Allow again</button>
                </Show>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <Show when={error()}><p class="field-error" role="alert">{error()}</p></Show>
    </section>
  );
}
