import { createEffect, createSignal, For, type JSX, Match, on, Show, Switch } from 'solid-js';
import { formatDate, localIsoDate } from '../../domain/dates';
import type { Validated } from '../../domain/validation';
import { Badge } from '../../ui/common';
import { Field, SelectField } from '../../ui/Field';
import {
  CATEGORIES,
  CATEGORY_LABELS,
  EMPTY_REPORT,
  formatReceipt,
  parseReceipt,
  type ProcessSection,
  type ReportContent,
  type ReportInput,
  STATUS_LABELS,
  STATUS_TONES,
  type ThreadMessage,
  validateReport,
  whenLabel,
} from './model';
import type { MessageCache, OpenedReport } from './thread';

/*
 * Screens shared by the member app (Screen.tsx) and the public page
 * (PublicPage.tsx): the report form, the receipt, the follow-up thread and
 * the documented process. No session here: everything comes in as props.
 */

export type SendResult = 'sent' | 'queued';
export type SubmitResult = { ok: true; receipt: string; result: SendResult } | { ok: false; error: string };

const LOCK_ICON = 'M6 11h12v10H6zM8.5 11V7.5a3.5 3.5 0 0 1 7 0V11';

export function LockNote(props: { children: JSX.Element }) {
  return (
    <div class="su-lock" role="note">
      <svg viewBox="0 0 24 24" aria-hidden="true"><path d={LOCK_ICON} /></svg>
      <div>{props.children}</div>
    </div>
  );
}

// ---------- the report form ----------

export interface ReportFormProps {
  /** Who will read it, by person (or directory) reference. */
  recipients: ReadonlyArray<{ ref: string; name: string }>;
  /** Why reporting is not possible right now, if it is not. */
  blocked?: string | undefined;
  online: boolean;
  submit: (content: ReportContent, exclude: ReadonlySet<string>) => Promise<SubmitResult>;
  /** Items still waiting in the outbox (to turn "queued" into "sent"). */
  waiting: () => number;
}

export function ReportForm(props: ReportFormProps) {
  const [form, setForm] = createSignal<ReportInput>({ ...EMPTY_REPORT });
  const [exclude, setExclude] = createSignal('');
  const [errors, setErrors] = createSignal<Partial<Record<string, string>>>({});
  const [busy, setBusy] = createSignal(false);
  const [done, setDone] = createSignal<{ receipt: string; result: SendResult }>();
  // Editing a field clears its message; the rest stay until the next try.
  const set = <K extends keyof ReportInput>(k: K) => (v: ReportInput[K]) => {
    setForm({ ...form(), [k]: v });
    const rest = { ...errors() };
    for (const f of k === 'roughlyOnly' ? ['date', 'roughly'] : [k as string]) delete rest[f];
    setErrors(rest);
  };
  let dateInput: HTMLInputElement | undefined;

  const send = async (e: Event) => {
    e.preventDefault();
    if (busy()) return;
    const today = localIsoDate();
    const v = validateReport(form(), today);
    const errs: Partial<Record<string, string>> = v.ok ? {} : { ...v.errors };
    if (!form().roughlyOnly && dateInput?.validity.badInput) errs['date'] = 'Enter a complete date (day, month and year).';
    setErrors(errs);
    if (!v.ok || Object.keys(errs).length) return;
    setBusy(true);
    try {
      const r = await props.submit(v.value, new Set(exclude() ? [exclude()] : []));
      if (!r.ok) return setErrors({ _: r.error });
      // Nothing of the report stays on screen or in memory once it is sealed.
      setForm({ ...EMPTY_REPORT });
      setExclude('');
      setDone({ receipt: r.receipt, result: r.result });
    } catch (err) {
      setErrors({ _: `The report could not be sealed: ${err instanceof Error ? err.message : String(err)}` });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Show when={!done()} fallback={<ReceiptCard receipt={done()!.receipt} result={done()!.result} waiting={props.waiting} online={props.online} onDone={() => setDone(undefined)} />}>
      <Show when={!props.blocked} fallback={<div class="su-warning" role="status" data-testid="report-blocked">{props.blocked}</div>}>
        <LockNote>
          <p>
            You do not give your name. Your report is encrypted on this device; only{' '}
            {props.recipients.length === 1 ? props.recipients[0]!.name : props.recipients.length > 1 ? `the recipients (${props.recipients.map((r) => r.name).join(', ')})` : 'the recipients'} can read it.
          </p>
        </LockNote>
        <Show when={!props.online}>
          <p class="su-queued" role="status">You are offline. You can still write and send the report: it is kept sealed on this device and sent when you are back online.</p>
        </Show>
        <form class="card" onSubmit={send} novalidate data-testid="report-form">
          <h2>What did you see?</h2>
          <SelectField
            label="What kind of problem?"
            value={form().category}
            onChange={set('category')}
            options={CATEGORIES.map((c) => ({ value: c, label: CATEGORY_LABELS[c] }))}
            placeholder="Choose…"
            error={errors()['category']}
          />
          <Show
            when={!form().roughlyOnly}
            fallback={<Field label="Roughly when?" value={form().roughly} onChange={set('roughly')} error={errors()['roughly']} placeholder="e.g. early March, last week" />}
          >
            <Field label="When did it happen?" type="date" value={form().date} onChange={set('date')} error={errors()['date']} ref={(el) => ((dateInput = el), el.setAttribute('max', localIsoDate()))} />
          </Show>
          <label class="check">
            <input type="checkbox" checked={form().roughlyOnly} onChange={(e) => set('roughlyOnly')(e.currentTarget.checked)} />
            <span>I don’t know the exact date</span>
          </label>
          <Field label="Where? (optional)" value={form().where} onChange={set('where')} error={errors()['where']} placeholder="e.g. server room, client site, shared drive" />
          <Field
            label="What happened?"
            value={form().what}
            onChange={set('what')}
            error={errors()['what']}
            multiline
            description="What you saw or heard, who was involved and how you know. Leave out what would identify you."
          />
          <Show when={props.recipients.length > 1}>
            <SelectField
              label="Is this report about one of the recipients?"
              value={exclude()}
              onChange={setExclude}
              options={[{ value: '', label: 'No: send it to every recipient' }, ...props.recipients.map((r) => ({ value: r.ref, label: `Yes: about ${r.name}, do not send it to them` }))]}
            />
          </Show>
          <Show when={errors()['_']}>
            <p class="field-error su-form-error" role="alert">{errors()['_']}</p>
          </Show>
          <button class="btn primary block" type="submit" disabled={busy()}>{busy() ? 'Sealing…' : 'Send report'}</button>
        </form>
      </Show>
    </Show>
  );
}

/** Shown once, right after sending: the receipt, grouped, with what to do with it. */
export function ReceiptCard(props: { receipt: string; result: SendResult; waiting: () => number; online: boolean; onDone: () => void }) {
  const [kept, setKept] = createSignal(false);
  const sent = () => props.result === 'sent' || props.waiting() === 0;
  return (
    <section class="card su-receipt-card" aria-labelledby="su-receipt-title" data-testid="receipt-card">
      <h2 id="su-receipt-title">{sent() ? 'Report sent' : 'Report saved on this device'}</h2>
      <p role="status" data-testid="send-state" class={sent() ? 'ok' : 'su-queued'}>
        {sent() ? 'The recipients will see it the next time they open Muster.' : 'Queued, will be sent when you are online. Keep the app open or come back to it when you have a connection.'}
      </p>
      <p><strong>Your receipt</strong></p>
      <div class="su-receipt" data-testid="receipt" aria-label={`Receipt ${props.receipt.split('').join(' ')}`}>{formatReceipt(props.receipt)}</div>
      <ul class="su-receipt-advice">
        <li><strong>Write it down and keep it safe.</strong> It is shown only this once and is not stored anywhere.</li>
        <li>With it, from any device, you can read the recipients’ replies, answer them and see the status, under <em>Follow up</em>.</li>
        <li>Anyone who has it can read your report: do not share it, and do not save it on a shared device.</li>
      </ul>
      <label class="check">
        <input type="checkbox" checked={kept()} onChange={(e) => setKept(e.currentTarget.checked)} />
        <span>I have written down my receipt</span>
      </label>
      <button class="btn primary block" disabled={!kept()} onClick={() => props.onDone()}>Done</button>
    </section>
  );
}

// ---------- a report and its thread ----------

export function ReportCard(props: { report: OpenedReport; viewer: 'reporter' | 'recipient' }) {
  const r = () => props.report;
  return (
    <section class="card" data-testid="report">
      <div class="su-row-head">
        <h2 class="title">{CATEGORY_LABELS[r().content.category]}</h2>
        <Badge tone={STATUS_TONES[r().status]}>{STATUS_LABELS[r().status]}</Badge>
      </div>
      <Show when={r().queued}>
        <p class="su-queued" role="status">Not sent yet: waiting for a connection.</p>
      </Show>
      <dl class="su-facts">
        <dt>Sent</dt>
        <dd>{formatDate(r().day)}</dd>
        <dt>When</dt>
        <dd>{'date' in r().content.when ? formatDate(whenLabel(r().content)) : whenLabel(r().content)}</dd>
        <Show when={r().content.where}>
          <dt>Where</dt>
          <dd>{r().content.where}</dd>
        </Show>
        <dt>What</dt>
        <dd data-testid="report-what">{r().content.what}</dd>
      </dl>
      <Show when={r().outcome}>
        <p class="su-outcome" data-testid="outcome"><strong>Outcome</strong><br />{r().outcome}</p>
      </Show>
    </section>
  );
}

export function Thread(props: { messages: readonly ThreadMessage[]; viewer: 'reporter' | 'recipient' }) {
  const who = (m: ThreadMessage) => (m.from === 'reporter' ? (props.viewer === 'reporter' ? 'You' : 'Reporter') : m.author || 'A recipient');
  // On a recipient's device, a "recipient" message whose proof fails was not written by a recipient.
  const suspect = (m: ThreadMessage) => props.viewer === 'recipient' && m.from === 'recipient' && !m.verified;
  const mine = (m: ThreadMessage) => (props.viewer === 'reporter' ? m.from === 'reporter' : m.from === 'recipient');
  return (
    <Show when={props.messages.length} fallback={<p class="muted" data-testid="no-messages">No messages yet.</p>}>
      <ol class="su-thread" data-testid="thread">
        <For each={props.messages}>
          {(m) => (
            <Switch>
              <Match when={m.kind === 'reply'}>
                <li class={`su-msg ${mine(m) ? 'mine' : ''}`} data-testid="message">
                  <div class="su-msg-head">
                    {who(m)} · {formatDate(m.day)}
                    <Show when={m.queued}> · queued</Show>
                    <Show when={suspect(m)}> · <span class="su-unverified">not verified as a recipient</span></Show>
                  </div>
                  <p>{m.text}</p>
                </li>
              </Match>
              <Match when={m.kind === 'status'}>
                <li class="su-event" data-testid="status-event">
                  {who(m)} set the status to <b>{STATUS_LABELS[m.status ?? 'received']}</b> · {formatDate(m.day)}
                  <Show when={m.queued}> · queued</Show>
                  <Show when={suspect(m)}> · <span class="su-unverified">not verified, ignored</span></Show>
                </li>
              </Match>
              <Match when={m.kind === 'outcome'}>
                <li class="su-event su-outcome">
                  Outcome recorded by {who(m)} · {formatDate(m.day)}
                  <Show when={suspect(m)}> · <span class="su-unverified">not verified, ignored</span></Show>
                  <p>{m.text}</p>
                </li>
              </Match>
            </Switch>
          )}
        </For>
      </ol>
    </Show>
  );
}

/** A reply box: validates, sends (or queues), clears. */
export function ReplyForm(props: { label: string; button: string; send: (text: string) => Promise<Validated<SendResult>> }) {
  const [text, setText] = createSignal('');
  const [error, setError] = createSignal<string>();
  const [note, setNote] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy()) return;
    setBusy(true);
    try {
      const r = await props.send(text());
      if (!r.ok) return setError(Object.values(r.errors)[0]);
      setError(undefined);
      setText('');
      setNote(r.value === 'sent' ? 'Sent.' : 'Queued, will be sent when you are online.');
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card" onSubmit={submit} novalidate data-testid="reply-form">
      <Field label={props.label} value={text()} onChange={(v) => (setText(v), setNote(undefined))} error={error()} multiline />
      <button class="btn primary block" type="submit" disabled={busy()}>{props.button}</button>
      <Show when={note()}><p class="muted" role="status">{note()}</p></Show>
    </form>
  );
}

// ---------- follow up with the receipt ----------

export interface FollowUpProps {
  open: (receipt: string) => Promise<OpenedReport | null>;
  reread: (r: OpenedReport, cache: MessageCache) => Promise<OpenedReport | null>;
  reply: (r: OpenedReport, text: string) => Promise<Validated<SendResult>>;
  /** Read when the documents change, to re-read the open report. */
  changes: () => unknown;
  /** Public page: fetch the room again. */
  refresh?: () => Promise<void>;
  /** What to say when nothing matches (e.g. offline). */
  notFoundHint?: string;
}

export function FollowUp(props: FollowUpProps) {
  const [receipt, setReceipt] = createSignal('');
  const [error, setError] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);
  const [report, setReport] = createSignal<OpenedReport | null>(null);
  let cache: MessageCache = new Map();

  const open = async (e: Event) => {
    e.preventDefault();
    const p = parseReceipt(receipt());
    if (!p.ok) return setError(p.errors['receipt']);
    setBusy(true);
    setError(undefined);
    try {
      const r = await props.open(p.value);
      if (!r) return setError(`No report matches this receipt. Check the 16 digits.${props.notFoundHint ? ` ${props.notFoundHint}` : ''}`);
      cache = new Map();
      setReport(r);
      // The receipt is not kept once the report is open.
      setReceipt('');
    } finally {
      setBusy(false);
    }
  };
  createEffect(
    on(props.changes, () => {
      const r = report();
      if (r) void props.reread(r, cache).then((n) => n && report()?.locator === n.locator && setReport(n));
    }),
  );
  const close = () => {
    setReport(null);
    cache = new Map();
  };

  return (
    <Show
      when={report()}
      fallback={
        <>
          <LockNote>
            <p>Enter the receipt you were given when you sent the report. It works on any device; nothing identifies you.</p>
          </LockNote>
          <form class="card" onSubmit={open} novalidate data-testid="follow-up-form">
            <Field label="Receipt" value={receipt()} onChange={setReceipt} error={error()} placeholder="1234 5678 9012 3456" autocomplete="off" name="speakup-receipt" />
            <button class="btn primary block" type="submit" disabled={busy()}>{busy() ? 'Checking the receipt…' : 'Open my report'}</button>
          </form>
        </>
      }
    >
      {(r) => (
        <>
          <ReportCard report={r()} viewer="reporter" />
          <h2>Messages</h2>
          <Thread messages={r().messages} viewer="reporter" />
          <ReplyForm label="Your answer" button="Send answer" send={(text) => props.reply(r(), text)} />
          <div class="row">
            <Show when={props.refresh}>
              <button class="btn" onClick={() => void props.refresh!()}>Check for replies</button>
            </Show>
            <button class="btn" onClick={close}>Close the report</button>
          </div>
        </>
      )}
    </Show>
  );
}

// ---------- the documented process ----------

export function ProcessView(props: { sections: readonly ProcessSection[]; children?: JSX.Element }) {
  return (
    <article class="card su-process" data-testid="process">
      <For each={props.sections}>
        {(s) => (
          <section>
            <h2>{s.heading}</h2>
            <For each={s.paragraphs}>{(p) => <p>{p}</p>}</For>
          </section>
        )}
      </For>
      {props.children}
    </article>
  );
}

/** Saves the documented process as a PDF (pdf-lib is loaded only when asked). */
export async function downloadProcessPdf(title: string, orgName: string, sections: readonly ProcessSection[]) {
  const { processPdf } = await import('./pdf');
  const bytes = await processPdf(title, orgName, sections, localIsoDate());
  const blob = new Blob([new Uint8Array(bytes)], { type: 'application/pdf' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `speak-up-process-${localIsoDate()}.pdf`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
