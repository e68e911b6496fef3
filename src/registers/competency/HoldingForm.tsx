import { RadioGroup } from '@kobalte/core/radio-group';
import { createMemo, createSignal, For, Show } from 'solid-js';
import { formatDate, localIsoDate } from '../../domain/dates';
import { Badge, ScreenHeader } from '../../ui/common';
import { Field } from '../../ui/Field';
import { href, route } from '../../ui/router';
import { useSession } from '../../ui/session';
import { validCourseIds } from '../training/model';
import { courseTitleOf } from './link';
import { type HeldLevel, isTrainingLinked, KIND_LABELS, LEVEL_LABELS } from './model';
import { NotFound } from '../../ui/NotFound';

const LEVEL_OPTIONS: readonly HeldLevel[] = [0, 1, 2, 3];

/** Records the level a person holds in a competence, with the evidence and when it was assessed. */
export function HoldingForm(props: { personId: string; competenceId: string; roleId: string }) {
  const s = useSession();
  const today = localIsoDate();
  const person = () => s.people.byId().get(props.personId);
  const competence = () => s.competency.competenceById().get(props.competenceId);
  const existing = s.competency.holdingOf(props.personId, props.competenceId);
  const [level, setLevel] = createSignal<string>(String(existing?.level ?? ''));
  const [evidence, setEvidence] = createSignal(existing?.evidence ?? '');
  const [assessedOn, setAssessedOn] = createSignal(existing?.assessedOn || today);
  const [errors, setErrors] = createSignal<Partial<Record<string, string>>>({});
  let dateInput: HTMLInputElement | undefined;

  const back = () =>
    route().params.get('from') === 'person'
      ? href('competency', 'person', { id: props.personId })
      : href('competency', undefined, props.roleId ? { role: props.roleId } : undefined);
  // The roles this person holds that require the competence, with the level each requires.
  const requiredBy = createMemo(() => {
    const c = competence();
    if (!c) return [];
    return s.roles.rolesOf(props.personId).flatMap((id) => (c.required[id] ? [{ role: s.roles.byId().get(id)!, level: c.required[id]! }] : []));
  });
  const courseValid = createMemo(() => {
    const c = competence();
    if (!c || !isTrainingLinked(c)) return undefined;
    return validCourseIds(props.personId, s.training.completions(), today).has(c.courseId);
  });

  const submit = (e: Event) => {
    e.preventDefault();
    if (dateInput?.validity.badInput) return setErrors({ assessedOn: 'Enter a complete date (day, month and year).' });
    if (level() === '') return setErrors({ level: 'Choose the level held.' });
    const r = s.competency.recordHolding({ personId: props.personId, competenceId: props.competenceId, level: Number(level()), evidence: evidence(), assessedOn: assessedOn() }, today);
    if (!r.ok) return setErrors(r.errors);
    location.hash = back();
  };

  return (
    <>
      <ScreenHeader title="Record a level" back={back()} />
      <Show
        when={person() && competence()}
        fallback={<NotFound back={back()} title="Not found" why="This person or competence is not on this device yet." backLabel="Back" />}
      >
        <section class="card">
          <h2>{person()!.name}</h2>
          <p>
            <strong>{competence()!.name}</strong> <span class="muted">· {KIND_LABELS[competence()!.kind]}</span>
          </p>
          <Show when={requiredBy().length > 0} fallback={<p class="muted">None of the roles {person()!.name} holds requires this competence.</p>}>
            <p class="muted">
              Required by {requiredBy().map((x) => `${x.role.name} (level ${x.level} ${LEVEL_LABELS[x.level].toLowerCase()})`).join(', ')}.
            </p>
          </Show>
          <Show when={courseValid() !== undefined}>
            <p>
              Proven by the course “{courseTitleOf(s)(competence()!.courseId) || competence()!.courseId}”:{' '}
              <Show when={courseValid()} fallback={<Badge tone="bad">no valid completion</Badge>}>
                <Badge tone="ok">valid completion</Badge>
              </Show>
            </p>
            <p class="muted small">
              Only a valid completion in the <a href={href('training')}>Training log</a> closes this gap; the level below is kept as extra evidence.
            </p>
          </Show>
        </section>
        <form class="card" onSubmit={submit} novalidate>
          <RadioGroup class="answer" value={level()} onChange={setLevel} validationState={errors()['level'] ? 'invalid' : 'valid'}>
            <RadioGroup.Label class="field-label">Level held</RadioGroup.Label>
            <div class="levels" role="presentation">
              <For each={LEVEL_OPTIONS}>
                {(l) => (
                  <RadioGroup.Item value={String(l)} class="seg level">
                    <RadioGroup.ItemInput class="visually-hidden" />
                    <RadioGroup.ItemLabel class="seg-label">{l === 0 ? 'None' : `${l} ${LEVEL_LABELS[l]}`}</RadioGroup.ItemLabel>
                  </RadioGroup.Item>
                )}
              </For>
            </div>
            <RadioGroup.ErrorMessage class="field-error">{errors()['level']}</RadioGroup.ErrorMessage>
          </RadioGroup>
          <Field label="Evidence" value={evidence()} onChange={setEvidence} error={errors()['evidence']} placeholder="Certificate no., appraisal, CV, file name" />
          <Field label="Assessed on" type="date" value={assessedOn()} onChange={setAssessedOn} error={errors()['assessedOn']} ref={(el) => (dateInput = el)} />
          <Show when={existing?.assessedOn}>
            <p class="muted small">On record: {LEVEL_LABELS[existing!.level]}, assessed {formatDate(existing!.assessedOn)}.</p>
          </Show>
          <button class="btn primary block" type="submit">Save</button>
        </form>
      </Show>
    </>
  );
}
