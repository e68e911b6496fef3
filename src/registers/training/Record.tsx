import { ToggleButton } from '@kobalte/core/toggle-button';
import { createMemo, createSignal, Show } from 'solid-js';
import { formatDate, formatInstant, isIsoDate, localIsoDate } from '../../domain/dates';
import { Badge, ScreenHeader } from '../../ui/common';
import { Field, SelectField } from '../../ui/Field';
import { href, route } from '../../ui/router';
import { useSession } from '../../ui/session';
import { createTeamChoice, TeamSelect } from '../members/NoTeam';
import { membersOf } from '../people/model';
import { STATUS_TONE, type TrainingFacts } from './facts';
import { NoCourses } from './Log';
import { bulkTargets, type Completion, type CompletionInput, computedExpiry, courseMatrixHref, entryStatus, renewalLabel } from './model';
import { plural, pluralWord } from '../../domain/plural';
import { NotFound } from '../../ui/NotFound';

type Errors = Partial<Record<string, string>>;

/** What the expiry field says when left empty. */
function expiryHint(completedOn: string, renewalMonths: number | undefined): string {
  if (renewalMonths === undefined) return 'Leave empty to use the course’s renewal interval.';
  if (renewalMonths === 0) return 'Leave empty: this course never expires.';
  const computed = isIsoDate(completedOn) ? computedExpiry(completedOn, renewalMonths) : '';
  return computed
    ? `Leave empty to use the course’s renewal (${renewalLabel(renewalMonths).toLowerCase()}): until ${formatDate(computed)}.`
    : `Leave empty to use the course’s renewal (${renewalLabel(renewalMonths).toLowerCase()}).`;
}

/** Complete-date check for native date inputs (a half-typed date reads as '' otherwise). */
const badDate = (el: HTMLInputElement | undefined) => !!el?.validity.badInput;

export function RecordForm(props: { facts: TrainingFacts }) {
  const s = useSession();
  const params = route().params;
  const firstCourse = params.get('course') || (s.training.activeCourses().length === 1 ? s.training.activeCourses()[0]!.id : '');
  const [form, setForm] = createSignal<CompletionInput>({
    personId: params.get('person') ?? '',
    courseId: firstCourse,
    completedOn: localIsoDate(),
    provider: s.training.courseById().get(firstCourse)?.provider ?? '',
    evidence: '',
    expiresOn: '',
  });
  const [providerTouched, setProviderTouched] = createSignal(false);
  const [errors, setErrors] = createSignal<Errors>({});
  let completedInput: HTMLInputElement | undefined;
  let expiresInput: HTMLInputElement | undefined;
  const course = () => s.training.courseById().get(form().courseId);
  const set = (k: keyof CompletionInput) => (v: string) => {
    const next = { ...form(), [k]: v };
    if (k === 'provider') setProviderTouched(true);
    if (k === 'courseId' && !providerTouched()) next.provider = s.training.courseById().get(v)?.provider ?? '';
    setForm(next);
  };
  const submit = (e: Event) => {
    e.preventDefault();
    if (badDate(completedInput)) return setErrors({ completedOn: 'Enter a complete completion date (day, month and year).' });
    if (badDate(expiresInput)) return setErrors({ expiresOn: 'Enter a complete expiry date, or clear it.' });
    const r = s.training.record(form(), s.signer(), props.facts.today);
    if (!r.ok) return setErrors(r.errors);
    setErrors({});
    location.hash = courseMatrixHref(r.value.courseId);
  };
  return (
    <>
      <ScreenHeader title="Record a completion" back={href('training')} />
      <Show when={s.training.activeCourses().length > 0} fallback={<NoCourses />}>
        <form class="card" onSubmit={submit} novalidate>
          <SelectField label="Person" value={form().personId} onChange={set('personId')} placeholder="Choose a person" options={s.access.visiblePeople().filter((p) => !p.archived).map((p) => ({ value: p.id, label: `${p.name}${p.team ? ` (${p.team})` : ''}` }))} error={errors()['personId']} />
          <SelectField label="Course" value={form().courseId} onChange={set('courseId')} placeholder="Choose a course" options={s.training.activeCourses().map((c) => ({ value: c.id, label: c.title }))} error={errors()['courseId']} />
          <Field label="Completed on" type="date" value={form().completedOn} onChange={set('completedOn')} error={errors()['completedOn']} required ref={(el) => (completedInput = el)} />
          <Field label="Expires on" type="date" value={form().expiresOn} onChange={set('expiresOn')} error={errors()['expiresOn']} description={expiryHint(form().completedOn, course()?.renewalMonths)} ref={(el) => (expiresInput = el)} />
          <Field label="Provider" value={form().provider} onChange={set('provider')} error={errors()['provider']} />
          <Field label="Evidence reference" value={form().evidence} onChange={set('evidence')} error={errors()['evidence']} description="Certificate number, file name or link." />
          <Show when={errors()['_']}><p class="field-error" role="alert">{errors()['_']}</p></Show>
          <button class="btn primary block" type="submit">Record completion</button>
        </form>
        <p class="center"><a href={href('training', 'bulk')}>Record for everyone at a briefing instead</a></p>
      </Show>
    </>
  );
}

export function BulkForm(props: { facts: TrainingFacts }) {
  const s = useSession();
  const params = route().params;
  // Only the briefings and teams this device sees (managers: their teams) are offered or recorded for.
  const briefings = createMemo(() => s.briefings.all().filter((b) => b.attendees.length > 0 && s.access.teamVisible(b.team)));
  const firstBriefing = briefings().find((b) => b.id === params.get('briefing')) ?? briefings()[0];
  const firstCourse = params.get('course') || (s.training.activeCourses().length === 1 ? s.training.activeCourses()[0]!.id : '');
  const [mode, setMode] = createSignal<'briefing' | 'team'>(firstBriefing || s.access.teamOptions().length === 0 ? 'briefing' : 'team');
  const [briefingId, setBriefingId] = createSignal(firstBriefing?.id ?? '');
  const teamChoice = createTeamChoice();
  const team = () => teamChoice.value() ?? '';
  const [courseId, setCourseId] = createSignal(firstCourse);
  const [completedOn, setCompletedOn] = createSignal(firstBriefing?.date ?? localIsoDate());
  const [provider, setProvider] = createSignal(s.training.courseById().get(firstCourse)?.provider ?? '');
  const [providerTouched, setProviderTouched] = createSignal(false);
  const [evidence, setEvidence] = createSignal<string>();
  const [expiresOn, setExpiresOn] = createSignal('');
  const [errors, setErrors] = createSignal<Errors>({});
  let completedInput: HTMLInputElement | undefined;
  let expiresInput: HTMLInputElement | undefined;

  const briefing = () => briefings().find((b) => b.id === briefingId());
  const course = () => s.training.courseById().get(courseId());
  const defaultEvidence = () => {
    const b = briefing();
    return mode() === 'briefing' && b ? `Briefing minutes: ${b.team}, ${formatDate(b.date)}` : '';
  };
  const people = createMemo(() =>
    (mode() === 'briefing' ? (briefing()?.attendees ?? []) : membersOf(s.people.all(), team()).map((p) => p.id)).filter((id) => s.access.visibleIds().has(id)),
  );
  const targets = createMemo(() => bulkTargets(people(), courseId(), completedOn(), s.training.completions()));
  const names = (ids: readonly string[]) => ids.map((id) => s.people.nameOf(id) || 'Unknown person').sort((a, b) => a.localeCompare(b));

  const chooseBriefing = (id: string) => {
    setBriefingId(id);
    const b = s.briefings.byId().get(id);
    if (b) setCompletedOn(b.date);
  };
  const chooseCourse = (id: string) => {
    setCourseId(id);
    if (!providerTouched()) setProvider(s.training.courseById().get(id)?.provider ?? '');
  };
  const submit = (e: Event) => {
    e.preventDefault();
    if (badDate(completedInput)) return setErrors({ completedOn: 'Enter a complete completion date (day, month and year).' });
    if (badDate(expiresInput)) return setErrors({ expiresOn: 'Enter a complete expiry date, or clear it.' });
    const input = { courseId: courseId(), completedOn: completedOn(), provider: provider(), evidence: evidence() ?? defaultEvidence(), expiresOn: expiresOn() };
    const b = briefing();
    const r =
      mode() === 'briefing'
        ? b
          ? s.training.recordForBriefing(b, input, s.signer(), props.facts.today)
          : { ok: false as const, errors: { briefingId: 'Choose the briefing.' } }
        : teamChoice.refusal()
          ? { ok: false as const, errors: {} }
          : team()
          ? s.training.recordForTeam(team(), people(), input, s.signer(), props.facts.today)
          : { ok: false as const, errors: { team: 'Choose the team.' } };
    if (!r.ok) return setErrors(r.errors);
    setErrors({});
    location.hash = courseMatrixHref(courseId());
  };

  return (
    <>
      <ScreenHeader title="Record for several people" back={href('training')} />
      <Show when={s.training.activeCourses().length > 0} fallback={<NoCourses />}>
        <form class="card" onSubmit={submit} novalidate>
          <div class="tr-mode" role="group" aria-label="Record for">
            <ToggleButton class="chip" pressed={mode() === 'briefing'} onChange={() => setMode('briefing')}>Briefing attendees</ToggleButton>
            <ToggleButton class="chip" pressed={mode() === 'team'} onChange={() => setMode('team')}>Whole team</ToggleButton>
          </div>
          <Show
            when={mode() === 'briefing'}
            fallback={<TeamSelect choice={teamChoice} error={errors()['team']} />}
          >
            <Show
              when={briefings().length > 0}
              fallback={
                <p class="muted" role="note">
                  No briefing has anyone marked present yet.{' '}
                  <Show when={s.access.can('open:briefings')} fallback="A manager records briefings; until then, record for a whole team.">
                    <a href={href('briefings', 'new')}>Record a briefing</a> first, or record for a whole team.
                  </Show>
                </p>
              }
            >
              <SelectField
                label="Briefing"
                value={briefingId()}
                onChange={chooseBriefing}
                placeholder="Choose a briefing"
                options={briefings().map((b) => ({ value: b.id, label: `${b.team} · ${formatDate(b.date)} · ${b.attendees.length} present` }))}
                error={errors()['briefingId']}
              />
            </Show>
          </Show>
          <SelectField label="Course" value={courseId()} onChange={chooseCourse} placeholder="Choose a course" options={s.training.activeCourses().map((c) => ({ value: c.id, label: c.title }))} error={errors()['courseId']} />
          <Field
            label="Completed on"
            type="date"
            value={completedOn()}
            onChange={setCompletedOn}
            error={errors()['completedOn']}
            description={mode() === 'briefing' ? 'The date of the briefing, unless they completed it another day.' : undefined}
            required
            ref={(el) => (completedInput = el)}
          />
          <div class="tr-preview" aria-live="polite" data-testid="bulk-preview">
            <Show when={courseId() && people().length > 0} fallback={<p class="muted">Choose {mode() === 'briefing' ? 'a briefing' : 'a team'} and a course to see who will be recorded.</p>}>
              <p>
                <strong data-testid="bulk-count">{targets().record.length}</strong> {pluralWord(targets().record.length, 'completion')} will be recorded
                <Show when={targets().record.length > 0}>: {names(targets().record).join(', ')}</Show>.
              </p>
              <Show when={targets().already.length > 0}>
                <p class="muted">Already recorded on that date, skipped: {names(targets().already).join(', ')}.</p>
              </Show>
            </Show>
          </div>
          <Field label="Expires on" type="date" value={expiresOn()} onChange={setExpiresOn} error={errors()['expiresOn']} description={expiryHint(completedOn(), course()?.renewalMonths)} ref={(el) => (expiresInput = el)} />
          <Field label="Provider" value={provider()} onChange={(v) => { setProviderTouched(true); setProvider(v); }} error={errors()['provider']} />
          <Field label="Evidence reference" value={evidence() ?? defaultEvidence()} onChange={setEvidence} error={errors()['evidence']} />
          <Show when={errors()['personId']}><p class="field-error" role="alert">{errors()['personId']}</p></Show>
          <button class="btn primary block" type="submit" disabled={targets().record.length === 0}>
            Record {plural(targets().record.length, 'completion', 'completions')}
          </button>
        </form>
      </Show>
    </>
  );
}

const ROW_LABEL = { valid: 'Valid', expiring: 'Expiring', expired: 'Expired', voided: 'Corrected' } as const;

export function CompletionDetail(props: { facts: TrainingFacts; id: string }) {
  const s = useSession();
  const completion = () => s.training.completionById().get(props.id);
  return (
    <>
      <ScreenHeader title="Completion" back={href('training')} />
      <Show when={completion()} fallback={<NotFound title="Completion not found" />}>
        {(c) => <CompletionCard completion={c()} today={props.facts.today} />}
      </Show>
    </>
  );
}

function CompletionCard(props: { completion: Completion; today: string }) {
  const s = useSession();
  const [reason, setReason] = createSignal('');
  const [error, setError] = createSignal<string>();
  const c = () => props.completion;
  const status = () => entryStatus(c(), props.today);
  const correction = () => s.training.corrections().find((x) => x.id === c().voidedBy);
  const course = () => s.training.courseById().get(c().courseId);
  const source = () => {
    const src = c().source;
    if (src.startsWith('briefing:')) {
      const b = s.briefings.byId().get(src.slice('briefing:'.length));
      if (!b) return 'A briefing';
      return s.access.can('open:briefings') ? <a href={href('briefings', b.id)}>Briefing {b.team}, {formatDate(b.date)}</a> : `Briefing ${b.team}, ${formatDate(b.date)}`;
    }
    return src.startsWith('team:') ? `Whole team ${src.slice('team:'.length)}` : 'Single entry';
  };
  const voidIt = (e: Event) => {
    e.preventDefault();
    const err = s.training.correct(c().id, reason(), s.signer());
    setError(err);
    if (!err) setReason('');
  };
  return (
    <>
      <section class="card">
        <div class="row spread">
          <h2>{s.people.nameOf(c().personId) || 'Unknown person'}</h2>
          <Badge tone={STATUS_TONE[status()]}>{ROW_LABEL[status()]}</Badge>
        </div>
        <dl class="tr-facts">
          <dt>Course</dt>
          <dd><a href={courseMatrixHref(c().courseId)}>{course()?.title ?? 'Unknown course'}</a></dd>
          <dt>Completed on</dt>
          <dd>{formatDate(c().completedOn)}</dd>
          <dt>Expires on</dt>
          <dd>{c().expiresOn ? formatDate(c().expiresOn) : 'Never'}</dd>
          <dt>Provider</dt>
          <dd>{c().provider || '—'}</dd>
          <dt>Evidence</dt>
          <dd>{c().evidence || '—'}</dd>
          <dt>Recorded from</dt>
          <dd>{source()}</dd>
          <dt>Recorded by</dt>
          <dd>{c().byName} on {formatInstant(c().at)}</dd>
          <dt>Device</dt>
          <dd class="mono">{c().deviceId}</dd>
        </dl>
      </section>
      <Show
        when={!c().voidedBy}
        fallback={
          <section class="card">
            <h2>Corrected</h2>
            <p>
              This completion no longer counts. {correction() ? <>Corrected by <strong>{correction()!.byName}</strong> on {formatInstant(correction()!.at)}: “{correction()!.reason}”</> : null}
            </p>
          </section>
        }
      >
        <form class="card" onSubmit={voidIt} novalidate>
          <h2>Correct this entry</h2>
          <p class="muted">Entries are evidence and are never edited. If this one is wrong, void it with a reason, then record the right one.</p>
          <Field label="Reason" value={reason()} onChange={setReason} error={error()} multiline placeholder="e.g. Recorded for the wrong person" />
          <button class="btn block" type="submit">Void this completion</button>
        </form>
      </Show>
    </>
  );
}
