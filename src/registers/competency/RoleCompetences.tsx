import { createMemo, For, Show } from 'solid-js';
import { localIsoDate } from '../../domain/dates';
import { Badge } from '../../ui/common';
import { href } from '../../ui/router';
import { useSession } from '../../ui/session';
import type { SecurityRole } from '../roles/model';
import { competencyInput } from './link';
import { cellText, KIND_LABELS, LEVEL_LABELS, roleMatrix } from './model';

/** On a role's detail (slot 'role-detail'): the competences it requires, and where each holder stands. */
export default function RoleCompetences(props: { role: SecurityRole }) {
  const s = useSession();
  const rows = createMemo(() => roleMatrix(props.role, competencyInput(s, localIsoDate())));
  const competences = createMemo(() => s.competency.activeCompetences().filter((c) => c.required[props.role.id] !== undefined));
  return (
    <section class="card" aria-labelledby="competences-title">
      <h2 id="competences-title">Competences required</h2>
      <Show
        when={competences().length > 0}
        fallback={<p class="muted">This role requires no competences yet. Say what its holders must know, have done or be certified in.</p>}
      >
        <ul class="role-competences">
          <For each={competences()}>
            {(c) => {
              const level = () => c.required[props.role.id]!;
              return (
                <li data-testid="role-competence">
                  <div class="row spread">
                    <a class="title" href={href('competency', c.id)}>{c.name}</a>
                    <span class="muted small">{KIND_LABELS[c.kind]} · level {level()} {LEVEL_LABELS[level()].toLowerCase()}</span>
                  </div>
                  <div class="chips">
                    <For each={rows()} fallback={<span class="muted small">Nobody holds this role.</span>}>
                      {(row) => {
                        const cell = () => row.cells.find((x) => x.competence.id === c.id)!.status;
                        return (
                          <a class="holder-status" href={href('competency', 'holding', { person: row.person.id, competence: c.id, role: props.role.id })}>
                            <Badge tone={cell().gap ? 'bad' : 'ok'}>{row.person.name}: {cell().gap ? cellText(cell()) : `✓ ${cellText(cell())}`}</Badge>
                          </a>
                        );
                      }}
                    </For>
                  </div>
                </li>
              );
            }}
          </For>
        </ul>
      </Show>
      <div class="row">
        <a class="btn small" href={href('competency', 'new', { role: props.role.id })}>Add a required competence</a>
        <Show when={competences().length > 0}>
          <a class="btn small" href={href('competency', undefined, { role: props.role.id })}>Open the matrix</a>
        </Show>
      </div>
    </section>
  );
}
