import { createMemo, createSignal, For, Show } from 'solid-js';
import { matchesQuery } from '../../domain/text';
import { downloadCsv } from '../../evidence/download';
import { Badge, EmptyState, fileStamp, ScreenHeader } from '../../ui/common';
import { Field, SelectField } from '../../ui/Field';
import { href } from '../../ui/router';
import { useSession } from '../../ui/session';
import { competencesCsv } from './export';
import { courseTitleOf } from './link';
import { COMPETENCE_KINDS, type CompetenceInput, type CompetenceKind, isTrainingLinked, KIND_LABELS, LEVEL_LABELS, LEVELS } from './model';
import { CompetencyNav } from './nav';
import { countOf } from '../../domain/plural';
import { NotFound } from '../../ui/NotFound';

type Sort = 'name' | 'roles';

/** Every competence, and which roles require it at which level. */
export function CompetencesView() {
  const s = useSession();
  const [query, setQuery] = createSignal('');
  const [kind, setKind] = createSignal('');
  const [roleId, setRoleId] = createSignal('');
  const [showArchived, setShowArchived] = createSignal(false);
  const [sort, setSort] = createSignal<Sort>('name');
  const activeRoleIds = createMemo(() => new Set(s.roles.active().map((r) => r.id)));
  const requiredBy = (required: Record<string, number>) =>
    Object.entries(required)
      .filter(([id]) => activeRoleIds().has(id))
      .map(([id, level]) => `${s.roles.nameOf(id)} (${level})`)
      .sort((a, b) => a.localeCompare(b));
  const shown = createMemo(() => {
    const list = s.competency.competences().filter(
      (c) =>
        (showArchived() || !c.archived) &&
        (!kind() || c.kind === kind()) &&
        (!roleId() || c.required[roleId()] !== undefined) &&
        matchesQuery(query(), c.name, KIND_LABELS[c.kind], ...requiredBy(c.required)),
    );
    return sort() === 'roles' ? [...list].sort((a, b) => requiredBy(b.required).length - requiredBy(a.required).length || a.name.localeCompare(b.name)) : list;
  });
  return (
    <>
      <ScreenHeader title="Competency matrix">
        <a class="btn primary small" href={href('competency', 'new')}>Add</a>
      </ScreenHeader>
      <CompetencyNav current="competences" />
      <Show
        when={s.competency.competences().length > 0}
        fallback={
          <EmptyState title="No competences yet">
            <p>List what your security roles require: skills, training, certifications and experience, each at a level (1 basic, 2 working, 3 expert).</p>
            <a class="btn primary" href={href('competency', 'new')}>Add a competence</a>
          </EmptyState>
        }
      >
        <div class="filters">
          <Field label="Search" type="search" value={query()} onChange={setQuery} placeholder="Competence or role" />
          <div class="row">
            <SelectField label="Role" value={roleId()} onChange={setRoleId} placeholder="All roles" options={s.roles.active().map((r) => ({ value: r.id, label: r.name }))} />
            <SelectField label="Kind" value={kind()} onChange={setKind} placeholder="All kinds" options={COMPETENCE_KINDS.map((k) => ({ value: k, label: KIND_LABELS[k] }))} />
          </div>
          <div class="row">
            <SelectField label="Sort by" value={sort()} onChange={(v) => setSort(v as Sort)} options={[{ value: 'name', label: 'Name' }, { value: 'roles', label: 'Most roles' }]} />
            <label class="check">
              <input type="checkbox" checked={showArchived()} onChange={(e) => setShowArchived(e.currentTarget.checked)} /> Show archived
            </label>
          </div>
        </div>
        <p class="muted count" aria-live="polite">{countOf(shown().length, s.competency.competences().length, 'competence')}</p>
        <Show when={shown().length > 0} fallback={<p class="muted center">No competence matches these filters.</p>}>
          <ul class="list">
            <For each={shown()}>
              {(c) => (
                <li>
                  <a class="list-item" href={href('competency', c.id)} data-testid="competence-row">
                    <div class="grow">
                      <div class="title">{c.name}</div>
                      <div class="muted small">
                        {KIND_LABELS[c.kind]}
                        {isTrainingLinked(c) ? ` · course “${courseTitleOf(s)(c.courseId) || c.courseId}”` : ''} · {requiredBy(c.required).join(', ') || 'no active role requires it'}
                      </div>
                    </div>
                    <Show when={c.archived}><Badge tone="muted">Archived</Badge></Show>
                  </a>
                </li>
              )}
            </For>
          </ul>
        </Show>
        <button class="btn block" onClick={() => downloadCsv(competencesCsv(shown(), s.roles.nameOf, courseTitleOf(s), fileStamp()))}>Export these as CSV</button>
      </Show>
    </>
  );
}

/** Adds (no id) or edits a competence: what it is, how it is proven, and the level each role requires. */
export function CompetenceForm(props: { id?: string; roleId: string }) {
  const s = useSession();
  const existing = () => (props.id ? s.competency.competenceById().get(props.id) : undefined);
  const initial = existing();
  const [form, setForm] = createSignal<CompetenceInput>(
    initial
      ? { name: initial.name, kind: initial.kind, courseId: initial.courseId, required: { ...initial.required } }
      : { name: '', kind: '', courseId: '', required: props.roleId ? { [props.roleId]: 2 } : {} },
  );
  const [errors, setErrors] = createSignal<Partial<Record<string, string>>>({});
  const [saved, setSaved] = createSignal(false);
  const set = (patch: Partial<CompetenceInput>) => {
    setSaved(false);
    setForm({ ...form(), ...patch });
    // A message goes once its field is edited.
    const stale = Object.keys(patch);
    if (stale.some((k) => errors()[k])) setErrors(Object.fromEntries(Object.entries(errors()).filter(([k]) => !stale.includes(k))));
  };
  const setLevel = (roleId: string, level: number) => set({ required: { ...form().required, [roleId]: level } });
  const roles = () => s.roles.active();
  const back = () => (props.roleId ? href('competency', undefined, { role: props.roleId }) : props.id ? href('competency', 'competences') : href('competency'));
  const courses = createMemo(() => {
    const list = s.training.activeCourses().map((c) => ({ value: c.id, label: c.title }));
    const stored = form().courseId;
    return stored && !list.some((c) => c.value === stored) ? [...list, { value: stored, label: `${courseTitleOf(s)(stored) || stored} (not in the training log here)` }] : list;
  });

  const submit = (e: Event) => {
    e.preventDefault();
    const ids = roles().map((r) => r.id);
    const r = props.id ? s.competency.updateCompetence(props.id, form(), ids) : s.competency.addCompetence(form(), ids);
    if (!r.ok) return setErrors(r.errors);
    setErrors({});
    if (props.id) return setSaved(true);
    // Back to the matrix of the role it was added for, or of the first role that requires it.
    const roleId = props.roleId || roles().find((x) => r.value.required[x.id])?.id;
    location.hash = href('competency', undefined, roleId ? { role: roleId } : undefined);
  };

  return (
    <>
      <ScreenHeader title={props.id ? existing()?.name || 'Competence' : 'Add a competence'} back={back()} />
      <Show when={!props.id || existing()} fallback={<NotFound title="Competence not found" />}>
        <form class="card" onSubmit={submit} novalidate>
          <Field label="Competence" value={form().name} onChange={(v) => set({ name: v })} error={errors()['name']} required autocomplete="off" placeholder="e.g. Risk assessment" />
          <SelectField
            label="Kind"
            value={form().kind}
            onChange={(v) => set({ kind: v as CompetenceKind })}
            placeholder="Choose the kind"
            options={COMPETENCE_KINDS.map((k) => ({ value: k, label: KIND_LABELS[k] }))}
            error={errors()['kind']}
          />
          <Show when={form().kind === 'training'}>
            <SelectField
              label="Proven by course"
              value={form().courseId}
              onChange={(v) => set({ courseId: v })}
              placeholder="No course: judge by the level held"
              options={courses()}
              error={errors()['courseId']}
            />
            <p class="field-hint">
              {courses().length ? 'With a course, only a valid completion in the Training log meets the requirement.' : 'Add courses in the Training log to link one here.'}
            </p>
          </Show>
          <fieldset class="required-by" aria-describedby={errors()['required'] ? 'required-error' : undefined}>
            <legend class="field-label">Required by</legend>
            <p class="field-hint">The level each security role requires: 1 basic, 2 working, 3 expert.</p>
            <ul class="plain">
              <For each={roles()}>
                {(r) => (
                  <li class="required-row">
                    <label for={`req-${r.id}`}>{r.name}</label>
                    <select
                      id={`req-${r.id}`}
                      class="input"
                      value={String(form().required[r.id] ?? 0)}
                      onChange={(e) => setLevel(r.id, Number(e.currentTarget.value))}
                      data-testid="required-level"
                    >
                      <option value="0" selected={!form().required[r.id]}>Not required</option>
                      <For each={LEVELS}>{(l) => <option value={String(l)} selected={form().required[r.id] === l}>{l} {LEVEL_LABELS[l].toLowerCase()}</option>}</For>
                    </select>
                  </li>
                )}
              </For>
            </ul>
            <Show when={errors()['required']}>
              <p id="required-error" class="field-error" role="alert">{errors()['required']}</p>
            </Show>
          </fieldset>
          <Show when={saved()}><p class="ok" role="status">Saved.</p></Show>
          <button class="btn primary block" type="submit">{props.id ? 'Save changes' : 'Add competence'}</button>
        </form>
        <Show when={existing()}>
          {(c) => (
            <div class="card">
              <button class="btn block" onClick={() => s.competency.setCompetenceArchived(c().id, !c().archived)}>{c().archived ? 'Restore this competence' : 'Archive this competence'}</button>
              <p class="muted">Archived competences are no longer required and leave no gaps; what people held stays on record.</p>
            </div>
          )}
        </Show>
      </Show>
    </>
  );
}
