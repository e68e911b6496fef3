import { ToggleButton } from '@kobalte/core/toggle-button';
import { createMemo, createSignal, For, Show } from 'solid-js';
import { localIsoDate } from '../../domain/dates';
import { plural } from '../../domain/plural';
import { matchesQuery } from '../../domain/text';
import { ScreenHeader } from '../../ui/common';
import { Field } from '../../ui/Field';
import { href } from '../../ui/router';
import { useSession } from '../../ui/session';
import { slotPanels } from '../../ui/slots';
import { RACI_LABELS, type RoleInput, type SecurityRole } from './model';
import { NotFound } from '../../ui/NotFound';

/** What other registers show between the holders and the RACI (competency: the competences the role requires). */
const DetailPanels = slotPanels('role-detail');

/** People shown as chips at once; with more, a search narrows them. */
const CHIP_LIMIT = 40;

export function RoleDetail(props: { id: string }) {
  const s = useSession();
  const role = () => s.roles.byId().get(props.id);
  return (
    <Show
      when={role()}
      fallback={<NotFound header="Role" back={href('roles')} title="Role not found" backLabel="Back to roles" />}
    >
      {(r) => (
        <>
          <ScreenHeader title={r().name || 'Role'} back={href('roles')} />
          <Show when={r().archived}>
            <p class="banner archived" role="status">This role is archived: it no longer counts for gaps, audiences or the RACI check.</p>
          </Show>
          <RoleForm role={r()} />
          <Holders role={r()} />
          <DetailPanels role={r()} />
          <RaciOfRole role={r()} />
          <section class="card">
            <button class="btn block" onClick={() => s.roles.setArchived(r().id, !r().archived)}>{r().archived ? 'Restore this role' : 'Archive this role'}</button>
            <p class="muted">Roles are never deleted: who held them stays in the evidence.</p>
          </section>
        </>
      )}
    </Show>
  );
}

function RoleForm(props: { role: SecurityRole }) {
  const s = useSession();
  const [form, setForm] = createSignal<RoleInput>({ name: props.role.name, responsibilities: props.role.responsibilities });
  const [errors, setErrors] = createSignal<Partial<Record<string, string>>>({});
  const [saved, setSaved] = createSignal(false);
  const set = (k: keyof RoleInput) => (v: string) => {
    setSaved(false);
    setForm({ ...form(), [k]: v });
  };
  const submit = (e: Event) => {
    e.preventDefault();
    const r = s.roles.update(props.role.id, form());
    if (!r.ok) return setErrors(r.errors);
    setErrors({});
    setForm(r.value);
    setSaved(true);
  };
  return (
    <form class="card" onSubmit={submit} novalidate aria-label="Role">
      <Field label="Role name" value={form().name} onChange={set('name')} error={errors()['name']} required autocomplete="off" />
      <Field label="Responsibilities" value={form().responsibilities} onChange={set('responsibilities')} error={errors()['responsibilities']} multiline />
      <Show when={saved()}><p class="ok" role="status">Saved.</p></Show>
      <button class="btn primary block" type="submit">Save changes</button>
    </form>
  );
}

function Holders(props: { role: SecurityRole }) {
  const s = useSession();
  const [query, setQuery] = createSignal('');
  const holds = createMemo(() => new Set(props.role.holders));
  const many = () => s.people.active().length > CHIP_LIMIT;
  // Holders first (including people who left, so they can be unassigned), then everyone else who is still here.
  const people = createMemo(() => {
    const holders = s.people.all().filter((p) => holds().has(p.id));
    const others = s.people.active().filter((p) => !holds().has(p.id) && matchesQuery(query(), p.name, p.team, p.jobTitle));
    return [...holders, ...(many() && !query().trim() ? [] : others.slice(0, CHIP_LIMIT))];
  });
  const unknown = () => props.role.holders.filter((id) => !s.people.byId().get(id)).length;
  return (
    <section class="card" aria-labelledby="holders-title">
      <h2 id="holders-title">Held by <span class="muted">({props.role.holders.filter((id) => s.people.byId().get(id) && !s.people.byId().get(id)!.archived).length})</span></h2>
      <Show
        when={s.people.all().length > 0}
        fallback={<p class="muted">No people yet. <a href={href('people', 'new')}>Add people</a>, then tap who holds this role.</p>}
      >
        <p class="muted">Tap the people who hold this role; tap again to unassign.</p>
        <Show when={many()}>
          <Field label="Find a person" type="search" value={query()} onChange={setQuery} placeholder="Name, team or job title" />
        </Show>
        <div class="chips" role="group" aria-labelledby="holders-title">
          <For each={people()}>
            {(p) => (
              <ToggleButton class="chip" pressed={holds().has(p.id)} onChange={(on) => s.roles.setHolder(props.role.id, p.id, on)} data-testid="holder">
                {p.name}{p.archived ? ' (left)' : ''}
              </ToggleButton>
            )}
          </For>
        </div>
        <Show when={unknown() > 0}>
          <p class="muted">{plural(unknown(), 'holder')} not on this device yet.</p>
        </Show>
      </Show>
    </section>
  );
}

function RaciOfRole(props: { role: SecurityRole }) {
  const s = useSession();
  const mine = createMemo(() => s.roles.activeActivities().filter((a) => a.raci[props.role.id]));
  return (
    <section class="card" aria-labelledby="raci-title">
      <h2 id="raci-title">In the RACI matrix</h2>
      <Show when={mine().length > 0} fallback={<p class="muted">No activity names this role yet.</p>}>
        <ul class="plain">
          <For each={mine()}>
            {(a) => (
              <li>
                <span class={`raci-letter on-${a.raci[props.role.id]}`} title={RACI_LABELS[a.raci[props.role.id]!]}>{a.raci[props.role.id]}</span> {a.name}
              </li>
            )}
          </For>
        </ul>
      </Show>
      <a class="btn small" href={href('roles', 'raci')}>Open the RACI matrix</a>
    </section>
  );
}
