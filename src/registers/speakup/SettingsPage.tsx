import { ToggleButton } from '@kobalte/core/toggle-button';
import { createEffect, createSignal, For, on, Show } from 'solid-js';
import { plural } from '../../domain/plural';
import { EmptyState } from '../../ui/common';
import { Field } from '../../ui/Field';
import { href } from '../../ui/router';
import { useSession } from '../../ui/session';
import { type ProcessInput, publicLinkUrl } from './model';

/** Owners: who receives reports, the public link, and the process settings. */
export function SettingsPage() {
  const s = useSession();
  const sp = () => s.speakup;
  const [error, setError] = createSignal<string>();
  const run = (err: string | undefined) => setError(err);

  return (
    <Show
      when={sp().canManage()}
      fallback={<EmptyState title="For owners only"><p>Only an owner of the workspace chooses the recipients and the process. Everyone can read the process under Process.</p></EmptyState>}
    >
      <Show when={error()}><p class="field-error" role="alert">{error()}</p></Show>
      <Recipients onError={run} />
      <PublicLink onError={run} />
      <ProcessForm />
    </Show>
  );
}

function Recipients(props: { onError: (e: string | undefined) => void }) {
  const s = useSession();
  const sp = () => s.speakup;
  const chosen = () => new Set(sp().config().recipients);
  return (
    <section class="card" aria-labelledby="su-recipients-title">
      <h2 id="su-recipients-title">Recipients</h2>
      <p class="muted">
        Who reads reports, replies and records the outcome, for example the ISMS manager and an independent board member. Reports are encrypted to each recipient’s
        devices; a reporter can leave one out when the report is about them. Someone you remove cannot read reports sent afterwards.
      </p>
      <Show when={s.people.active().length} fallback={<p class="muted">Add people under <a href={href('people')}>People</a> first.</p>}>
        <div class="chips" role="group" aria-label="Recipients">
          <For each={s.people.active()}>
            {(p) => (
              <ToggleButton class="chip" pressed={chosen().has(p.id)} onChange={(on) => props.onError(sp().setRecipient(p.id, on))} data-testid="recipient-chip">
                {p.name}
              </ToggleButton>
            )}
          </For>
        </div>
      </Show>
      <Show when={sp().recipients().length}>
        <ul class="su-recipients" data-testid="recipient-devices">
          <For each={sp().recipients()}>
            {(r) => (
              <li>
                <span>{r.name}</span>
                <Show when={r.devices} fallback={<span class="warn">no device yet</span>}>
                  <span class="muted">{plural(r.devices, 'device')}</span>
                </Show>
              </li>
            )}
          </For>
        </ul>
        <Show when={sp().recipients().some((r) => !r.devices)}>
          <p class="su-warning">A recipient with no device cannot receive reports: they open Muster on their phone, under the same name as in People.</p>
        </Show>
      </Show>
    </section>
  );
}

function PublicLink(props: { onError: (e: string | undefined) => void }) {
  const s = useSession();
  const sp = () => s.speakup;
  const link = () => {
    const c = sp().config();
    const fp = sp().fingerprint();
    return c.publicLink && c.token && fp ? publicLinkUrl(location.origin, { workspaceId: s.workspace().id, token: c.token, fingerprint: fp }) : '';
  };
  const published = () => {
    const p = sp().publishedOnRelay();
    return !!p && p.fp === sp().fingerprint();
  };
  const [qr, setQr] = createSignal('');
  createEffect(
    on(link, (l) => {
      setQr('');
      if (l) void import('qrcode').then((q) => q.toDataURL(l, { margin: 1, width: 400, errorCorrectionLevel: 'M' })).then(setQr);
    }),
  );
  return (
    <section class="card" aria-labelledby="su-link-title">
      <h2 id="su-link-title">Public report link</h2>
      <p class="muted">Lets people without Muster (contractors, suppliers, former staff) report and follow up. Publish it on your intranet or a poster.</p>
      <label class="check">
        <input type="checkbox" checked={sp().config().publicLink} onChange={(e) => props.onError(sp().setPublicLink(e.currentTarget.checked))} data-testid="link-toggle" />
        <span>Anyone with the link can report</span>
      </label>
      <Show when={link()}>
        <label class="field-label" for="su-link">The link</label>
        <textarea id="su-link" class="input su-link" readonly rows={5} data-testid="speakup-link" value={link()} onFocus={(e) => e.currentTarget.select()} />
        <p class={published() ? 'muted' : 'su-warning'} role="status" data-testid="link-state">
          {published() ? 'Published: the link works.' : 'Not published yet: it starts working once this device has been online.'}
        </p>
        <Show when={qr()}><img class="su-qr" src={qr()} alt="QR code of the public report link" /></Show>
        <p class="muted">
          The link ends with a fingerprint of the recipients’ keys, so nobody can swap in their own. It changes when the recipients or their devices change:
          publish the new one then. The old link stops working.
        </p>
        <button class="btn block" onClick={() => props.onError(sp().regenerateLink())}>Make a new link (the old one stops working)</button>
      </Show>
    </section>
  );
}

function ProcessForm() {
  const s = useSession();
  const sp = () => s.speakup;
  const fromConfig = (): ProcessInput => {
    const c = sp().config();
    return { ackDays: String(c.ackDays), feedbackMonths: String(c.feedbackMonths), statement: c.statement, nextSteps: c.nextSteps, external: c.external };
  };
  const [form, setForm] = createSignal<ProcessInput>(fromConfig());
  const [errors, setErrors] = createSignal<Partial<Record<string, string>>>({});
  const [saved, setSaved] = createSignal(false);
  const set = (k: keyof ProcessInput) => (v: string) => (setForm({ ...form(), [k]: v }), setSaved(false));
  const save = (e: Event) => {
    e.preventDefault();
    const r = sp().saveProcess(form());
    if (!r.ok) return setErrors(r.errors);
    setErrors({});
    setSaved(true);
  };
  return (
    <form class="card" onSubmit={save} novalidate aria-labelledby="su-process-title">
      <h2 id="su-process-title">The process</h2>
      <p class="muted">These settings write the documented process page everyone can read (and download as PDF).</p>
      <div class="row">
        <Field label="Acknowledge within (days)" value={form().ackDays} onChange={set('ackDays')} error={errors()['ackDays']} />
        <Field label="Feedback within (months)" value={form().feedbackMonths} onChange={set('feedbackMonths')} error={errors()['feedbackMonths']} />
      </div>
      <Field label="Non-retaliation statement" value={form().statement} onChange={set('statement')} error={errors()['statement']} multiline />
      <Field label="What happens next (optional)" value={form().nextSteps} onChange={set('nextSteps')} error={errors()['nextSteps']} multiline description="Anything the organisation adds, e.g. who investigates and how." />
      <Field label="Other ways to report (optional)" value={form().external} onChange={set('external')} error={errors()['external']} multiline description="e.g. the competent authority for whistleblowing in your country." />
      <Show when={errors()['_']}><p class="field-error" role="alert">{errors()['_']}</p></Show>
      <button class="btn primary block" type="submit">Save the process</button>
      <Show when={saved()}><p class="muted" role="status">Saved.</p></Show>
    </form>
  );
}
