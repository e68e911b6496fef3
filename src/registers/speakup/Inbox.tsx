import { ToggleButton } from '@kobalte/core/toggle-button';
import { createMemo, createSignal, For, Show } from 'solid-js';
import { formatDate, localIsoDate } from '../../domain/dates';
import { matchesQuery } from '../../domain/text';
import { downloadCsv } from '../../evidence/download';
import { Badge, EmptyState, fileStamp } from '../../ui/common';
import { Field, SelectField } from '../../ui/Field';
import { href } from '../../ui/router';
import { useSession } from '../../ui/session';
import { ackOverdue, CATEGORY_LABELS, deadlinesOf, type ReportStatus, STATUS_LABELS, STATUS_TONES, STATUSES, type Status, whenLabel } from './model';
import { ReplyForm, ReportCard, Thread } from './parts';
import type { OpenedReport } from './thread';
import { countOf } from '../../domain/plural';
import { plural } from '../../domain/plural';
import { NotFound } from '../../ui/NotFound';

const FILTERS: ReadonlyArray<ReportStatus | 'all' | 'open'> = ['open', 'new', 'received', 'under-review', 'action-taken', 'closed', 'all'];
const FILTER_LABELS: Record<(typeof FILTERS)[number], string> = { ...STATUS_LABELS, open: 'Open', all: 'All', new: 'Not acknowledged' };

const searchText = (r: OpenedReport) => [CATEGORY_LABELS[r.content.category], r.content.what, r.content.where, whenLabel(r.content), r.outcome ?? '', ...r.messages.map((m) => m.text)];

/** A recipient's reports: those this device's key opens, decrypted in memory only. */
export function InboxList() {
  const s = useSession();
  const sp = () => s.speakup;
  const [filter, setFilter] = createSignal<(typeof FILTERS)[number]>('open');
  const [query, setQuery] = createSignal('');
  const all = () => sp().inbox.latest?.reports ?? [];
  const count = (f: (typeof FILTERS)[number]) => all().filter((r) => f === 'all' || (f === 'open' ? r.status !== 'closed' : r.status === f)).length;
  const shown = createMemo(() => all().filter((r) => (filter() === 'all' || (filter() === 'open' ? r.status !== 'closed' : r.status === filter())) && matchesQuery(query(), ...searchText(r))));
  const today = localIsoDate();
  const p = () => sp().config();

  const exportCsv = () =>
    downloadCsv({
      name: `speak-up-inbox-${fileStamp()}`,
      columns: ['received', 'category', 'status', 'status since', 'acknowledge by', 'feedback by', 'outcome recorded'],
      rows: shown().map((r) => {
        const d = deadlinesOf(r.day, p());
        return [r.day, CATEGORY_LABELS[r.content.category], STATUS_LABELS[r.status], r.statusDay ?? '', d.acknowledgeBy, d.feedbackBy, r.outcome ? 'yes' : 'no'];
      }),
    });

  return (
    <Show when={sp().isRecipient()} fallback={<EmptyState title="For recipients only"><p>Only the designated recipients can read reports. Everyone can send one under Report.</p></EmptyState>}>
      <Show when={!sp().inbox.loading || sp().inbox.latest} fallback={<p class="muted">Opening reports…</p>}>
        <Show
          when={all().length}
          fallback={
            <EmptyState title="No reports">
              <p>Reports sent to you appear here as soon as this device syncs. Acknowledge each within {p().ackDays} days.</p>
            </EmptyState>
          }
        >
          <div class="chips filters" role="group" aria-label="Status">
            <For each={FILTERS}>
              {(f) => (
                <ToggleButton class="chip" pressed={filter() === f} onChange={() => setFilter(f)} data-testid="status-filter">
                  {FILTER_LABELS[f]} ({count(f)})
                </ToggleButton>
              )}
            </For>
          </div>
          <Field label="Search reports" type="search" value={query()} onChange={setQuery} placeholder="Words in the report or the messages" />
          <p class="muted count" data-testid="inbox-count">{countOf(shown().length, all().length, 'report')}</p>
          <Show when={shown().length} fallback={<EmptyState title="Nothing matches"><p>Change the status filter or the search.</p></EmptyState>}>
            <ul class="list">
              <For each={shown()}>
                {(r) => (
                  <li>
                    <a class="list-item" href={href('speakup', 'inbox', { r: r.locator })} data-testid="inbox-row">
                      <div class="grow">
                        <div class="su-row-head">
                          <span class="title">{CATEGORY_LABELS[r.content.category]}</span>
                          <span class="muted">{formatDate(r.day)}</span>
                        </div>
                        <div class="muted su-snippet">{r.content.what}</div>
                        <div class="su-badges">
                          <Badge tone={STATUS_TONES[r.status]}>{STATUS_LABELS[r.status]}</Badge>
                          <Show when={ackOverdue(r.day, r.status, today, p())}><Badge tone="bad">Acknowledgement overdue</Badge></Show>
                          <Show when={r.messages.some((m) => m.queued)}><Badge tone="warn">Queued</Badge></Show>
                        </div>
                      </div>
                    </a>
                  </li>
                )}
              </For>
            </ul>
          </Show>
          <button class="btn block" onClick={exportCsv}>Export the list as CSV (no content)</button>
        </Show>
        <Show when={(sp().inbox.latest?.unreadable ?? 0) > 0}>
          <p class="muted" data-testid="unreadable">
            {plural(sp().inbox.latest!.unreadable, 'report was', 'reports were')} not sealed for this device (sent before it was a recipient’s device, or excluded by the reporter).
          </p>
        </Show>
      </Show>
    </Show>
  );
}

/** One report: the facts, the thread, a reply, the status and the outcome. */
export function InboxDetail(props: { locator: string }) {
  const s = useSession();
  const sp = () => s.speakup;
  const report = () => sp().inbox.latest?.reports.find((r) => r.locator === props.locator);
  const [status, setStatus] = createSignal<Status | ''>('');
  const [statusError, setStatusError] = createSignal<string>();
  const [outcomeNote, setOutcomeNote] = createSignal<string>();
  const today = localIsoDate();

  const changeStatus = async (r: OpenedReport) => {
    const next = status();
    if (!next) return setStatusError('Choose the new status.');
    const res = await sp().setStatus(r, next);
    if (!res.ok) return setStatusError(Object.values(res.errors)[0]);
    setStatusError(undefined);
    setStatus('');
  };

  return (
    <>
      <p><a href={href('speakup', 'inbox')}>‹ All reports</a></p>
      <Show
        when={report()}
        fallback={<NotFound title={sp().inbox.loading ? 'Opening the report…' : 'Report not found'} why="It may not have synced to this device yet, or it was not sealed for this device." />}
      >
        {(r) => (
          <>
            <ReportCard report={r()} viewer="recipient" />
            <section class="card">
              <dl class="su-facts">
                <dt>Acknowledge by</dt>
                <dd>
                  {formatDate(deadlinesOf(r().day, sp().config()).acknowledgeBy)}{' '}
                  <Show when={ackOverdue(r().day, r().status, today, sp().config())}><Badge tone="bad">Overdue</Badge></Show>
                </dd>
                <dt>Feedback by</dt>
                <dd>{formatDate(deadlinesOf(r().day, sp().config()).feedbackBy)}</dd>
              </dl>
            </section>
            <h2>Messages with the reporter</h2>
            <Thread messages={r().messages} viewer="recipient" />
            <ReplyForm label="Reply to the reporter" button="Send reply" send={(text) => sp().reply(r(), 'recipient', text)} />
            <section class="card">
              <h2>Status</h2>
              <p class="muted">The reporter sees the status and who changed it.</p>
              <SelectField
                label="New status"
                value={status()}
                onChange={(v) => setStatus(v as Status | '')}
                options={STATUSES.filter((x) => x !== r().status).map((x) => ({ value: x, label: STATUS_LABELS[x] }))}
                placeholder="Choose…"
                error={statusError()}
              />
              <button class="btn primary block" onClick={() => void changeStatus(r())}>Set status</button>
            </section>
            <ReplyForm
              label={r().outcome ? 'Record a new outcome' : 'Outcome: what was found and what was done'}
              button="Record outcome"
              send={async (text) => {
                const res = await sp().recordOutcome(r(), text);
                setOutcomeNote(res.ok ? 'The reporter can read the outcome with their receipt.' : undefined);
                return res.ok ? res : { ok: false, errors: { text: Object.values(res.errors)[0] ?? '' } };
              }}
            />
            <Show when={outcomeNote()}><p class="muted">{outcomeNote()}</p></Show>
          </>
        )}
      </Show>
    </>
  );
}
