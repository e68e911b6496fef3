import { createMemo, createSignal, For, Show } from 'solid-js';
import { localIsoDate } from '../../domain/dates';
import { matchesQuery } from '../../domain/text';
import { downloadCsv } from '../../evidence/download';
import { Badge, EmptyState, fileStamp, ScreenHeader } from '../../ui/common';
import { Field, SelectField } from '../../ui/Field';
import { href, route } from '../../ui/router';
import { useSession } from '../../ui/session';
import { competencyMatrixCsv } from './export';
import { competencyInput, courseTitleOf } from './link';
import { CompetencyNav } from './nav';
import { type CellStatus, cellText, competencesOf, isTrainingLinked, KIND_LABELS, roleMatrix } from './model';
import { plural } from '../../domain/plural';

/** Short text inside a matrix cell; the full text is its accessible name. */
export function shortCell(status: CellStatus): string {
  switch (status.state) {
    case 'met':
      return `✓ ${status.held}`;
    case 'below':
      return `${status.held} / ${status.required}`;
    case 'missing':
      return 'Gap';
    case 'training-valid':
      return '✓';
    case 'training-missing':
      return 'Gap';
  }
}

/** The matrix of one security role: its holders down, the competences it requires across. */
export function MatrixView() {
  const s = useSession();
  const [query, setQuery] = createSignal('');
  const [onlyGaps, setOnlyGaps] = createSignal(false);
  const input = createMemo(() => competencyInput(s, localIsoDate()));
  const roleId = createMemo(() => {
    const asked = route().params.get('role');
    const active = s.roles.active();
    if (asked && active.some((r) => r.id === asked)) return asked;
    const competences = s.competency.activeCompetences();
    return (active.find((r) => r.holders.length > 0 && competencesOf(r.id, competences).length > 0) ?? active.find((r) => competencesOf(r.id, competences).length > 0) ?? active[0])?.id ?? '';
  });
  const role = () => s.roles.byId().get(roleId());
  const competences = createMemo(() => competencesOf(roleId(), s.competency.activeCompetences()));
  const allRows = createMemo(() => (role() ? roleMatrix(role()!, input()) : []));
  const rows = createMemo(() => allRows().filter((r) => (!onlyGaps() || r.gaps > 0) && matchesQuery(query(), r.person.name, r.person.team, r.person.jobTitle)));
  const gaps = () => allRows().reduce((n, r) => n + r.gaps, 0);
  const chooseRole = (id: string) => (location.hash = href('competency', undefined, { role: id }));
  const holding = (personId: string, competenceId: string) => href('competency', 'holding', { person: personId, competence: competenceId, role: roleId() });

  return (
    <>
      <ScreenHeader title="Competency matrix">
        <a class="btn primary small" href={href('competency', 'new', roleId() ? { role: roleId() } : undefined)}>Add</a>
      </ScreenHeader>
      <CompetencyNav current="matrix" roleId={roleId()} />
      <Show
        when={s.roles.active().length > 0}
        fallback={
          <EmptyState title="No security roles">
            <p>Competences are required by security roles. <a href={href('roles')}>Set up the roles</a> first.</p>
          </EmptyState>
        }
      >
        <div class="filters">
          <SelectField
            label="Role"
            value={roleId()}
            onChange={chooseRole}
            options={s.roles.active().map((r) => {
              const n = competencesOf(r.id, s.competency.activeCompetences()).length;
              return { value: r.id, label: `${r.name} (${plural(n, 'competence', 'competences')})` };
            })}
          />
          <Show when={allRows().length > 0 && competences().length > 0}>
            <Field label="Search" type="search" value={query()} onChange={setQuery} placeholder="Person, team or job title" />
            <label class="check">
              <input type="checkbox" checked={onlyGaps()} onChange={(e) => setOnlyGaps(e.currentTarget.checked)} /> Only people with gaps
            </label>
          </Show>
        </div>
        <Show
          when={competences().length > 0}
          fallback={
            <EmptyState title={`${role()?.name ?? 'This role'} requires no competences yet`}>
              <p>Say what holders of this role must know, have been trained in, be certified for or have done — and at what level. Gaps then show here and on the dashboard.</p>
              <a class="btn primary" href={href('competency', 'new', { role: roleId() })}>Add a required competence</a>
            </EmptyState>
          }
        >
          <Show
            when={allRows().length > 0}
            fallback={
              <EmptyState title={`Nobody holds ${role()?.name ?? 'this role'}`}>
                <p>
                  The matrix lists the people who hold the role. <a href={href('roles', roleId())}>Assign holders</a> in Roles & RACI.
                </p>
              </EmptyState>
            }
          >
            <p class="muted count" aria-live="polite">
              {rows().length} of {plural(allRows().length, 'holder', 'holders')} · {plural(competences().length, 'competence', 'competences')} ·{' '}
              <span classList={{ warn: gaps() > 0, ok: gaps() === 0 }}>{gaps() === 0 ? 'no gaps' : `${plural(gaps(), 'gap', 'gaps')}`}</span>
            </p>
            <Show when={rows().length > 0} fallback={<p class="muted center">Nobody matches these filters.</p>}>
              <div class="matrix-wrap" tabindex="0" role="region" aria-label={`Competency matrix of ${role()?.name ?? ''}`}>
                <table class="matrix">
                  <thead>
                    <tr>
                      <th scope="col">Person</th>
                      <For each={competences()}>
                        {(c) => (
                          <th scope="col">
                            <a href={href('competency', c.id)}>{c.name}</a>
                            <span class="req">{isTrainingLinked(c) ? 'course' : `level ${c.required[roleId()]}`}</span>
                          </th>
                        )}
                      </For>
                    </tr>
                  </thead>
                  <tbody>
                    <For each={rows()}>
                      {(row) => (
                        <tr data-testid="competency-row">
                          <th scope="row">
                            <a href={href('competency', 'person', { id: row.person.id })}>{row.person.name}</a>
                            <Show when={row.gaps > 0} fallback={<Badge tone="ok">OK</Badge>}>
                              <Badge tone="bad">{plural(row.gaps, 'gap', 'gaps')}</Badge>
                            </Show>
                          </th>
                          <For each={row.cells}>
                            {(cell) => (
                              <td>
                                <a
                                  class={`cell ${cell.status.gap ? 'gap' : 'met'}`}
                                  href={holding(row.person.id, cell.competence.id)}
                                  aria-label={`${row.person.name}, ${cell.competence.name}: ${cellText(cell.status)}`}
                                  data-testid="competency-cell"
                                  data-state={cell.status.state}
                                >
                                  {shortCell(cell.status)}
                                </a>
                              </td>
                            )}
                          </For>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
              </div>
              <p class="muted small">Tap a cell to record the level held, its evidence and when it was assessed.</p>
            </Show>
          </Show>
          <ul class="plain competence-legend">
            <For each={competences()}>
              {(c) => (
                <li class="small">
                  <a href={href('competency', c.id)}>{c.name}</a> <span class="muted">· {KIND_LABELS[c.kind]}{isTrainingLinked(c) ? ` · proven by “${courseTitleOf(s)(c.courseId) || c.courseId}”` : ` · level ${c.required[roleId()]} required`}</span>
                </li>
              )}
            </For>
          </ul>
        </Show>
        <Show when={allRows().length > 0 && competences().length > 0}>
          <button class="btn block" onClick={() => downloadCsv(competencyMatrixCsv(rows(), courseTitleOf(s), fileStamp()))}>Export these as CSV</button>
        </Show>
      </Show>
    </>
  );
}
