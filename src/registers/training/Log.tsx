import { createMemo, createSignal, type JSX, Show } from 'solid-js';
import { formatDate } from '../../domain/dates';
import { downloadCsv } from '../../evidence/download';
import { Badge, EmptyState, fileStamp, ScreenHeader } from '../../ui/common';
import { Field, SelectField } from '../../ui/Field';
import { href } from '../../ui/router';
import { useSession } from '../../ui/session';
import { VirtualList } from '../../ui/VirtualList';
import { ScopeNote } from '../members/AccessBanner';
import { completionsCsv } from './export';
import { fold, type LogRow, STATUS_TONE, type TrainingFacts } from './facts';
import { ANNUAL_AWARENESS, trainingCompletionRate } from './model';
import { countOf } from '../../domain/plural';

const ROW_LABEL: Record<LogRow['status'], string> = { valid: 'Valid', expiring: 'Expiring', expired: 'Expired', voided: 'Corrected' };

const collator = new Intl.Collator(undefined, { sensitivity: 'base' });

const SORTS: Record<string, { label: string; compare: (a: LogRow, b: LogRow) => number }> = {
  date: { label: 'Newest first', compare: (a, b) => cmp(b.completion.completedOn, a.completion.completedOn) || cmp(b.completion.at, a.completion.at) },
  person: { label: 'Person', compare: (a, b) => collator.compare(a.personName, b.personName) || cmp(b.completion.completedOn, a.completion.completedOn) },
  expiry: { label: 'Expiry, soonest first', compare: (a, b) => cmp(a.completion.expiresOn || '9999', b.completion.expiresOn || '9999') || collator.compare(a.personName, b.personName) },
};

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Links between the three views of the training log. */
export function TrainingNav(props: { current: 'log' | 'courses' | 'matrix' }) {
  const link = (key: typeof props.current, label: string, to: string) => (
    <a class="tr-nav-link" href={to} aria-current={props.current === key ? 'page' : undefined}>{label}</a>
  );
  return (
    <>
      <nav class="tr-nav" aria-label="Training views">
        {link('log', 'Log', href('training'))}
        {link('courses', 'Courses', href('training', 'courses'))}
        {link('matrix', 'Matrix', href('training', 'matrix'))}
      </nav>
      <ScopeNote />
    </>
  );
}

/** Shown while the workspace has no course: what to do, and the one-tap starter. */
export function NoCourses(props: { children?: JSX.Element }) {
  const s = useSession();
  const [error, setError] = createSignal<string>();
  const addStarter = () => {
    const r = s.training.addAnnualAwareness(s.signer().name);
    setError(r.ok ? undefined : Object.values(r.errors)[0]);
  };
  return (
    <EmptyState title="No courses yet">
      <p>List the training people must do — who must do it and how often it must be renewed — then record who completed it.</p>
      <button class="btn primary block" onClick={addStarter}>
        Add {ANNUAL_AWARENESS.title.toLowerCase()} (everyone, 12 months)
      </button>
      <Show when={error()}><p class="field-error" role="alert">{error()}</p></Show>
      <p><a href={href('training', 'course-new')}>Add a different course</a></p>
      {props.children}
    </EmptyState>
  );
}

export function TrainingLog(props: { facts: TrainingFacts }) {
  const s = useSession();
  const [query, setQuery] = createSignal('');
  const [course, setCourse] = createSignal('');
  const [team, setTeam] = createSignal('');
  const [status, setStatus] = createSignal('');
  const [sort, setSort] = createSignal('date');
  const shown = createMemo(() => {
    const q = fold(query().trim());
    const c = course();
    const t = team();
    const st = status();
    const rows = props.facts.rows().filter(
      (r) => (!c || r.completion.courseId === c) && (!t || r.team === t) && (!st || r.status === st) && (!q || r.haystack.includes(q)),
    );
    return rows.sort(SORTS[sort()]!.compare);
  });
  const rate = createMemo(() => trainingCompletionRate(props.facts.input()));
  return (
    <>
      <ScreenHeader title="Training log">
        <Show when={s.training.activeCourses().length > 0}>
          <a class="btn primary small" href={href('training', 'new')}>Record</a>
        </Show>
      </ScreenHeader>
      <TrainingNav current="log" />
      <Show when={s.training.courses().length > 0} fallback={<NoCourses />}>
        <Show
          when={s.training.allCompletions().length > 0}
          fallback={
            <EmptyState title="No training recorded yet">
              <p>Record who completed a course — one person at a time, or everyone who attended a briefing in one step.</p>
              <a class="btn primary block" href={href('training', 'bulk')}>Record for a briefing’s attendees</a>
              <p><a href={href('training', 'new')}>Record one completion</a></p>
            </EmptyState>
          }
        >
          <div class="card training-summary">
            <div>
              <div class="rate-figure" data-testid="training-rate">{rate().percent === undefined ? '—' : `${rate().percent}%`}</div>
              <div class="muted">{rate().done} of {rate().total} required trainings in date</div>
            </div>
            <a class="btn small" href={href('training', 'bulk')}>Record for a briefing</a>
          </div>
          <div class="filters">
            <Field label="Search" type="search" value={query()} onChange={setQuery} placeholder="Person, team, course or evidence" />
            <div class="row compact">
              <SelectField label="Course" value={course()} onChange={setCourse} placeholder="All courses" options={s.training.courses().map((c) => ({ value: c.id, label: c.title }))} />
              <SelectField label="Team" value={team()} onChange={setTeam} placeholder="All teams" options={s.access.teamOptions().map((t) => ({ value: t, label: t }))} />
            </div>
            <div class="row compact">
              <SelectField
                label="Status"
                value={status()}
                onChange={setStatus}
                placeholder="Any status"
                options={[
                  { value: 'valid', label: 'Valid' },
                  { value: 'expiring', label: 'Expiring (30 days)' },
                  { value: 'expired', label: 'Expired' },
                  { value: 'voided', label: 'Corrected' },
                ]}
              />
              <SelectField label="Sort" value={sort()} onChange={setSort} options={Object.entries(SORTS).map(([value, x]) => ({ value, label: x.label }))} />
            </div>
          </div>
          <p class="muted count" aria-live="polite" data-testid="completion-count">
            {countOf(shown().length, props.facts.rows().length, 'completion')}
            <Show when={status() === ''}> · people without a course show in the <a href={href('training', 'matrix')}>matrix</a></Show>
          </p>
          <Show when={shown().length > 0} fallback={<p class="muted center">No completion matches these filters.</p>}>
            <VirtualList items={shown()} label="Completions" rowHeight={84}>
              {(r) => (
                <a class="list-item" href={href('training', 'entry', { id: r.completion.id })} data-testid="completion-row">
                  <div class="grow">
                    <div class="title">{r.personName}</div>
                    <div class="muted tr-ellipsis">{r.courseTitle}</div>
                    <div class="muted">
                      {formatDate(r.completion.completedOn)} → {r.completion.expiresOn ? formatDate(r.completion.expiresOn) : 'no expiry'}
                    </div>
                  </div>
                  <Badge tone={STATUS_TONE[r.status]}>{ROW_LABEL[r.status]}</Badge>
                </a>
              )}
            </VirtualList>
          </Show>
          <button class="btn block" onClick={() => downloadCsv(completionsCsv(shown(), fileStamp()))}>Export these as CSV</button>
        </Show>
      </Show>
    </>
  );
}
