import { createMemo, createSignal, For, Show } from 'solid-js';
import { formatDate, formatInstant, localIsoDate } from '../../domain/dates';
import { Badge, EmptyState, ScreenHeader } from '../../ui/common';
import { Field, SelectField } from '../../ui/Field';
import { href } from '../../ui/router';
import { useSession } from '../../ui/session';
import { STATUS_LABEL } from './Log';
import { type DisciplinaryEntry, type EntryInput, historyOf, inputFromEntry } from './model';
import { type Access, KeyNotice, TierBadge } from './parts';
import { NotFound } from '../../ui/NotFound';

type Errors = Partial<Record<string, string>>;

const OTHER = '__other';

/** New entry, or a correction of entry `correcting` (a new entry that supersedes it). */
export function EntryForm(props: { access: Access; correcting?: string }) {
  const s = useSession();
  // Entries open asynchronously (the codec): wait for the one being corrected.
  const target = () => (props.correcting ? s.disciplinary.entryById().get(props.correcting) : undefined);
  return (
    <Show when={props.correcting} fallback={<EntryFormBody access={props.access} />}>
      <Show
        when={target()}
        keyed
        fallback={<NotFound header="Correct an entry" back={href('disciplinary')} title="Entry not found" why="It may not have synced to this device yet, or it is still being opened." />}
      >
        {(t) => <EntryFormBody access={props.access} correcting={t} />}
      </Show>
    </Show>
  );
}

function EntryFormBody(props: { access: Access; correcting?: DisciplinaryEntry }) {
  const s = useSession();
  const d = () => s.disciplinary;
  const start = props.correcting;
  const [form, setForm] = createSignal<EntryInput>(
    start
      ? inputFromEntry(start)
      : { personId: '', date: localIsoDate(), policyId: '', policyOther: '', tierId: '', facts: '', outcome: '', decidedById: s.signer().personId ?? '', evidence: '' },
  );
  const [policyChoice, setPolicyChoice] = createSignal(start ? (start.policyId || OTHER) : '');
  const [reason, setReason] = createSignal('');
  const [errors, setErrors] = createSignal<Errors>({});
  let dateInput: HTMLInputElement | undefined;
  /** Changing a field clears its message; the others stay until the next try. */
  const clear = (...keys: string[]) => setErrors(Object.fromEntries(Object.entries(errors()).filter(([k]) => !keys.includes(k))));
  const set = (k: keyof EntryInput) => (v: string) => {
    setForm({ ...form(), [k]: v });
    clear(k);
  };

  const personOptions = createMemo(() =>
    s.people.all().filter((p) => !p.archived || p.id === form().personId || p.id === form().decidedById).map((p) => ({ value: p.id, label: `${p.name}${p.team ? ` (${p.team})` : ''}${p.archived ? ' — left' : ''}` })),
  );
  const policyOptions = createMemo(() => [
    ...s.policies.all().filter((p) => !p.archived || p.id === form().policyId).map((p) => ({ value: p.id, label: p.title })),
    { value: OTHER, label: 'Other (type it)' },
  ]);
  const tier = () => d().tierById().get(form().tierId);
  const choosePolicy = (v: string) => {
    setPolicyChoice(v);
    clear('policyId', 'policyOther');
    setForm({ ...form(), policyId: v === OTHER ? '' : v, policyOther: v === OTHER ? form().policyOther : '' });
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    if (dateInput?.validity.badInput) return setErrors({ date: 'Enter a complete date (day, month and year).' });
    const ctx = { today: localIsoDate(), policies: s.policies.all(), personIds: new Set(s.people.all().map((p) => p.id)) };
    const r = props.correcting
      ? await d().correct(props.correcting.id, form(), reason(), ctx, props.access.actor())
      : await d().record(form(), ctx, props.access.actor());
    if (!r.ok) {
      // The policy message belongs under whichever policy input is showing.
      const errs = { ...r.errors };
      if (errs['policyId'] && policyChoice() === OTHER && !errs['policyOther']) {
        errs['policyOther'] = errs['policyId'];
        delete errs['policyId'];
      }
      return setErrors(errs);
    }
    setErrors({});
    location.hash = href('disciplinary', 'entry', { id: r.value.id });
  };

  return (
    <>
      <ScreenHeader title={props.correcting ? 'Correct an entry' : 'New log entry'} back={props.correcting ? href('disciplinary', 'entry', { id: props.correcting.id }) : href('disciplinary')} />
      <KeyNotice />
      <Show when={d().tiers().length > 0} fallback={<EmptyState title="Document the process first"><p>Every entry is placed in a tier of the process.</p><a class="btn primary block" href={href('disciplinary', 'process')}>Set up the process</a></EmptyState>}>
        <Show when={!d().writeProblem()}>
          <Show when={props.correcting}>
            <p class="card dc-notice" role="note">The original entry is kept as evidence. This correction is a new entry that replaces it in the log.</p>
          </Show>
          <form class="card" onSubmit={(e) => void submit(e)} novalidate>
            <SelectField label="Person" value={form().personId} onChange={set('personId')} placeholder="Choose a person" options={personOptions()} error={errors()['personId']} />
            <Field label="Date" type="date" value={form().date} onChange={set('date')} error={errors()['date']} description="When it happened or was decided; not in the future." required ref={(el) => { dateInput = el; el.max = localIsoDate(); }} />
            <SelectField label="Policy breached" value={policyChoice()} onChange={choosePolicy} placeholder="Choose a policy" options={policyOptions()} error={errors()['policyId']} />
            <Show when={policyChoice() === OTHER}>
              <Field label="Other policy" value={form().policyOther} onChange={set('policyOther')} error={errors()['policyOther']} placeholder="e.g. Clean desk rule" />
            </Show>
            <SelectField label="Tier" value={form().tierId} onChange={set('tierId')} placeholder="Choose a tier" options={d().tiers().map((t, i) => ({ value: t.id, label: `${i + 1}. ${t.name}` }))} error={errors()['tierId']} />
            <Show when={tier()}>
              {(t) => (
                <p class="dc-tier-hint" data-testid="tier-hint">
                  <strong>Applies when:</strong> {t().appliesWhen}
                  <br />
                  <strong>Consequence:</strong> {t().consequence}
                </p>
              )}
            </Show>
            <Field label="Facts" value={form().facts} onChange={set('facts')} error={errors()['facts']} multiline required description="What happened, and how it came to light. Stick to facts." />
            <Field label="Outcome" value={form().outcome} onChange={set('outcome')} error={errors()['outcome']} multiline required description="What was decided and done, e.g. coaching given." />
            <SelectField label="Decided by" value={form().decidedById} onChange={set('decidedById')} placeholder="Choose who decided" options={personOptions()} error={errors()['decidedById']} />
            <Field label="Evidence reference" value={form().evidence} onChange={set('evidence')} error={errors()['evidence']} description="Where the evidence lives: letter, file name, HR case number." />
            <Show when={props.correcting}>
              <Field label="Reason for the correction" value={reason()} onChange={(v) => { setReason(v); clear('reason'); }} error={errors()['reason']} multiline required />
            </Show>
            <Show when={errors()['_']}><p class="field-error" role="alert">{errors()['_']}</p></Show>
            <button class="btn primary block" type="submit">{props.correcting ? 'Record correction' : 'Record entry'}</button>
          </form>
        </Show>
      </Show>
    </>
  );
}

/** One entry: everything recorded, what corrected or withdrew it, its history, and the ways to correct it. */
export function EntryDetail(props: { access: Access; id: string }) {
  const s = useSession();
  const d = () => s.disciplinary;
  const entry = () => d().entryById().get(props.id);
  return (
    <>
      <ScreenHeader title="Log entry" back={href('disciplinary')} />
      <KeyNotice />
      <Show
        when={entry()}
        fallback={
          <Show when={!d().writeProblem()}>
            <NotFound title="Entry not found" why="It may not have synced to this device yet, it is still being opened, or it is sealed with a key this device does not hold yet." />
          </Show>
        }
      >
        {(e) => <EntryCard access={props.access} entry={e()} />}
      </Show>
    </>
  );
}

function EntryCard(props: { access: Access; entry: DisciplinaryEntry }) {
  const s = useSession();
  const d = () => s.disciplinary;
  const e = () => props.entry;
  const [reason, setReason] = createSignal('');
  const [error, setError] = createSignal<string>();
  const name = (id: string) => s.people.nameOf(id) || 'Unknown person';
  const correctedBy = () => (d().log().correctedBy.get(e().id) ?? []).map((id) => d().entryById().get(id)).filter((x): x is DisciplinaryEntry => !!x);
  const withdrawn = () => d().log().withdrawnBy.get(e().id);
  const status = () => (withdrawn() ? 'withdrawn' : correctedBy().length > 0 ? 'corrected' : 'standing');
  const earlier = () => historyOf(e().id, d().log().all).slice(1);
  const withdraw = async (ev: Event) => {
    ev.preventDefault();
    const err = await d().withdraw(e().id, reason(), props.access.actor());
    setError(err);
    if (!err) setReason('');
  };
  return (
    <>
      <section class="card" data-testid="entry-detail">
        <div class="row spread">
          <h2>{name(e().personId)}</h2>
          <TierBadge tierId={e().tierId} fallback={e().tierName} />
        </div>
        <Show when={status() !== 'standing'}>
          <p><Badge tone="muted">{STATUS_LABEL[status()]}</Badge></p>
        </Show>
        <Show when={d().unsealed().has(e().id)}>
          <p class="dc-warning" role="note">Not sealed: written before the log was encrypted. Re-seal it from the log.</p>
        </Show>
        <dl class="dc-facts">
          <dt>Date</dt>
          <dd>{formatDate(e().date)}</dd>
          <dt>Policy</dt>
          <dd>{e().policy}</dd>
          <dt>Tier</dt>
          <dd>{e().tierName}</dd>
          <dt>Facts</dt>
          <dd class="dc-pre">{e().facts}</dd>
          <dt>Outcome</dt>
          <dd class="dc-pre">{e().outcome}</dd>
          <dt>Decided by</dt>
          <dd>{name(e().decidedById)}</dd>
          <dt>Evidence</dt>
          <dd>{e().evidence || '—'}</dd>
          <Show when={e().corrects}>
            <dt>Corrects</dt>
            <dd><a href={href('disciplinary', 'entry', { id: e().corrects! })}>an earlier entry</a>: “{e().reason}”</dd>
          </Show>
          <dt>Recorded by</dt>
          <dd>{e().byName} on {formatInstant(e().at)}</dd>
          <dt>Device</dt>
          <dd class="mono">{e().deviceId}</dd>
        </dl>
      </section>

      <Show when={correctedBy().length > 0}>
        <section class="card dc-notice">
          <h2>Corrected</h2>
          <For each={correctedBy()}>
            {(c) => (
              <p>
                By <strong>{c.byName}</strong> on {formatInstant(c.at)}: “{c.reason}”. <a href={href('disciplinary', 'entry', { id: c.id })}>Open the correction</a>
              </p>
            )}
          </For>
        </section>
      </Show>
      <Show when={withdrawn()}>
        {(w) => (
          <section class="card dc-notice">
            <h2>Withdrawn</h2>
            <p>By <strong>{w().byName}</strong> on {formatInstant(w().at)}: “{w().reason}”. It no longer counts, and stays here as evidence.</p>
          </section>
        )}
      </Show>
      <Show when={earlier().length > 0}>
        <section class="card">
          <h2>Earlier versions</h2>
          <ol class="history">
            <For each={earlier()}>
              {(x) => (
                <li>
                  <a href={href('disciplinary', 'entry', { id: x.id })}>{formatDate(x.date)} · {x.tierName}</a> — recorded by {x.byName} on {formatInstant(x.at)}
                </li>
              )}
            </For>
          </ol>
        </section>
      </Show>

      <Show when={status() === 'standing'}>
        <section class="card">
          <h2>Correct this entry</h2>
          <p class="muted">Entries are evidence and are never edited. A correction is a new entry that replaces this one; this one is kept.</p>
          <a class="btn block" href={href('disciplinary', 'correct', { id: e().id })}>Correct this entry</a>
        </section>
        <form class="card" onSubmit={(ev) => void withdraw(ev)} novalidate>
          <h2>Withdraw this entry</h2>
          <p class="muted">Only if it was recorded by mistake (for example about the wrong person). It stays in the log as evidence.</p>
          <Field label="Reason" value={reason()} onChange={setReason} error={error()} multiline placeholder="e.g. Recorded for the wrong person" />
          <button class="btn block" type="submit">Withdraw this entry</button>
        </form>
      </Show>
    </>
  );
}
