import { ToggleButton } from '@kobalte/core/toggle-button';
import { createMemo, createSignal, For, Show } from 'solid-js';
import { matchesQuery } from '../../domain/text';
import { downloadCsv } from '../../evidence/download';
import { EmptyState, fileStamp, ScreenHeader } from '../../ui/common';
import { Field, SelectField } from '../../ui/Field';
import { href } from '../../ui/router';
import { useSession } from '../../ui/session';
import { SyncedField } from '../../ui/SyncedField';
import { raciCsv } from './export';
import { accountableCheck, RACI_LABELS, RACI_VALUES, type RaciActivity, type RaciValue, type SecurityRole } from './model';
import { RolesNav } from './nav';
import { countOf } from '../../domain/plural';

type View = 'cards' | 'grid';

const wide = () => typeof matchMedia === 'function' && matchMedia('(min-width: 700px)').matches;

/**
 * The RACI matrix: security activities × roles. On a phone, one card per
 * activity with an R/A/C/I selector per role; on a wider screen, a grid.
 */
export function RaciScreen() {
  const s = useSession();
  const [view, setView] = createSignal<View>(wide() ? 'grid' : 'cards');
  const [query, setQuery] = createSignal('');
  const [roleId, setRoleId] = createSignal('');
  const [onlyWarnings, setOnlyWarnings] = createSignal(false);
  const [showArchived, setShowArchived] = createSignal(false);
  const roles = createMemo(() => s.roles.active().filter((r) => !roleId() || r.id === roleId()));
  const checked = createMemo(() => s.roles.activeActivities().map((a) => ({ activity: a, check: accountableCheck(a, s.roles.all()) })));
  const warnings = () => checked().filter((c) => c.check.warning).length;
  const shown = createMemo(() => checked().filter((c) => (!onlyWarnings() || c.check.warning) && matchesQuery(query(), c.activity.name)));
  const archived = createMemo(() => s.roles.activities().filter((a) => a.archived));

  return (
    <>
      <ScreenHeader title="Roles & RACI" />
      <RolesNav current="raci" />
      <Show
        when={s.roles.activeActivities().length > 0}
        fallback={
          <EmptyState title="No RACI activities yet">
            <p>
              The RACI matrix says, for each security activity, which role is <strong>R</strong>esponsible for doing it, which one is <strong>A</strong>ccountable
              (exactly one), who is <strong>C</strong>onsulted and who is <strong>I</strong>nformed.
            </p>
            <button class="btn primary" onClick={() => s.roles.addStandardActivities()}>Add the standard activities</button>
            <p class="small">Eight common activities, with suggested letters for the default roles. Change them to fit, or add your own below.</p>
          </EmptyState>
        }
      >
        <p class="legend muted small">
          <For each={RACI_VALUES}>{(l) => <span><b>{l}</b> {RACI_LABELS[l].toLowerCase()}</span>}</For>
        </p>
        <div class="filters">
          <Field label="Search" type="search" value={query()} onChange={setQuery} placeholder="Activity" />
          <div class="row">
            <SelectField label="Role" value={roleId()} onChange={setRoleId} placeholder="All roles" options={s.roles.active().map((r) => ({ value: r.id, label: r.name }))} />
            <div class="field">
              <span class="field-label" id="view-label">View</span>
              <div class="view-switch" role="group" aria-labelledby="view-label">
                <ToggleButton class="chip" pressed={view() === 'cards'} onChange={() => setView('cards')}>Cards</ToggleButton>
                <ToggleButton class="chip" pressed={view() === 'grid'} onChange={() => setView('grid')}>Grid</ToggleButton>
              </div>
            </div>
          </div>
          <label class="check">
            <input type="checkbox" checked={onlyWarnings()} onChange={(e) => setOnlyWarnings(e.currentTarget.checked)} /> Only activities that need attention
          </label>
        </div>
        <p class="muted count" aria-live="polite">
          {countOf(shown().length, checked().length, 'activity', 'activities')}
          <Show when={warnings() > 0}> · <span class="warn">{warnings()} without exactly one A</span></Show>
        </p>
        <Show when={shown().length > 0} fallback={<p class="muted center">No activity matches these filters.</p>}>
          <Show when={view() === 'grid'} fallback={<RaciCards rows={shown()} roles={roles()} />}>
            <RaciGrid rows={shown()} roles={roles()} />
          </Show>
        </Show>
      </Show>
      <AddActivity />
      <Show when={s.roles.activities().length > 0}>
        <button class="btn block" onClick={() => downloadCsv(raciCsv(shown().map((c) => c.activity), s.roles.active(), fileStamp()))}>Export the matrix as CSV</button>
      </Show>
      <Show when={archived().length > 0}>
        <label class="check">
          <input type="checkbox" checked={showArchived()} onChange={(e) => setShowArchived(e.currentTarget.checked)} /> Show archived activities ({archived().length})
        </label>
        <Show when={showArchived()}>
          <ul class="list">
            <For each={archived()}>
              {(a) => (
                <li class="list-item">
                  <span class="grow">{a.name}</span>
                  <button class="btn small" onClick={() => s.roles.setActivityArchived(a.id, false)}>Restore</button>
                </li>
              )}
            </For>
          </ul>
        </Show>
      </Show>
    </>
  );
}

interface Row {
  activity: RaciActivity;
  check: { warning?: string };
}

function Warning(props: { text: string | undefined }) {
  return (
    <Show when={props.text}>
      <p class="raci-warning" data-testid="raci-warning">⚠ {props.text}</p>
    </Show>
  );
}

/** Phone layout: a card per activity, a row per role with four letters to tap (tap the lit one again to clear it). */
function RaciCards(props: { rows: Row[]; roles: SecurityRole[] }) {
  const s = useSession();
  return (
    <ol class="raci-cards">
      <For each={props.rows}>
        {(row) => (
          <li class="card raci-card" data-testid="raci-activity" aria-labelledby={`act-${row.activity.id}`}>
            <h2 id={`act-${row.activity.id}`}>{row.activity.name}</h2>
            <Warning text={row.check.warning} />
            <ul class="raci-roles">
              <For each={props.roles}>
                {(r) => (
                  <li class="raci-role">
                    <span class="raci-role-name" id={`act-${row.activity.id}-${r.id}`}>{r.name}</span>
                    <div class="raci-letters" role="group" aria-labelledby={`act-${row.activity.id}-${r.id}`}>
                      <For each={RACI_VALUES}>
                        {(l) => (
                          <ToggleButton
                            class={`raci-btn on-${l}`}
                            pressed={row.activity.raci[r.id] === l}
                            onChange={(on) => s.roles.setRaci(row.activity.id, r.id, on ? l : '')}
                            title={RACI_LABELS[l]}
                          >
                            {l}
                          </ToggleButton>
                        )}
                      </For>
                    </div>
                  </li>
                )}
              </For>
            </ul>
            <details class="raci-edit">
              <summary>Edit activity</summary>
              <SyncedField label="Activity" stored={row.activity.name} save={(v) => renameError(s.roles.updateActivity(row.activity.id, { name: v }))} />
              <button class="btn small" onClick={() => s.roles.setActivityArchived(row.activity.id, true)}>Archive this activity</button>
            </details>
          </li>
        )}
      </For>
    </ol>
  );
}

const renameError = (r: { ok: true } | { ok: false; errors: Partial<Record<string, string>> }) => (r.ok ? undefined : r.errors['name'] ?? r.errors['_'] ?? 'Could not save.');

/** Wider screens: activities down, roles across, one compact select per cell; scrolls sideways when the roles do not fit. */
function RaciGrid(props: { rows: Row[]; roles: SecurityRole[] }) {
  const s = useSession();
  return (
    <div class="raci-grid-wrap" tabindex="0" role="region" aria-label="RACI matrix">
      <table class="raci-grid">
        <thead>
          <tr>
            <th scope="col">Activity</th>
            <For each={props.roles}>{(r) => <th scope="col"><a href={href('roles', r.id)}>{r.name}</a></th>}</For>
          </tr>
        </thead>
        <tbody>
          <For each={props.rows}>
            {(row) => (
              <tr data-testid="raci-grid-row" classList={{ 'has-warning': !!row.check.warning }}>
                <th scope="row">
                  {row.activity.name}
                  <Show when={row.check.warning}><span class="raci-warning small" title={row.check.warning}> ⚠<span class="visually-hidden">{row.check.warning}</span></span></Show>
                </th>
                <For each={props.roles}>
                  {(r) => (
                    <td>
                      <select
                        class={`raci-select on-${row.activity.raci[r.id] ?? ''}`}
                        aria-label={`${row.activity.name} — ${r.name}`}
                        value={row.activity.raci[r.id] ?? ''}
                        onChange={(e) => s.roles.setRaci(row.activity.id, r.id, e.currentTarget.value as RaciValue | '')}
                      >
                        <option value="">–</option>
                        <For each={RACI_VALUES}>{(l) => <option value={l} selected={row.activity.raci[r.id] === l}>{l}</option>}</For>
                      </select>
                    </td>
                  )}
                </For>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </div>
  );
}

function AddActivity() {
  const s = useSession();
  const [name, setName] = createSignal('');
  const [error, setError] = createSignal<string>();
  const add = (e: Event) => {
    e.preventDefault();
    const r = s.roles.addActivity({ name: name() });
    if (!r.ok) return setError(r.errors['name']);
    setError(undefined);
    setName('');
  };
  return (
    <form class="card row bottom" onSubmit={add} novalidate aria-label="Add an activity">
      <Field label="New activity" value={name()} onChange={setName} error={error()} placeholder="e.g. Approve access rights" />
      <button class="btn" type="submit">Add</button>
    </form>
  );
}
