import { ToggleButton } from '@kobalte/core/toggle-button';
import { createMemo, createSignal, For, Show } from 'solid-js';
import { Badge, ScreenHeader } from '../../ui/common';
import { Field } from '../../ui/Field';
import { href, navigate } from '../../ui/router';
import { useSession } from '../../ui/session';
import { audienceText, statusCounts, type TrainingFacts } from './facts';
import { NoCourses, TrainingNav } from './Log';
import { type Course, type CourseInput, courseMatrixHref, renewalLabel } from './model';
import { NotFound } from '../../ui/NotFound';

export function CourseList(props: { facts: TrainingFacts }) {
  const s = useSession();
  const [showArchived, setShowArchived] = createSignal(false);
  const shown = createMemo(() => s.training.courses().filter((c) => showArchived() || !c.archived));
  return (
    <>
      <ScreenHeader title="Courses">
        <a class="btn primary small" href={href('training', 'course-new')}>Add</a>
      </ScreenHeader>
      <TrainingNav current="courses" />
      <Show when={s.training.courses().length > 0} fallback={<NoCourses />}>
        <label class="check">
          <input type="checkbox" checked={showArchived()} onChange={(e) => setShowArchived(e.currentTarget.checked)} /> Show archived courses
        </label>
        <Show when={shown().length > 0} fallback={<p class="muted center">Every course is archived.</p>}>
          <ul class="list">
            <For each={shown()}>
              {(c) => {
                const counts = () => statusCounts(props.facts.cellsFor(c.id));
                return (
                  <li>
                    <a class="list-item" href={courseMatrixHref(c.id)} data-testid="course-row">
                      <div class="grow">
                        <div class="title">{c.title}</div>
                        <div class="muted">{renewalLabel(c.renewalMonths)} · {audienceText(c, props.facts.roleName)}</div>
                        <Show when={!c.archived}>
                          <div class="tr-status-chips">
                            <Badge tone="ok">{counts().valid} valid</Badge>
                            <Show when={counts().expiring}><Badge tone="warn">{counts().expiring} expiring</Badge></Show>
                            <Show when={counts().expired}><Badge tone="bad">{counts().expired} expired</Badge></Show>
                            <Show when={counts().missing}><Badge tone="bad">{counts().missing} missing</Badge></Show>
                          </div>
                        </Show>
                      </div>
                      <Show when={c.archived}><Badge tone="muted">Archived</Badge></Show>
                    </a>
                  </li>
                );
              }}
            </For>
          </ul>
        </Show>
      </Show>
    </>
  );
}

/** Chips to choose an audience: everyone, or teams and security roles (one boolean each when stored). */
export function AudiencePicker(props: { value: CourseInput['audience']; onChange: (a: CourseInput['audience']) => void; error?: string | undefined }) {
  const s = useSession();
  const toggle = (list: 'teams' | 'roles', key: string, on: boolean) => {
    const current = props.value[list].filter((x) => x !== key);
    props.onChange({ ...props.value, [list]: on ? [...current, key] : current });
  };
  const teams = createMemo(() => [...new Set([...s.people.teams(), ...props.value.teams])]);
  return (
    <fieldset class="tr-audience" aria-describedby={props.error ? 'audience-err' : undefined}>
      <legend class="field-label">Who must do it</legend>
      <label class="check">
        <input type="checkbox" checked={props.value.everyone} onChange={(e) => props.onChange({ ...props.value, everyone: e.currentTarget.checked })} /> Everyone
      </label>
      <Show when={!props.value.everyone}>
        <p class="muted">Or only these teams and security roles:</p>
        <div class="chips" role="group" aria-label="Teams">
          <For each={teams()} fallback={<span class="muted">No teams yet.</span>}>
            {(t) => (
              <ToggleButton class="chip" pressed={props.value.teams.includes(t)} onChange={(on) => toggle('teams', t, on)} data-testid="audience-team">
                {t}
              </ToggleButton>
            )}
          </For>
        </div>
        <div class="chips" role="group" aria-label="Security roles">
          <For each={s.roles.active()}>
            {(r) => (
              <ToggleButton class="chip" pressed={props.value.roles.includes(r.id)} onChange={(on) => toggle('roles', r.id, on)} data-testid="audience-role">
                {r.name}
              </ToggleButton>
            )}
          </For>
        </div>
      </Show>
      <Show when={props.error}><div id="audience-err" class="field-error" role="alert">{props.error}</div></Show>
    </fieldset>
  );
}

const EMPTY: CourseInput = { title: '', renewalMonths: '12', audience: { everyone: true, teams: [], roles: [] }, provider: '' };

export function CourseForm(props: { facts: TrainingFacts; id?: string }) {
  const s = useSession();
  const existing = (): Course | undefined => (props.id ? s.training.courseById().get(props.id) : undefined);
  const initial = existing();
  const [form, setForm] = createSignal<CourseInput>(initial ? { ...initial, renewalMonths: String(initial.renewalMonths) } : { ...EMPTY });
  const [errors, setErrors] = createSignal<Partial<Record<string, string>>>({});
  const [saved, setSaved] = createSignal(false);
  const set = <K extends keyof CourseInput>(k: K) => (v: CourseInput[K]) => {
    setSaved(false);
    setForm({ ...form(), [k]: v });
  };
  const submit = (e: Event) => {
    e.preventDefault();
    const r = props.id ? s.training.updateCourse(props.id, form()) : s.training.addCourse(form(), s.signer().name);
    if (!r.ok) return setErrors(r.errors);
    setErrors({});
    if (props.id) setSaved(true);
    else navigate('training', 'courses');
  };
  return (
    <>
      <ScreenHeader title={props.id ? existing()?.title || 'Course' : 'Add a course'} back={props.id ? courseMatrixHref(props.id) : href('training', 'courses')} />
      <Show when={!props.id || existing()} fallback={<NotFound title="Course not found" />}>
        <form class="card" onSubmit={submit} novalidate>
          <Field label="Title" value={form().title} onChange={set('title')} error={errors()['title']} required placeholder="e.g. Annual security awareness" />
          <Field
            label="Renewal interval (months)"
            value={String(form().renewalMonths)}
            onChange={set('renewalMonths')}
            error={errors()['renewalMonths']}
            description="How often it must be done again: 12 for yearly, 0 if it never expires."
          />
          <AudiencePicker value={form().audience} onChange={set('audience')} error={errors()['audience']} />
          <Field label="Default provider" value={form().provider} onChange={set('provider')} error={errors()['provider']} description="Offered when recording a completion; can be changed each time." />
          <Show when={saved()}><p class="ok" role="status">Saved.</p></Show>
          <button class="btn primary block" type="submit">{props.id ? 'Save changes' : 'Add course'}</button>
        </form>
        <Show when={existing()}>
          {(c) => (
            <div class="card">
              <button class="btn block" onClick={() => s.training.setCourseArchived(c().id, !c().archived)}>
                {c().archived ? 'Bring the course back' : 'Archive this course'}
              </button>
              <p class="muted">Courses are never deleted: completions already recorded stay in the log. An archived course is no longer required.</p>
            </div>
          )}
        </Show>
      </Show>
    </>
  );
}
