import { createMemo, createSignal, For, Match, Show, Switch } from 'solid-js';
import { formatDate, localIsoDate } from '../../domain/dates';
import { matchesQuery } from '../../domain/text';
import { downloadCsv } from '../../evidence/download';
import { Badge, EmptyState, fileStamp, ScreenHeader } from '../../ui/common';
import { Field, SelectField } from '../../ui/Field';
import { href, navigate, route } from '../../ui/router';
import { useSession } from '../../ui/session';
import { reviewsCsv } from './export';
import { liveInputs } from './inputs';
import { signOffOptions } from '../../domain/signoff';
import { APPROVAL_WORDS, approvalLabel, type ManagementReview, nextReviewDue, pinnedInputs, previousQuarter } from './model';
import { APPROVAL_TONE, formatPeriod } from './format';
import { ReviewDetail } from './ReviewDetail';
import { countOf } from '../../domain/plural';
import './reviews.css';

/*
 * Routes:
 *   #/reviews          the list
 *   #/reviews/new      start a review
 *   #/reviews/<id>     the minutes: inputs, KPIs, decisions, actions, approval
 */
export default function ReviewsScreen() {
  return (
    <Switch fallback={<ReviewList />}>
      <Match when={route().id === 'new'}><NewReview /></Match>
      <Match when={route().id}>{(id) => <ReviewDetail id={id()} />}</Match>
    </Switch>
  );
}


const SORTS = {
  newest: { label: 'Date, newest first', compare: (a: ManagementReview, b: ManagementReview) => b.date.localeCompare(a.date) || b.createdAt.localeCompare(a.createdAt) },
  oldest: { label: 'Date, oldest first', compare: (a: ManagementReview, b: ManagementReview) => a.date.localeCompare(b.date) || a.createdAt.localeCompare(b.createdAt) },
} as const;

function ReviewList() {
  const s = useSession();
  const [query, setQuery] = createSignal('');
  const [year, setYear] = createSignal('');
  const [approval, setApproval] = createSignal('');
  const [sort, setSort] = createSignal<keyof typeof SORTS>('newest');
  const [showArchived, setShowArchived] = createSignal(false);
  const years = createMemo(() => [...new Set(s.reviews.all().map((r) => r.date.slice(0, 4)).filter(Boolean))].sort().reverse());
  const shown = createMemo(() =>
    s.reviews
      .all()
      .filter((r) => {
        const st = s.reviews.approvalState(r).state;
        return (
          (showArchived() || !r.archived) &&
          (!year() || r.date.startsWith(year())) &&
          (!approval() || st === approval()) &&
          matchesQuery(query(), r.date, formatDate(r.date), formatPeriod(r.periodFrom, r.periodTo), s.people.nameOf(r.chairId), r.changes, r.auditFindings, r.incidents, ...r.decisions.map((d) => d.text), ...r.actions.map((a) => a.text))
        );
      })
      .sort(SORTS[sort()].compare),
  );
  const live = createMemo(() => s.reviews.all().filter((r) => !r.archived));
  const next = createMemo(() => nextReviewDue(live()));
  const exportCsv = () => {
    const rows = shown().map((review) => {
      const state = s.reviews.approvalState(review);
      const pinned = state.state === 'signed' ? pinnedInputs(state.entry) : undefined;
      return { review, state, inputs: pinned ?? liveInputs(s, review), pinned: !!pinned };
    });
    downloadCsv(reviewsCsv(rows, s.people.nameOf, fileStamp()));
  };
  return (
    <>
      <ScreenHeader title="Management reviews">
        <a class="btn primary small" href={href('reviews', 'new')}>New</a>
      </ScreenHeader>
      <Show
        when={s.reviews.all().length > 0}
        fallback={
          <EmptyState title="No management reviews yet">
            <p>Top management reviews the ISMS every quarter (ISO 27001 Clause 9.3): open actions from the last review, the KPIs of the quarter, audit findings and incidents, then decisions and actions, approved by the chair.</p>
            <a class="btn primary" href={href('reviews', 'new')}>Hold the first review</a>
          </EmptyState>
        }
      >
        <Show when={next()}>
          {(due) => (
            <p class="muted rv-next" data-testid="next-review">
              Next quarterly review due <strong classList={{ 'rv-overdue': due() < localIsoDate() }}>{formatDate(due())}</strong>
            </p>
          )}
        </Show>
        <div class="filters">
          <Field label="Search" type="search" value={query()} onChange={setQuery} placeholder="Date, chair, decisions, actions" />
          <div class="row compact">
            <SelectField label="Year" value={year()} onChange={setYear} placeholder="All years" options={years().map((y) => ({ value: y, label: y }))} />
            <SelectField label="Approval" value={approval()} onChange={setApproval} placeholder="Any" options={signOffOptions(APPROVAL_WORDS)} />
          </div>
          <SelectField label="Sort" value={sort()} onChange={(v) => setSort(v as keyof typeof SORTS)} options={Object.entries(SORTS).map(([value, x]) => ({ value, label: x.label }))} />
          <Show when={s.reviews.all().some((r) => r.archived)}>
            <label class="check">
              <input type="checkbox" checked={showArchived()} onChange={(e) => setShowArchived(e.currentTarget.checked)} /> Show archived reviews
            </label>
          </Show>
        </div>
        <p class="muted count" aria-live="polite">{countOf(shown().length, showArchived() ? s.reviews.all().length : live().length, 'review')}</p>
        <Show when={shown().length > 0} fallback={<p class="muted center">No review matches these filters.</p>}>
          <ul class="list">
            <For each={shown()}>
              {(r) => {
                const state = () => s.reviews.approvalState(r);
                const open = () => r.actions.filter((a) => a.status !== 'done').length;
                return (
                  <li>
                    <a class="list-item" href={href('reviews', r.id)} data-testid="review-row">
                      <div class="grow">
                        <div class="title">Review · {formatDate(r.date)}</div>
                        <div class="muted">
                          {formatPeriod(r.periodFrom, r.periodTo)} · chair {s.people.nameOf(r.chairId) || '—'}
                          {r.actions.length ? ` · ${countOf(open(), r.actions.length, 'action')} open` : ''}
                        </div>
                      </div>
                      <Badge tone={r.archived ? 'muted' : APPROVAL_TONE[state().state]}>{r.archived ? 'Archived' : approvalLabel(state())}</Badge>
                    </a>
                  </li>
                );
              }}
            </For>
          </ul>
        </Show>
        <button class="btn block" onClick={exportCsv}>Export these as CSV</button>
      </Show>
    </>
  );
}

function NewReview() {
  const s = useSession();
  const today = localIsoDate();
  const [date, setDate] = createSignal(today);
  const [from, setFrom] = createSignal(previousQuarter(today).from);
  const [to, setTo] = createSignal(previousQuarter(today).to);
  const [periodTouched, setPeriodTouched] = createSignal(false);
  const me = s.signer().personId;
  const [chair, setChair] = createSignal(me ?? '');
  const [errors, setErrors] = createSignal<Partial<Record<string, string>>>({});
  const inputs: Record<string, HTMLInputElement | undefined> = {};
  const changeDate = (v: string) => {
    setDate(v);
    // Until the period is edited by hand, it follows the date: the quarter before it.
    if (!periodTouched() && /^\d{4}-\d{2}-\d{2}$/.test(v)) {
      const q = previousQuarter(v);
      setFrom(q.from);
      setTo(q.to);
    }
  };
  const submit = (e: Event) => {
    e.preventDefault();
    const labels = { date: 'date', periodFrom: 'start of the period', periodTo: 'end of the period' } as const;
    for (const [k, what] of Object.entries(labels)) {
      if (inputs[k]?.validity.badInput) return setErrors({ [k]: `Enter a complete ${what} (day, month and year).` });
    }
    const r = s.reviews.create({ date: date(), periodFrom: from(), periodTo: to(), chairId: chair() }, s.signer());
    if (!r.ok) return setErrors(r.errors);
    navigate('reviews', r.value.id);
  };
  const people = () => s.people.active().map((p) => ({ value: p.id, label: p.name }));
  return (
    <>
      <ScreenHeader title="New management review" back={href('reviews')} />
      <Show
        when={s.people.active().length > 0}
        fallback={
          <EmptyState title="Nobody to chair it yet">
            <p>A review is chaired and approved by someone in People. <a href={href('people', 'new')}>Add people</a> first.</p>
          </EmptyState>
        }
      >
        <form class="card" onSubmit={submit} novalidate>
          <Field label="Date of the review" type="date" value={date()} onChange={changeDate} error={errors()['date']} required ref={(el) => (inputs['date'] = el)} />
          <fieldset class="rv-period">
            <legend class="field-label">Period reviewed</legend>
            <div class="row compact">
              <Field label="From" type="date" value={from()} onChange={(v) => (setPeriodTouched(true), setFrom(v))} error={errors()['periodFrom']} ref={(el) => (inputs['periodFrom'] = el)} />
              <Field label="To" type="date" value={to()} onChange={(v) => (setPeriodTouched(true), setTo(v))} error={errors()['periodTo']} ref={(el) => (inputs['periodTo'] = el)} />
            </div>
            <p class="field-hint">The quarter before the review unless you change it. KPIs are computed for this period.</p>
          </fieldset>
          <SelectField label="Chair" value={chair()} onChange={setChair} placeholder="Choose the chair" options={people()} error={errors()['chairId']} />
          <p class="field-hint rv-hint">Only the chair can approve the minutes.</p>
          <button class="btn primary block" type="submit">Start the review</button>
        </form>
      </Show>
    </>
  );
}
