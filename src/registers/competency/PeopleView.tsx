import { createMemo, createSignal, For, Show } from 'solid-js';
import { localIsoDate } from '../../domain/dates';
import { matchesQuery } from '../../domain/text';
import { downloadCsv } from '../../evidence/download';
import { Badge, EmptyState, fileStamp, ScreenHeader } from '../../ui/common';
import { Field, SelectField } from '../../ui/Field';
import { href } from '../../ui/router';
import { useSession } from '../../ui/session';
import { VirtualList } from '../../ui/VirtualList';
import type { Person } from '../people/model';
import { competencyMatrixCsv } from './export';
import { competencyInput, courseTitleOf } from './link';
import { isTrainingLinked, KIND_LABELS, type MatrixRow, roleMatrix, statusBadge } from './model';
import { CompetencyNav } from './nav';
import { plural } from '../../domain/plural';
import { NotFound } from '../../ui/NotFound';

interface PersonRows {
  person: Person;
  rows: MatrixRow[];
  gaps: number;
}

/** Every active holder of an active role, each once, with their rows of the role matrices. */
function usePeopleRows() {
  const s = useSession();
  const input = createMemo(() => competencyInput(s, localIsoDate()));
  return createMemo(() => {
    const byPerson = new Map<string, PersonRows>();
    for (const role of s.roles.active()) {
      for (const row of roleMatrix(role, input())) {
        const entry = byPerson.get(row.person.id) ?? { person: row.person, rows: [], gaps: 0 };
        entry.rows.push(row);
        entry.gaps += row.gaps;
        byPerson.set(row.person.id, entry);
      }
    }
    return [...byPerson.values()].sort((a, b) => a.person.name.localeCompare(b.person.name));
  });
}

/** People who hold security roles, with their gap counts. */
export function PeopleView() {
  const s = useSession();
  const all = usePeopleRows();
  const [query, setQuery] = createSignal('');
  const [roleId, setRoleId] = createSignal('');
  const [onlyGaps, setOnlyGaps] = createSignal(false);
  const shown = createMemo(() =>
    all().filter(
      (p) =>
        (!roleId() || p.rows.some((r) => r.role.id === roleId())) &&
        (!onlyGaps() || p.gaps > 0) &&
        matchesQuery(query(), p.person.name, p.person.team, p.person.jobTitle, ...p.rows.map((r) => r.role.name)),
    ),
  );
  const withGaps = () => all().filter((p) => p.gaps > 0).length;
  return (
    <>
      <ScreenHeader title="Competency matrix">
        <a class="btn primary small" href={href('competency', 'new')}>Add</a>
      </ScreenHeader>
      <CompetencyNav current="people" />
      <Show
        when={all().length > 0}
        fallback={
          <EmptyState title="Nobody holds a security role">
            <p>This list shows the people who hold security roles, and the competences they miss. <a href={href('roles')}>Assign role holders</a> in Roles & RACI.</p>
          </EmptyState>
        }
      >
        <div class="filters">
          <Field label="Search" type="search" value={query()} onChange={setQuery} placeholder="Person, team or role" />
          <SelectField label="Role" value={roleId()} onChange={setRoleId} placeholder="All roles" options={s.roles.active().map((r) => ({ value: r.id, label: r.name }))} />
          <label class="check">
            <input type="checkbox" checked={onlyGaps()} onChange={(e) => setOnlyGaps(e.currentTarget.checked)} /> Only people with gaps
          </label>
        </div>
        <p class="muted count" aria-live="polite">
          {shown().length} of {all().length} role holders · <span classList={{ warn: withGaps() > 0 }}>{withGaps()} with gaps</span>
        </p>
        <Show when={shown().length > 0} fallback={<p class="muted center">Nobody matches these filters.</p>}>
          <VirtualList items={shown()} label="Role holders" rowHeight={72}>
            {(p) => (
              <a class="list-item" href={href('competency', 'person', { id: p.person.id })} data-testid="competency-person">
                <div class="grow">
                  <div class="title">{p.person.name}</div>
                  <div class="muted clamp">{p.rows.map((r) => r.role.name).join(', ')}</div>
                </div>
                <Show when={p.gaps > 0} fallback={<Badge tone="ok">No gaps</Badge>}>
                  <Badge tone="bad">{plural(p.gaps, 'gap', 'gaps')}</Badge>
                </Show>
              </a>
            )}
          </VirtualList>
        </Show>
        <button class="btn block" onClick={() => downloadCsv(competencyMatrixCsv(shown().flatMap((p) => p.rows), courseTitleOf(s), fileStamp()))}>Export these as CSV</button>
      </Show>
    </>
  );
}

/** One person: for each security role they hold, the competences it requires and where they stand. */
export function PersonView(props: { id: string }) {
  const s = useSession();
  const all = usePeopleRows();
  const person = () => s.people.byId().get(props.id);
  const mine = () => all().find((p) => p.person.id === props.id);
  return (
    <>
      <ScreenHeader title={person()?.name ?? 'Person'} back={href('competency', 'people')} />
      <Show when={person()} fallback={<NotFound title="Person not found" why="They may not have synced to this device yet." />}>
        {(p) => (
          <Show
            when={mine()}
            fallback={
              <EmptyState title={`${p().name} holds no security role`}>
                <p>{p().archived ? 'They have left: people who left have no gaps.' : 'Competences are required by security roles.'} <a href={href('roles')}>Roles & RACI</a></p>
              </EmptyState>
            }
          >
            {(m) => (
              <>
                <p class="muted">
                  {[p().jobTitle, p().team].filter(Boolean).join(' · ')}
                  {m().gaps > 0 ? ` · ${plural(m().gaps, 'gap', 'gaps')}` : ' · no gaps'}
                </p>
                <For each={m().rows}>
                  {(row) => (
                    <section class="card" aria-labelledby={`role-${row.role.id}`}>
                      <div class="row spread">
                        <h2 id={`role-${row.role.id}`}><a href={href('competency', undefined, { role: row.role.id })}>{row.role.name}</a></h2>
                        <Show when={row.gaps > 0} fallback={<Badge tone="ok">No gaps</Badge>}>
                          <Badge tone="bad">{plural(row.gaps, 'gap', 'gaps')}</Badge>
                        </Show>
                      </div>
                      <Show when={row.cells.length > 0} fallback={<p class="muted">This role requires no competences yet.</p>}>
                        <ul class="person-competences">
                          <For each={row.cells}>
                            {(cell) => (
                              <li data-testid="person-competence">
                                <a class="list-item" href={href('competency', 'holding', { person: p().id, competence: cell.competence.id, from: 'person' })}>
                                  <div class="grow">
                                    <div class="title">{cell.competence.name}</div>
                                    <div class="muted small">
                                      {KIND_LABELS[cell.competence.kind]}
                                      {isTrainingLinked(cell.competence) ? ` · course “${courseTitleOf(s)(cell.competence.courseId) || cell.competence.courseId}”` : ` · level ${cell.status.required} required`}
                                      {cell.status.holding?.evidence ? ` · ${cell.status.holding.evidence}` : ''}
                                    </div>
                                  </div>
                                  <Badge tone={cell.status.gap ? 'bad' : 'ok'}>{statusBadge(cell.status)}</Badge>
                                </a>
                              </li>
                            )}
                          </For>
                        </ul>
                      </Show>
                    </section>
                  )}
                </For>
              </>
            )}
          </Show>
        )}
      </Show>
    </>
  );
}
