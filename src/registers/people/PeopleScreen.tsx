import { createMemo, createSignal, For, type JSX, Match, Show, Switch } from 'solid-js';
import { formatDate } from '../../domain/dates';
import { plural } from '../../domain/plural';
import { matchesQuery } from '../../domain/text';
import { downloadCsv } from '../../evidence/download';
import { Badge, EmptyState, fileStamp, ScreenHeader } from '../../ui/common';
import { Field, SelectField } from '../../ui/Field';
import { href, navigate, route } from '../../ui/router';
import { ScopeNote } from '../../ui/ScopeNote';
import { useSession } from '../../ui/session';
import { VirtualList } from '../../ui/VirtualList';
import { peopleCsv } from './export';
import type { Person, PersonInput } from './model';
import { NotFound } from '../../ui/NotFound';

export default function PeopleScreen() {
  return (
    <Switch fallback={<PeopleList />}>
      <Match when={route().id === 'new'}><PersonForm /></Match>
      <Match when={route().id}>{(id) => <PersonGate id={id()}><PersonForm id={id()} /></PersonGate>}</Match>
    </Switch>
  );
}

/** A person outside this device's people (a manager following a link to another team's person) is not shown or editable. */
function PersonGate(props: { id: string; children: JSX.Element }) {
  const s = useSession();
  return (
    <Show when={!s.people.byId().has(props.id) || s.access.visibleIds().has(props.id)} fallback={
      <>
        <ScreenHeader title="Person" back={href('people')} />
        <EmptyState title="Not one of your people">
          <p data-testid="person-refused">{s.access.why('see-everyone')}</p>
        </EmptyState>
      </>
    }>
      {props.children}
    </Show>
  );
}

function PeopleList() {
  const s = useSession();
  const [query, setQuery] = createSignal('');
  const [team, setTeam] = createSignal('');
  const [showArchived, setShowArchived] = createSignal(false);
  // Member roles: managers see their team, owners everyone (src/domain/permissions.ts visiblePeople).
  const shown = createMemo(() =>
    s.access.visiblePeople().filter(
      (p) => (showArchived() || !p.archived) && (!team() || p.team === team()) && matchesQuery(query(), p.name, p.email, p.team, p.jobTitle),
    ),
  );
  return (
    <>
      <ScreenHeader title="People">
        <a class="btn primary small" href={href('people', 'new')}>Add</a>
      </ScreenHeader>
      <ScopeNote />
      <Show
        when={s.people.all().length > 0}
        fallback={
          <EmptyState title="No people yet">
            <p>Add the people in your teams — starting with yourself. Teams come from what you type in each person’s team.</p>
            <a class="btn primary" href={href('people', 'new')}>Add a person</a>
          </EmptyState>
        }
      >
        <div class="filters">
          <Field label="Search" type="search" value={query()} onChange={setQuery} placeholder="Name, email, team or job title" />
          <SelectField label="Team" value={team()} onChange={setTeam} placeholder="All teams" options={s.access.teamOptions().map((t) => ({ value: t, label: t }))} />
          <label class="check">
            <input type="checkbox" checked={showArchived()} onChange={(e) => setShowArchived(e.currentTarget.checked)} /> Show people who left
          </label>
        </div>
        <p class="muted count" aria-live="polite">{plural(shown().length, 'person', 'people')} · {plural(s.access.teamOptions().length, 'team')}</p>
        <Show when={shown().length > 0} fallback={<p class="muted center">Nobody matches these filters.</p>}>
          <VirtualList items={shown()} label="People" rowHeight={64}>
            {(p) => (
              <a class="list-item" href={href('people', p.id)} data-testid="person-row">
                <div class="grow">
                  <div class="title">{p.name}</div>
                  <div class="muted">{[p.jobTitle, p.team].filter(Boolean).join(' · ')}</div>
                </div>
                <Show when={p.archived}><Badge tone="muted">Left</Badge></Show>
              </a>
            )}
          </VirtualList>
        </Show>
        <button class="btn block" onClick={() => downloadCsv(peopleCsv(shown(), s.people.nameOf, fileStamp()))}>Export these as CSV</button>
      </Show>
    </>
  );
}

const EMPTY: PersonInput = { name: '', email: '', team: '', jobTitle: '', startDate: '', managerId: '' };

function PersonForm(props: { id?: string }) {
  const s = useSession();
  const existing = (): Person | undefined => (props.id ? s.people.byId().get(props.id) : undefined);
  const initial = existing();
  const [form, setForm] = createSignal<PersonInput>(initial ? { ...initial } : { ...EMPTY });
  const [errors, setErrors] = createSignal<Partial<Record<string, string>>>({});
  const [saved, setSaved] = createSignal(false);
  let dateInput: HTMLInputElement | undefined;
  const set = (k: keyof PersonInput) => (v: string) => {
    setSaved(false);
    setForm({ ...form(), [k]: v });
  };

  const submit = (e: Event) => {
    e.preventDefault();
    if (dateInput?.validity.badInput) return setErrors({ startDate: 'Enter a complete start date (day, month and year), or clear it.' });
    const result = props.id ? s.people.update(props.id, form()) : s.people.add(form());
    if (!result.ok) return setErrors(result.errors);
    setErrors({});
    if (props.id) setSaved(true);
    else navigate('people');
  };

  return (
    <>
      <ScreenHeader title={props.id ? existing()?.name || 'Person' : 'Add a person'} back={href('people')} />
      <Show when={!props.id || existing()} fallback={<NotFound title="Person not found" why="They may not have synced to this device yet." />}>
        <form class="card" onSubmit={submit} novalidate>
          <Field label="Full name" value={form().name} onChange={set('name')} error={errors()['name']} required autocomplete="off" />
          <Field label="Email" type="email" value={form().email} onChange={set('email')} error={errors()['email']} autocomplete="off" />
          <Field label="Team" value={form().team} onChange={set('team')} error={errors()['team']} required list="teams" description="Type a new team or pick an existing one." />
          <datalist id="teams">
            <For each={s.people.teams()}>{(t) => <option value={t} />}</For>
          </datalist>
          <Field label="Job title" value={form().jobTitle} onChange={set('jobTitle')} error={errors()['jobTitle']} />
          <Field label="Start date" type="date" value={form().startDate} onChange={set('startDate')} error={errors()['startDate']} ref={(el) => (dateInput = el)} />
          <SelectField
            label="Manager"
            value={form().managerId}
            onChange={set('managerId')}
            placeholder="No manager"
            options={s.people.active().filter((p) => p.id !== props.id).map((p) => ({ value: p.id, label: `${p.name}${p.team ? ` (${p.team})` : ''}` }))}
            error={errors()['managerId']}
          />
          <Show when={saved()}><p class="ok" role="status">Saved.</p></Show>
          <button class="btn primary block" type="submit">{props.id ? 'Save changes' : 'Add person'}</button>
        </form>
        <Show when={existing()}>
          {(p) => (
            <div class="card">
              <Show when={p().startDate}><p class="muted">Started {formatDate(p().startDate)}.</p></Show>
              <button class="btn block" onClick={() => s.people.setArchived(p().id, !p().archived)}>
                {p().archived ? 'Mark as still here' : 'Mark as left'}
              </button>
              <p class="muted">People are never deleted: their sign-offs and attendance stay in the evidence.</p>
            </div>
          )}
        </Show>
      </Show>
    </>
  );
}
