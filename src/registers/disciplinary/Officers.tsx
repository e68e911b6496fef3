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
  const me = () => s.signer();
  const officers = () => props.access.officers();
  const designated = createMemo(() => s.disciplinary.officers().filter((o) => o.designated));
  const candidates = createMemo(() => s.people.active().filter((p) => !officers().includes(p.id)));
  const name = (id: string) => s.people.nameOf(id) || 'Someone not on this device yet';
  const change = (personId: string, designate: boolean) => {
    const err = s.disciplinary.setOfficer(personId, designate, props.access.actor());
    setError(err);
    setFormError(undefined);
    if (!err) setChoice('');
  };
  const designate = (e: Event) => {
    e.preventDefault();
    const err = s.disciplinary.setOfficer(choice(), true, props.access.actor());
    setFormError(err);
    setError(undefined);
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
    </>
  );
}
