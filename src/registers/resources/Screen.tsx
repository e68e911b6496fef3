import { createMemo, createSignal, For, Match, Show, Switch } from 'solid-js';
import { formatDate, formatInstant, formatPeriod, localIsoDate } from '../../domain/dates';
import { matchesQuery } from '../../domain/text';
import { downloadCsv } from '../../evidence/download';
import { Badge, EmptyState, fileStamp, ScreenHeader } from '../../ui/common';
import { Field, SelectField } from '../../ui/Field';
import { href, navigate, route } from '../../ui/router';
import { useSession } from '../../ui/session';
import { resourcesCsv } from './export';
import { countOf } from '../../domain/plural';
import {
  amountLabel,
  COMMON_CURRENCIES,
  CURRENCIES,
  formatHours,
  formatMoney,
  inputOf,
  KIND_LABELS,
  needsAmount,
  needsHours,
  RESOURCE_KINDS,
  type ResourceApproval,
  type ResourceInput,
  type ResourceKind,
  totals,
} from './model';
import './resources.css';
import { NotFound } from '../../ui/NotFound';

/*
 * Routes:
 *   #/resources                the list, with totals per currency
 *   #/resources/new?review=    record an approval (linked to a review)
 *   #/resources/<id>           edit the description, correct the approval, archive
 */
export default function ResourcesScreen() {
  return (
    <Switch fallback={<ResourceList />}>
      <Match when={route().id === 'new'}><NewResource /></Match>
      <Match when={route().id}>{(id) => <ResourceDetail id={id()} />}</Match>
    </Switch>
  );
}

const NOT_LINKED = '__none__';

/** Management reviews to link to, newest first: "Review 15 Oct 2026 (1 Jul – 30 Sep 2026)". */
function useReviews() {
  const s = useSession();
  const label = (id: string) => {
    const r = s.reviews.byId().get(id);
    return r ? `Review ${formatDate(r.date)}` : 'A review not on this device';
  };
  const options = () => s.reviews.all().filter((r) => !r.archived).map((r) => ({ value: r.id, label: `${label(r.id)} (${formatPeriod(r.periodFrom, r.periodTo)})` }));
  return { label, options };
}

const SORTS: Record<string, { label: string; compare: (a: ResourceApproval, b: ResourceApproval) => number }> = {
  newest: { label: 'Approved, newest first', compare: (a, b) => b.approvedOn.localeCompare(a.approvedOn) || b.createdAt.localeCompare(a.createdAt) },
  oldest: { label: 'Approved, oldest first', compare: (a, b) => a.approvedOn.localeCompare(b.approvedOn) || a.createdAt.localeCompare(b.createdAt) },
  amount: { label: 'Amount, largest first', compare: (a, b) => (a.currency || '~').localeCompare(b.currency || '~') || (b.amount ?? -1) - (a.amount ?? -1) || (b.hours ?? -1) - (a.hours ?? -1) },
};

function ResourceList() {
  const s = useSession();
  const reviews = useReviews();
  const [query, setQuery] = createSignal('');
  const [kind, setKind] = createSignal('');
  const [year, setYear] = createSignal('');
  const [review, setReview] = createSignal(route().params.get('review') ?? '');
  const [sort, setSort] = createSignal('newest');
  const [showArchived, setShowArchived] = createSignal(false);
  const years = createMemo(() => [...new Set(s.resources.all().map((r) => r.approvedOn.slice(0, 4)).filter(Boolean))].sort().reverse());
  const shown = createMemo(() =>
    s.resources
      .all()
      .filter(
        (r) =>
          (showArchived() || !r.archived) &&
          (!kind() || r.kind === kind()) &&
          (!year() || r.approvedOn.startsWith(year())) &&
          (!review() || (review() === NOT_LINKED ? !r.reviewId : r.reviewId === review())) &&
          matchesQuery(query(), r.description, r.control, KIND_LABELS[r.kind], r.currency, s.people.nameOf(r.approvedBy), r.approvedOn, formatDate(r.approvedOn)),
      )
      .sort(SORTS[sort()]!.compare),
  );
  const sums = createMemo(() => totals(shown()));
  return (
    <>
      <ScreenHeader title="Resource approvals">
        <a class="btn primary small" href={href('resources', 'new')}>Add</a>
      </ScreenHeader>
      <Show
        when={s.resources.all().length > 0}
        fallback={
          <EmptyState title="No resource approvals yet">
            <p>Record the budget, staff time, tools (MFA, EDR, a password manager) and training hours management approved for information security: what, how much, for which control, who approved it and when.</p>
            <a class="btn primary" href={href('resources', 'new')}>Record an approval</a>
          </EmptyState>
        }
      >
        <div class="filters">
          <Field label="Search" type="search" value={query()} onChange={setQuery} placeholder="What, control, approver" />
          <div class="row compact">
            <SelectField label="Kind" value={kind()} onChange={setKind} placeholder="All kinds" options={RESOURCE_KINDS.map((k) => ({ value: k, label: KIND_LABELS[k] }))} />
            <SelectField label="Year" value={year()} onChange={setYear} placeholder="All years" options={years().map((y) => ({ value: y, label: y }))} />
          </div>
          <SelectField label="Management review" value={review()} onChange={setReview} placeholder="Any review" options={[...reviews.options(), { value: NOT_LINKED, label: 'Not linked to a review' }]} />
          <SelectField label="Sort" value={sort()} onChange={setSort} options={Object.entries(SORTS).map(([value, x]) => ({ value, label: x.label }))} />
          <Show when={s.resources.all().some((r) => r.archived)}>
            <label class="check">
              <input type="checkbox" checked={showArchived()} onChange={(e) => setShowArchived(e.currentTarget.checked)} /> Show archived approvals
            </label>
          </Show>
        </div>
        <Show when={sums().money.length > 0 || sums().hours > 0}>
          <section class="card rs-totals" aria-labelledby="rs-totals-title" data-testid="resource-totals">
            <h2 id="rs-totals-title">Total of those shown</h2>
            <For each={sums().money}>{(t) => <span class="rs-total" data-testid="resource-total">{formatMoney(t.total, t.currency)}</span>}</For>
            <Show when={sums().hours > 0}><span class="rs-total" data-testid="resource-total">{formatHours(sums().hours)}</span></Show>
          </section>
        </Show>
        <p class="muted count" aria-live="polite">{countOf(shown().length, showArchived() ? s.resources.all().length : s.resources.active().length, 'approval')}</p>
        <Show when={shown().length > 0} fallback={<p class="muted center">No approval matches these filters.</p>}>
          <ul class="list">
            <For each={shown()}>
              {(r) => (
                <li>
                  <a class="list-item" href={href('resources', r.id)} data-testid="resource-row">
                    <div class="grow">
                      <div class="title">{r.description}</div>
                      <div class="muted">
                        {KIND_LABELS[r.kind]} · {r.control}
                        <br />
                        Approved by {s.people.nameOf(r.approvedBy) || '—'}{r.approvedOn ? `, ${formatDate(r.approvedOn)}` : ''}
                        {r.reviewId ? ` · ${reviews.label(r.reviewId)}` : ''}
                      </div>
                    </div>
                    <div class="rs-row-amount">
                      {amountLabel(r)}
                      <Show when={r.archived}><Badge tone="muted">Archived</Badge></Show>
                    </div>
                  </a>
                </li>
              )}
            </For>
          </ul>
        </Show>
        <button class="btn block" onClick={() => downloadCsv(resourcesCsv(shown(), s.people.nameOf, reviews.label, fileStamp()))}>Export these as CSV</button>
      </Show>
    </>
  );
}

const EMPTY: ResourceInput = { kind: '', description: '', amount: '', currency: '', hours: '', control: '', reviewId: '' };

/** The description fields, shared by the new and edit forms. */
function DescriptionFields(props: { form: ResourceInput; set: <K extends keyof ResourceInput>(k: K) => (v: ResourceInput[K]) => void; errors: Partial<Record<string, string>> }) {
  const reviews = useReviews();
  const f = () => props.form;
  const kind = () => (f().kind || 'other') as ResourceKind;
  return (
    <>
      <SelectField label="What was approved" value={f().kind} onChange={(v) => props.set('kind')(v as ResourceKind)} placeholder="Choose the kind" options={RESOURCE_KINDS.map((k) => ({ value: k, label: KIND_LABELS[k] }))} error={props.errors['kind']} />
      <Field label="Description" value={f().description} onChange={props.set('description')} error={props.errors['description']} placeholder="e.g. Password manager for all staff" />
      <div class="row compact">
        <Field label={needsAmount(kind()) ? 'Amount' : 'Amount (optional)'} value={f().amount} onChange={props.set('amount')} error={props.errors['amount']} placeholder="1200.00" />
        <Field label="Currency" value={f().currency} onChange={(v) => props.set('currency')(v.toUpperCase())} error={props.errors['currency']} list="rs-currencies" placeholder="GBP" description="ISO code" />
      </div>
      <datalist id="rs-currencies">
        <For each={[...COMMON_CURRENCIES, ...[...CURRENCIES].filter((c) => !(COMMON_CURRENCIES as readonly string[]).includes(c))]}>{(c) => <option value={c} />}</For>
      </datalist>
      <Field label={needsHours(kind()) ? 'Hours' : 'Hours (optional)'} value={f().hours} onChange={props.set('hours')} error={props.errors['hours']} placeholder="e.g. 16" />
      <Field label="For control or objective" value={f().control} onChange={props.set('control')} error={props.errors['control']} placeholder="e.g. A 5.4 awareness" />
      <SelectField label="Decided at management review" value={f().reviewId} onChange={props.set('reviewId')} placeholder="Not linked to a review" options={reviews.options()} />
    </>
  );
}

function NewResource() {
  const s = useSession();
  const today = localIsoDate();
  const fromReview = route().params.get('review') ?? '';
  const chair = s.reviews.byId().get(fromReview)?.chairId ?? '';
  const [form, setForm] = createSignal<ResourceInput>({ ...EMPTY, reviewId: fromReview });
  const [approvedBy, setApprovedBy] = createSignal(chair || s.signer().personId || '');
  const [approvedOn, setApprovedOn] = createSignal(today);
  const [errors, setErrors] = createSignal<Partial<Record<string, string>>>({});
  let dateInput: HTMLInputElement | undefined;
  const set = <K extends keyof ResourceInput>(k: K) => (v: ResourceInput[K]) => setForm({ ...form(), [k]: v });
  const submit = (e: Event) => {
    e.preventDefault();
    if (dateInput?.validity.badInput) return setErrors({ approvedOn: 'Enter a complete date (day, month and year).' });
    const r = s.resources.add(form(), { approvedBy: approvedBy(), approvedOn: approvedOn() }, s.signer(), today);
    if (!r.ok) return setErrors(r.errors);
    if (fromReview) navigate('reviews', fromReview);
    else navigate('resources');
  };
  const people = () => s.people.active().map((p) => ({ value: p.id, label: p.name }));
  return (
    <>
      <ScreenHeader title="Record a resource approval" back={fromReview ? href('reviews', fromReview) : href('resources')} />
      <form class="card" onSubmit={submit} novalidate>
        <DescriptionFields form={form()} set={set} errors={errors()} />
        <div class="row compact">
          <SelectField label="Approved by" value={approvedBy()} onChange={setApprovedBy} placeholder="Choose who approved it" options={people()} error={errors()['approvedBy']} />
          <Field label="Approved on" type="date" value={approvedOn()} onChange={setApprovedOn} error={errors()['approvedOn']} ref={(el) => (dateInput = el)} />
        </div>
        <p class="field-hint">The approval is kept as evidence, with your name, this device and the time. A mistake is corrected by a new entry, never by editing this one.</p>
        <button class="btn primary block" type="submit">Record approval</button>
      </form>
    </>
  );
}

function ResourceDetail(props: { id: string }) {
  const s = useSession();
  const item = () => s.resources.byId().get(props.id);
  return (
    <Show
      when={item()}
      fallback={<NotFound header="Resource approval" back={href('resources')} title="Approval not found" />}
    >
      {(r) => <ResourceEdit item={r()} />}
    </Show>
  );
}

function ResourceEdit(props: { item: ResourceApproval }) {
  const s = useSession();
  const [form, setForm] = createSignal<ResourceInput>(inputOf(props.item));
  const [errors, setErrors] = createSignal<Partial<Record<string, string>>>({});
  const [saved, setSaved] = createSignal(false);
  const set = <K extends keyof ResourceInput>(k: K) => (v: ResourceInput[K]) => {
    setSaved(false);
    setForm({ ...form(), [k]: v });
  };
  const submit = (e: Event) => {
    e.preventDefault();
    const r = s.resources.update(props.item.id, form());
    if (!r.ok) return setErrors(r.errors);
    setErrors({});
    setSaved(true);
  };
  return (
    <>
      <ScreenHeader title={props.item.description || 'Resource approval'} back={href('resources')} />
      <Approval item={props.item} />
      <form class="card" onSubmit={submit} novalidate>
        <h2>Details</h2>
        <DescriptionFields form={form()} set={set} errors={errors()} />
        <button class="btn primary block" type="submit">Save changes</button>
        <Show when={saved()}><p class="ok" role="status">Saved.</p></Show>
      </form>
      <div class="rs-archive">
        <button class="link" onClick={() => s.resources.setArchived(props.item.id, !props.item.archived)}>
          {props.item.archived ? 'Bring it back' : 'Archive this approval'}
        </button>
      </div>
    </>
  );
}

function Approval(props: { item: ResourceApproval }) {
  const s = useSession();
  const today = localIsoDate();
  const [correcting, setCorrecting] = createSignal(false);
  const [by, setBy] = createSignal('');
  const [on, setOn] = createSignal('');
  const [note, setNote] = createSignal('');
  const [errors, setErrors] = createSignal<Partial<Record<string, string>>>({});
  const history = () => s.resources.history(props.item.id);
  const people = () => s.people.all().filter((p) => !p.archived || p.id === props.item.approvedBy).map((p) => ({ value: p.id, label: p.name }));
  const submit = (e: Event) => {
    e.preventDefault();
    const r = s.resources.correctApproval(props.item.id, { approvedBy: by(), approvedOn: on() }, note(), s.signer(), today);
    if (!r.ok) return setErrors(r.errors);
    setErrors({});
    setCorrecting(false);
  };
  return (
    <section class="card rs-approval" aria-labelledby="rs-approval-title">
      <h2 id="rs-approval-title">Approval</h2>
      <p data-testid="resource-approval">
        <strong>{amountLabel(props.item)}</strong> approved by <strong>{s.people.nameOf(props.item.approvedBy) || '—'}</strong>
        {props.item.approvedOn ? ` on ${formatDate(props.item.approvedOn)}` : ''}.
      </p>
      <ol class="rs-history" reversed>
        <For each={[...history()].reverse()}>
          {(e) => (
            <li data-testid="approval-entry">
              <strong>{e.corrects ? 'Correction' : 'Approval recorded'}</strong>: {s.people.nameOf(e.approvedBy) || '—'}, {formatDate(e.approvedOn)}
              <div class="muted">Recorded by {e.byName} · {formatInstant(e.at)}</div>
              <Show when={e.note}><div>{e.note}</div></Show>
            </li>
          )}
        </For>
      </ol>
      <Show
        when={correcting()}
        fallback={
          <button class="link" onClick={() => (setBy(props.item.approvedBy), setOn(props.item.approvedOn), setNote(''), setErrors({}), setCorrecting(true))}>
            Correct who approved it or when
          </button>
        }
      >
        <form class="stack" onSubmit={submit} novalidate>
          <div class="row compact">
            <SelectField label="Approved by" value={by()} onChange={setBy} placeholder="Choose who approved it" options={people()} error={errors()['approvedBy']} />
            <Field label="Approved on" type="date" value={on()} onChange={setOn} error={errors()['approvedOn']} />
          </div>
          <Field label="What is being corrected, and why" value={note()} onChange={setNote} error={errors()['note']} multiline />
          <div class="row end">
            <button class="btn small" type="button" onClick={() => setCorrecting(false)}>Cancel</button>
            <button class="btn small primary" type="submit">Add correction</button>
          </div>
        </form>
      </Show>
    </section>
  );
}
