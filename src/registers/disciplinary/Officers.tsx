import { createMemo, createSignal, For, Show } from 'solid-js';
import { formatInstant } from '../../domain/dates';
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
  const change = (personId: string, designate: boolean) => {
    const err = s.disciplinary.setOfficer(personId, designate, props.access.actor());
    setError(err);
    setFormError(undefined);
    setNote(err ? undefined : designate ? designatedNote(personId) : `${name(personId)} is no longer an officer. New entries use a new key that their devices do not get.`);
    if (!err) setChoice('');
  };
  const designate = (e: Event) => {
    e.preventDefault();
    const who = choice();
    const err = s.disciplinary.setOfficer(who, true, props.access.actor());
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
                    Designated by {o.byName || 'unknown'}{o.at ? ` on ${formatInstant(o.at)}` : ''}
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
 * that holds it shares it with the others automatically when it syncs; a
 * device of anyone else never gets it.
 */
function KeyHolders(props: { access: Access }) {
  const s = useSession();
  const keyring = () => s.disciplinary.keyring!;
  const devicesOf = (personId: string) => s.disciplinary.officerDevices().filter((m) => m.personId === personId);
  const holds = (deviceId: string) => keyring().currentHolders().has(deviceId);
  const label = (m: { deviceId: string; name: string }) => (m.deviceId === s.device.deviceId ? 'This device' : `${m.name || 'A device'} · ${m.deviceId.slice(0, 6)}`);
  return (
    <section class="card" data-testid="key-holders">
      <h2>Who holds the key</h2>
      <p class="muted">
        Entries are encrypted with a key that only the officers' devices hold. An officer's device that holds it shares it with the other officers'
        devices when it syncs. Removing an officer replaces the key for new entries; what they already had stays on their devices.
      </p>
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
                      <span>{label(m)}</span>
                      <span class={holds(m.deviceId) ? 'badge ok' : 'badge warn'}>{holds(m.deviceId) ? 'Holds the key' : 'Waiting for the key'}</span>
                    </li>
                  )}
                </For>
              </ul>
            </Show>
          </div>
        )}
      </For>
    </section>
  );
}
