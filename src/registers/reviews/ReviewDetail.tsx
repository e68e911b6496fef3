import { ToggleButton } from '@kobalte/core/toggle-button';
import { createMemo, createSignal, For, Show } from 'solid-js';
import { formatDate, formatInstant, formatMonth, localIsoDate } from '../../domain/dates';
import { doneLabel } from '../../domain/follow-up';
import { kpiLines } from './kpis';
import { canonicalJson } from '../../domain/signoff';
import { Badge, ScreenHeader } from '../../ui/common';
import { Field, SelectField } from '../../ui/Field';
import { href } from '../../ui/router';
import { useSession } from '../../ui/session';
import { NewActionForm } from '../../ui/NewActionForm';
import { SignOffPanel } from '../../ui/SignOffPanel';
import { SyncedField } from '../../ui/SyncedField';
import { slotPanels } from '../../ui/slots';
import { liveInputs } from './inputs';
import {
  ACTION_STATUS_LABELS,
  ACTION_STATUSES,
  type ActionStatus,
  approvalBlocked,
  approvalLabel,
  type ManagementReview,
  pinnedInputs,
  type ReviewInputs,
  type TrackedAction,
  withUpdates,
} from './model';
import { APPROVAL_TONE, formatPeriod } from './format';
import { NotFound } from '../../ui/NotFound';

/** What other registers show on a review (resources: the approvals linked to it, and a way to record one). */
const DetailPanels = slotPanels('review-detail');

const STATUS_OPTIONS = ACTION_STATUSES.map((v) => ({ value: v, label: ACTION_STATUS_LABELS[v] }));

export function ReviewDetail(props: { id: string }) {
  const s = useSession();
  const review = () => s.reviews.byId().get(props.id);
  return (
    <Show
      when={review()}
      fallback={<NotFound header="Management review" back={href('reviews')} title="Review not found" backLabel="Back to reviews" />}
    >
      {(r) => <ReviewBody review={r()} />}
    </Show>
  );
}

const SECTIONS = [
  ['rv-meeting', 'Meeting'],
  ['rv-inputs', 'Inputs'],
  ['rv-kpis', 'KPIs'],
  ['rv-decisions', 'Decisions'],
  ['rv-actions', 'Actions'],
  ['rv-approval', 'Approval'],
] as const;

function ReviewBody(props: { review: ManagementReview }) {
  const s = useSession();
  const r = () => props.review;
  const live = createMemo(() => liveInputs(s, r()));
  const state = createMemo(() => s.reviews.approvalState(r()));
  const [useLive, setUseLive] = createSignal(false);
  /** Approved minutes show the figures as approved, unless asked for the current ones. */
  const pinned = createMemo(() => {
    const st = state();
    return st.state === 'signed' ? pinnedInputs(st.entry) : undefined;
  });
  const shown = createMemo<ReviewInputs>(() => (useLive() ? live() : (pinned() ?? live())));
  const moved = createMemo(() => !!pinned() && canonicalJson(pinned()) !== canonicalJson(live()));
  const chairName = () => s.people.nameOf(r().chairId);
  const blocked = () => approvalBlocked(r(), s.signer(), chairName());
  const jump = (id: string) => document.getElementById(id)?.scrollIntoView({ behavior: 'smooth', block: 'start' });
  return (
    <>
      <ScreenHeader title={`Review · ${formatDate(r().date)}`} back={href('reviews')} />
      <div class="row spread">
        <Badge tone={r().archived ? 'muted' : APPROVAL_TONE[state().state]}>{r().archived ? 'Archived' : approvalLabel(state())}</Badge>
        <span class="muted">{formatPeriod(r().periodFrom, r().periodTo)}</span>
      </div>
      <nav class="rv-jump" aria-label="Sections of the minutes">
        <For each={SECTIONS}>{([id, label]) => <button type="button" class="chip" onClick={() => jump(id)}>{label}</button>}</For>
      </nav>

      <Meeting review={r()} />
      <EarlierActions review={r()} actions={shown().previousActions} />
      <section class="card" aria-labelledby="rv-changes-title">
        <h2 id="rv-changes-title">Changes affecting the ISMS</h2>
        <SyncedField label="Changes in internal and external issues" stored={r().changes} save={(v) => s.reviews.setHeader(r(), 'changes', v)} multiline placeholder="New office, new supplier, new law, reorganisation…" />
      </section>
      <Kpis review={r()} inputs={shown()} pinned={!!pinned() && !useLive()} approvedAt={state().state === 'signed' ? (state() as { entry: { at: string } }).entry.at : ''} moved={moved()} useLive={useLive()} setUseLive={setUseLive} />
      <section class="card" aria-labelledby="rv-findings-title">
        <h2 id="rv-findings-title">Audit findings and incidents</h2>
        <SyncedField label="Audit findings" stored={r().auditFindings} save={(v) => s.reviews.setHeader(r(), 'auditFindings', v)} multiline placeholder="Internal or external audit results, nonconformities" />
        <SyncedField label="Incidents" stored={r().incidents} save={(v) => s.reviews.setHeader(r(), 'incidents', v)} multiline placeholder="Security incidents in the period and what was learnt" />
      </section>
      <Decisions review={r()} />
      <Actions review={r()} />
      <DetailPanels review={r()} />

      <section class="card rv-approval-intro" id="rv-approval" aria-labelledby="rv-approval-title">
        <h2 id="rv-approval-title">Approval by the chair</h2>
        <p class="muted">
          {chairName() ? <>Chair: <strong>{chairName()}</strong>. </> : null}
          The approval keeps the minutes and the figures shown above as evidence; editing the minutes afterwards needs a new approval. Setting an action’s status is follow-up and does not.
        </p>
      </section>
      <SignOffPanel
        what="minutes"
        state={state()}
        history={s.reviews.history(r().id)}
        flagged={s.reviews.flagged(r().id)}
        signerName={s.signer().name}
        blocked={blocked()}
        onSign={(note) => s.reviews.approve(r(), shown(), s.signer(), chairName(), note)}
        onCorrect={(entryId, note, withdraws) => s.reviews.correct(r(), shown(), entryId, s.signer(), note, withdraws)}
      />
      <div class="rv-archive">
        <button class="link" onClick={() => s.reviews.setArchived(r().id, !r().archived)}>
          {r().archived ? 'Bring this review back' : 'Archive this review (created by mistake)'}
        </button>
      </div>
    </>
  );
}

function Meeting(props: { review: ManagementReview }) {
  const s = useSession();
  const r = () => props.review;
  const present = createMemo(() => new Set(r().attendees));
  // Everyone still here, and anyone who has left but was marked present.
  const people = createMemo(() => s.people.all().filter((p) => !p.archived || present().has(p.id)));
  const [chairError, setChairError] = createSignal<string>();
  const chairs = createMemo(() => s.people.all().filter((p) => !p.archived || p.id === r().chairId).map((p) => ({ value: p.id, label: `${p.name}${p.archived ? ' — left' : ''}` })));
  return (
    <section class="card" id="rv-meeting" aria-labelledby="rv-meeting-title">
      <h2 id="rv-meeting-title">Meeting</h2>
      <SyncedField label="Date" type="date" stored={r().date} save={(v) => s.reviews.setHeader(r(), 'date', v)} />
      <div class="row compact">
        <SyncedField label="Period from" type="date" stored={r().periodFrom} save={(v) => s.reviews.setHeader(r(), 'periodFrom', v)} />
        <SyncedField label="Period to" type="date" stored={r().periodTo} save={(v) => s.reviews.setHeader(r(), 'periodTo', v)} />
      </div>
      <SelectField label="Chair" value={r().chairId} onChange={(v) => setChairError(s.reviews.setHeader(r(), 'chairId', v))} options={chairs()} placeholder="Choose the chair" error={chairError()} />
      <h3 id="rv-att-title">Attendees <span class="muted">({r().attendees.length})</span></h3>
      <p class="muted">Tap everyone who attended.</p>
      <div class="chips" role="group" aria-labelledby="rv-att-title">
        <For each={people()} fallback={<p class="muted">Nobody in People yet.</p>}>
          {(p) => (
            <ToggleButton class="chip" pressed={present().has(p.id)} onChange={(on) => s.reviews.setAttendee(r().id, p.id, on)} data-testid="review-attendee">
              {p.name}
            </ToggleButton>
          )}
        </For>
      </div>
    </section>
  );
}

function EarlierActions(props: { review: ManagementReview; actions: TrackedAction[] }) {
  const list = createMemo(() => withUpdates(props.actions, props.review));
  return (
    <section class="card" id="rv-inputs" aria-labelledby="rv-earlier-title">
      <h2 id="rv-earlier-title">Actions from the previous review</h2>
      <p class="muted">Every action of earlier reviews that was not done, pulled in automatically. Update its status here: the earlier minutes stay as approved.</p>
      <ul class="rv-actions">
        <For each={list()} fallback={<li class="muted">No open actions from earlier reviews.</li>}>
          {(a) => <EarlierAction review={props.review} action={a} />}
        </For>
      </ul>
      <Show when={list().length > 0}>
        <p class="muted small">{list().filter((a) => a.status === 'done').length} of {list().length} done since the last review.</p>
      </Show>
    </section>
  );
}

function EarlierAction(props: { review: ManagementReview; action: TrackedAction }) {
  const s = useSession();
  const a = () => props.action;
  const [editing, setEditing] = createSignal(false);
  const [error, setError] = createSignal<Partial<Record<string, string>>>({});
  const [draft, setDraft] = createSignal({ ownerId: '', due: '', note: '' });
  const save = (patch: Partial<{ status: ActionStatus; ownerId: string; due: string; note: string }>) => {
    const r = s.reviews.updateCarried(props.review.id, a().id, { status: a().status, ownerId: a().ownerId, due: a().due, note: a().note, doneOn: a().doneOn, doneBy: a().doneBy, ...patch }, s.signer(), localIsoDate());
    setError(r.ok ? {} : r.errors);
    return r.ok;
  };
  const owners = () => s.people.all().filter((p) => !p.archived || p.id === a().ownerId).map((p) => ({ value: p.id, label: p.name }));
  return (
    <li data-testid="earlier-action" data-status={a().status}>
      <div class="rv-action-main">
        <div class="grow">
          <div classList={{ 'rv-action-text': true, 'is-done': a().status === 'done' }}>{a().text}</div>
          <div class="muted small">
            {a().ownerId ? s.people.nameOf(a().ownerId) : 'No owner'}
            {a().due ? ` · due ${formatDate(a().due)}` : ''} · raised {formatDate(a().raisedOn)}
          </div>
          <Show when={a().status === 'done'}><div class="ok small" data-testid="action-done">{doneLabel(a())}</div></Show>
          <Show when={a().note}><div class="small rv-note">{a().note}</div></Show>
        </div>
        <div class="rv-status">
          <SelectField label="Status" value={a().status} onChange={(v) => save({ status: v as ActionStatus })} options={STATUS_OPTIONS} error={error()['status']} />
        </div>
      </div>
      <Show
        when={editing()}
        fallback={
          <button class="link" onClick={() => (setDraft({ ownerId: a().ownerId, due: a().due, note: a().note }), setEditing(true))}>
            Update owner, due date or note
          </button>
        }
      >
        <form
          class="stack rv-carry-form"
          novalidate
          onSubmit={(e) => {
            e.preventDefault();
            if (save(draft())) setEditing(false);
          }}
        >
          <div class="row compact">
            <SelectField label="Owner" value={draft().ownerId} onChange={(v) => setDraft({ ...draft(), ownerId: v })} options={owners()} placeholder="No owner" />
            <Field label="Due" type="date" value={draft().due} onChange={(v) => setDraft({ ...draft(), due: v })} error={error()['due']} />
          </div>
          <Field label="Note" value={draft().note} onChange={(v) => setDraft({ ...draft(), note: v })} error={error()['note']} placeholder="Progress, why it moved" />
          <div class="row end">
            <button class="btn small" type="button" onClick={() => setEditing(false)}>Cancel</button>
            <button class="btn small primary" type="submit">Save</button>
          </div>
        </form>
      </Show>
    </li>
  );
}

function Kpis(props: { review: ManagementReview; inputs: ReviewInputs; pinned: boolean; approvedAt: string; moved: boolean; useLive: boolean; setUseLive: (v: boolean) => void }) {
  const lines = () => kpiLines(props.inputs.kpis);
  const teams = () => props.inputs.kpis.checklists.teams;
  return (
    <section class="card" id="rv-kpis" aria-labelledby="rv-kpis-title" data-testid="review-kpis">
      <h2 id="rv-kpis-title">KPIs for {formatPeriod(props.inputs.kpis.from, props.inputs.kpis.to)}</h2>
      <p class="muted small" data-testid="kpi-source">
        {props.pinned ? `As approved on ${formatInstant(props.approvedAt)}.` : 'Computed now from the registers.'}
      </p>
      <Show when={props.moved}>
        <p class="warn small" role="status">
          The registers now give different figures for this period (e.g. records added later).{' '}
          <button class="link" onClick={() => props.setUseLive(!props.useLive)}>{props.useLive ? 'Show the approved figures' : 'Show the current figures'}</button>
        </p>
      </Show>
      <dl class="rv-kpis">
        <For each={lines()}>
          {(l) => (
            <div class="rv-kpi" data-testid={`kpi-${l.key}`}>
              <dt>{l.label}</dt>
              <dd>
                <span class="rv-kpi-value" data-testid="kpi-value">{l.value}</span>
                <span class="muted small">{l.detail}</span>
              </dd>
            </div>
          )}
        </For>
      </dl>
      <Show when={teams().length > 0}>
        <h3>Checklists on time, per team</h3>
        <ul class="rv-teams">
          <For each={teams()}>
            {(t) => (
              <li data-testid="kpi-team">
                <span class="grow">{t.team}</span>
                <strong>{t.onTime} of {t.due}</strong>
                <Show when={t.notOnTime.length > 0}>
                  <span class="muted small rv-late">late or missing: {t.notOnTime.map(formatMonth).join(', ')}</span>
                </Show>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </section>
  );
}

function Decisions(props: { review: ManagementReview }) {
  const s = useSession();
  const [text, setText] = createSignal('');
  const [error, setError] = createSignal<string>();
  const add = (e: Event) => {
    e.preventDefault();
    const r = s.reviews.addDecision(props.review.id, text());
    if (!r.ok) return setError(r.errors['text']);
    setError(undefined);
    setText('');
  };
  return (
    <section class="card" id="rv-decisions" aria-labelledby="rv-decisions-title">
      <h2 id="rv-decisions-title">Decisions</h2>
      <ol class="rv-decisions">
        <For each={props.review.decisions} fallback={<li class="muted rv-none">No decisions recorded yet.</li>}>
          {(d) => (
            <li data-testid="decision">
              <span class="grow">{d.text}</span>
              <button class="link" onClick={() => s.reviews.removeDecision(props.review.id, d.id)} aria-label={`Remove decision ${d.text}`}>Remove</button>
            </li>
          )}
        </For>
      </ol>
      <form class="stack" onSubmit={add} novalidate>
        <Field label="New decision" value={text()} onChange={setText} error={error()} multiline placeholder="e.g. Approve a password manager for all staff" />
        <button class="btn" type="submit">Add decision</button>
      </form>
    </section>
  );
}


function Actions(props: { review: ManagementReview }) {
  const s = useSession();
  return (
    <section class="card" id="rv-actions" aria-labelledby="rv-actions-title">
      <h2 id="rv-actions-title">Actions</h2>
      <ul class="rv-actions">
        <For each={props.review.actions} fallback={<li class="muted rv-none">No actions yet.</li>}>
          {(a) => (
            <li data-testid="review-action" data-status={a.status}>
              <div class="rv-action-main">
                <div class="grow">
                  <div classList={{ 'rv-action-text': true, 'is-done': a.status === 'done' }}>{a.text}</div>
                  <div class="muted small">
                    {a.ownerId ? s.people.nameOf(a.ownerId) : 'No owner'}
                    {a.due ? ` · due ${formatDate(a.due)}` : ''}
                  </div>
                  <Show when={a.status === 'done'}><div class="ok small" data-testid="action-done">{doneLabel(a)}</div></Show>
                </div>
                <div class="rv-status">
                  <SelectField label="Status" value={a.status} onChange={(v) => s.reviews.updateAction(props.review.id, a.id, { text: a.text, ownerId: a.ownerId, due: a.due, status: v as ActionStatus }, s.signer(), localIsoDate())} options={STATUS_OPTIONS} />
                </div>
              </div>
              <button class="link" onClick={() => s.reviews.removeAction(props.review.id, a.id)} aria-label={`Remove action ${a.text}`}>Remove</button>
            </li>
          )}
        </For>
      </ul>
      <NewActionForm add={(a) => s.reviews.addAction(props.review.id, { ...a, status: 'open' })} compact />
    </section>
  );
}

