import { createSignal, For, Show } from 'solid-js';
import { downloadCsv } from '../../evidence/download';
import { EmptyState, fileStamp, ScreenHeader } from '../../ui/common';
import { Field } from '../../ui/Field';
import { href, navigate } from '../../ui/router';
import { useSession } from '../../ui/session';
import { processCsv } from './export';
import { DEFAULT_TIERS, type TierInput } from './model';
import { type Access, DisciplinaryNav, ProcessSteps } from './parts';
import { NotFound } from '../../ui/NotFound';

type Errors = Partial<Record<string, string>>;

/** The documented process: readable by everyone, edited by officers (or by anyone before the first officer). */
export function ProcessPage(props: { access: Access }) {
  const s = useSession();
  const [error, setError] = createSignal<string>();
  const d = () => s.disciplinary;
  const archived = () => d().allTiers().filter((t) => t.archived);
  const run = (err: string | undefined) => setError(err);
  return (
    <>
      <ScreenHeader title="Disciplinary process">
        <Show when={props.access.manager() && d().tiers().length > 0}>
          <a class="btn primary small" href={href('disciplinary', 'tier-new')}>Add tier</a>
        </Show>
      </ScreenHeader>
      <DisciplinaryNav current="process" />
      <p class="dc-intro">
        How the organisation responds when someone breaches an information security policy. It applies to everyone, and the response depends on
        the tier. Decisions are recorded in a confidential log that only the designated officers can read.
      </p>
      <Show when={error()}><p class="field-error" role="alert">{error()}</p></Show>
      <Show
        when={d().tiers().length > 0}
        fallback={
          <EmptyState title="No process documented yet">
            <Show when={props.access.manager()} fallback={<p>A designated officer documents the tiers here; everyone can then read them.</p>}>
              <p>List the tiers of the process: when each applies and what the consequence is. Start from the three usual tiers and edit them:</p>
              <ul class="dc-defaults">
                <For each={DEFAULT_TIERS}>{(t) => <li>{t.name} → {t.consequence.split(':')[0]!.split(',')[0]}</li>}</For>
              </ul>
              <button class="btn primary block" onClick={() => run(d().addDefaultTiers(props.access.actor()))}>Add the three standard tiers</button>
              <p><a href={href('disciplinary', 'tier-new')}>Write your own tier instead</a></p>
            </Show>
          </EmptyState>
        }
      >
        <ProcessSteps
          tiers={d().tiers()}
          actions={(t, i) => (
            <Show when={props.access.manager()}>
              <div class="dc-step-actions">
                <a class="btn small" href={href('disciplinary', 'tier', { id: t.id })}>Edit</a>
                <button class="btn small" disabled={i === 0} aria-label={`Move ${t.name} up`} onClick={() => run(d().moveTier(t.id, -1, props.access.actor()))}>↑</button>
                <button class="btn small" disabled={i === d().tiers().length - 1} aria-label={`Move ${t.name} down`} onClick={() => run(d().moveTier(t.id, 1, props.access.actor()))}>↓</button>
              </div>
            </Show>
          )}
        />
        <button class="btn block" onClick={() => downloadCsv(processCsv(d().tiers(), fileStamp()))}>Export the process as CSV</button>
      </Show>
      <Show when={props.access.manager() && archived().length > 0}>
        <h2 class="dc-section-title">Removed from the process</h2>
        <ul class="list">
          <For each={archived()}>
            {(t) => (
              <li class="list-item">
                <div class="grow"><div class="title">{t.name}</div><div class="muted">{t.consequence}</div></div>
                <button class="btn small" onClick={() => run(d().setTierArchived(t.id, false, props.access.actor()))}>Restore</button>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </>
  );
}

/** Add a tier, or edit one (`id`). */
export function TierForm(props: { access: Access; id?: string }) {
  const s = useSession();
  const existing = () => (props.id ? s.disciplinary.tierById().get(props.id) : undefined);
  const start = existing();
  const [form, setForm] = createSignal<TierInput>({ name: start?.name ?? '', appliesWhen: start?.appliesWhen ?? '', consequence: start?.consequence ?? '' });
  const [errors, setErrors] = createSignal<Errors>({});
  const set = (k: keyof TierInput) => (v: string) => setForm({ ...form(), [k]: v });
  const submit = (e: Event) => {
    e.preventDefault();
    const r = props.id ? s.disciplinary.updateTier(props.id, form(), props.access.actor()) : s.disciplinary.addTier(form(), props.access.actor());
    if (!r.ok) return setErrors(r.errors);
    setErrors({});
    navigate('disciplinary', 'process');
  };
  const remove = () => {
    const err = props.id ? s.disciplinary.setTierArchived(props.id, true, props.access.actor()) : undefined;
    if (err) return setErrors({ _: err });
    navigate('disciplinary', 'process');
  };
  return (
    <>
      <ScreenHeader title={props.id ? 'Edit tier' : 'Add a tier'} back={href('disciplinary', 'process')} />
      <Show when={props.access.manager()} fallback={<p class="card" role="status">Only a designated officer can change the process.</p>}>
        <Show when={!props.id || existing()} fallback={<NotFound title="Tier not found" />}>
          <form class="card" onSubmit={submit} novalidate>
            <Field label="Name" value={form().name} onChange={set('name')} error={errors()['name']} placeholder="e.g. Repeated or negligent" required />
            <Field label="When it applies" value={form().appliesWhen} onChange={set('appliesWhen')} error={errors()['appliesWhen']} multiline required />
            <Field label="Consequence" value={form().consequence} onChange={set('consequence')} error={errors()['consequence']} multiline required />
            <Show when={errors()['_']}><p class="field-error" role="alert">{errors()['_']}</p></Show>
            <button class="btn primary block" type="submit">{props.id ? 'Save tier' : 'Add tier'}</button>
          </form>
          <Show when={props.id}>
            <section class="card">
              <h2>Remove from the process</h2>
              <p class="muted">Entries already in the log keep this tier’s name. You can restore it later.</p>
              <button class="btn block" onClick={remove}>Remove this tier</button>
            </section>
          </Show>
        </Show>
      </Show>
    </>
  );
}
