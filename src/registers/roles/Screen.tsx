import { createMemo, createSignal, Match, Show, Switch } from 'solid-js';
import { matchesQuery } from '../../domain/text';
import { downloadCsv } from '../../evidence/download';
import { Badge, EmptyState, fileStamp, ScreenHeader } from '../../ui/common';
import { Field, SelectField } from '../../ui/Field';
import { href, navigate, route } from '../../ui/router';
import { useSession } from '../../ui/session';
import { VirtualList } from '../../ui/VirtualList';
import { rolesCsv } from './export';
import type { RoleInput } from './model';
import { RolesNav } from './nav';
import { RaciScreen } from './RaciScreen';
import { RoleDetail } from './RoleDetail';
import { plural, pluralWord } from '../../domain/plural';
import './roles.css';

export default function RolesScreen() {
  return (
    <Switch fallback={<RolesList />}>
      <Match when={route().id === 'new'}><NewRole /></Match>
      <Match when={route().id === 'raci'}><RaciScreen /></Match>
      <Match when={route().id}>{(id) => <RoleDetail id={id()} />}</Match>
    </Switch>
  );
}

type Sort = 'name' | 'most' | 'fewest';

function RolesList() {
  const s = useSession();
  const [query, setQuery] = createSignal('');
  const [status, setStatus] = createSignal<'active' | 'archived' | 'all'>('active');
  const [sort, setSort] = createSignal<Sort>('name');
  const activeHolders = (holders: readonly string[]) => holders.filter((id) => s.people.byId().get(id) && !s.people.byId().get(id)!.archived);
  const shown = createMemo(() => {
    const list = s.roles.all().filter(
      (r) =>
        (status() === 'all' || (status() === 'archived') === r.archived) &&
        matchesQuery(query(), r.name, r.responsibilities, ...r.holders.map((id) => s.people.nameOf(id))),
    );
    const count = (r: { holders: readonly string[] }) => activeHolders(r.holders).length;
    if (sort() === 'most') return [...list].sort((a, b) => count(b) - count(a) || a.name.localeCompare(b.name));
    if (sort() === 'fewest') return [...list].sort((a, b) => count(a) - count(b) || a.name.localeCompare(b.name));
    return list;
  });
  const unheld = () => s.roles.active().filter((r) => activeHolders(r.holders).length === 0).length;
  return (
    <>
      <ScreenHeader title="Roles & RACI">
        <a class="btn primary small" href={href('roles', 'new')}>Add</a>
      </ScreenHeader>
      <RolesNav current="roles" />
      <Show
        when={s.roles.all().length > 0}
        fallback={
          <EmptyState title="No security roles yet">
            <p>Security roles say who is responsible for what in information security. Add the roles your organisation uses, then tap the people who hold them.</p>
            <a class="btn primary" href={href('roles', 'new')}>Add a role</a>
          </EmptyState>
        }
      >
        <div class="filters">
          <Field label="Search" type="search" value={query()} onChange={setQuery} placeholder="Role, responsibility or holder" />
          <div class="row">
            <SelectField
              label="Show"
              value={status()}
              onChange={(v) => setStatus(v as 'active' | 'archived' | 'all')}
              options={[{ value: 'active', label: 'Active roles' }, { value: 'archived', label: 'Archived roles' }, { value: 'all', label: 'All roles' }]}
            />
            <SelectField
              label="Sort by"
              value={sort()}
              onChange={(v) => setSort(v as Sort)}
              options={[{ value: 'name', label: 'Name' }, { value: 'most', label: 'Most holders' }, { value: 'fewest', label: 'Fewest holders' }]}
            />
          </div>
        </div>
        <p class="muted count" aria-live="polite">
          {plural(shown().length, 'role', 'roles')}
          <Show when={unheld() > 0}> · <span class="warn">{unheld()} with nobody holding {pluralWord(unheld(), 'it', 'them')}</span></Show>
        </p>
        <Show when={shown().length > 0} fallback={<p class="muted center">No role matches these filters.</p>}>
          <VirtualList items={shown()} label="Security roles" rowHeight={72}>
            {(r) => {
              const holders = () => activeHolders(r.holders);
              return (
                <a class="list-item" href={href('roles', r.id)} data-testid="role-row">
                  <div class="grow">
                    <div class="title">{r.name}</div>
                    <div class="muted clamp">
                      {holders().length ? holders().map((id) => s.people.nameOf(id)).join(', ') : r.responsibilities || 'No responsibilities written yet'}
                    </div>
                  </div>
                  <Show when={!r.archived} fallback={<Badge tone="muted">Archived</Badge>}>
                    <Show when={holders().length > 0} fallback={<Badge tone="warn">No holder</Badge>}>
                      <Badge tone="info">{plural(holders().length, 'holder', 'holders')}</Badge>
                    </Show>
                  </Show>
                </a>
              );
            }}
          </VirtualList>
        </Show>
        <button class="btn block" onClick={() => downloadCsv(rolesCsv(shown(), s.people.nameOf, fileStamp()))}>Export these as CSV</button>
      </Show>
    </>
  );
}

function NewRole() {
  const s = useSession();
  const [form, setForm] = createSignal<RoleInput>({ name: '', responsibilities: '' });
  const [errors, setErrors] = createSignal<Partial<Record<string, string>>>({});
  const submit = (e: Event) => {
    e.preventDefault();
    const r = s.roles.add(form());
    if (!r.ok) return setErrors(r.errors);
    navigate('roles', r.value.id);
  };
  return (
    <>
      <ScreenHeader title="Add a role" back={href('roles')} />
      <form class="card" onSubmit={submit} novalidate>
        <Field label="Role name" value={form().name} onChange={(v) => setForm({ ...form(), name: v })} error={errors()['name']} required autocomplete="off" placeholder="e.g. Data protection officer" />
        <Field
          label="Responsibilities"
          value={form().responsibilities}
          onChange={(v) => setForm({ ...form(), responsibilities: v })}
          error={errors()['responsibilities']}
          multiline
          description="What this role is responsible for in information security."
        />
        <button class="btn primary block" type="submit">Add role</button>
      </form>
    </>
  );
}
