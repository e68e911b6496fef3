import { RadioGroup } from '@kobalte/core/radio-group';
import { ToggleButton } from '@kobalte/core/toggle-button';
import { createSignal, For, type JSX, Show } from 'solid-js';
import { addMonths, formatDate, localIsoDate } from '../../domain/dates';
import { ScreenHeader } from '../../ui/common';
import { Field, SelectField } from '../../ui/Field';
import { href, navigate } from '../../ui/router';
import { useSession } from '../../ui/session';
import type { Policy, PolicyInput, Publication } from './model';
import { PolicyText } from './PolicyText';
import { NotFound } from '../../ui/NotFound';

type Errors = Partial<Record<string, string>>;

/** Renders its children for an existing policy, or says it is not on this device. */
function WithPolicy(props: { id: string; title: string; children: (p: Policy) => JSX.Element }) {
  const s = useSession();
  const policy = () => s.policies.byId().get(props.id);
  return (
    <Show
      when={policy()}
      fallback={<NotFound header={props.title} back={href('policies')} title="Policy not found" />}
    >
      {(p) => props.children(p())}
    </Show>
  );
}

/** Adds a policy (no id) or edits one. */
export function PolicyForm(props: { id?: string }) {
  return (
    <Show when={props.id} fallback={<><ScreenHeader title="New policy" back={href('policies')} /><PolicyFields /></>}>
      {(id) => (
        <WithPolicy id={id()} title="Edit policy">
          {(p) => (
            <>
              <ScreenHeader title={`Edit ${p.title}`} back={href('policies', p.id)} />
              <PolicyFields policy={p} />
            </>
          )}
        </WithPolicy>
      )}
    </Show>
  );
}

/** The policy form, started from the stored policy when editing (and only once it is on this device). */
function PolicyFields(props: { policy?: Policy }) {
  const s = useSession();
  const init = props.policy;
  const id = init?.id;
  const today = localIsoDate();
  const [title, setTitle] = createSignal(init?.title ?? '');
  const [ownerId, setOwnerId] = createSignal(init?.ownerId ?? s.signer().personId ?? '');
  const [everyone, setEveryone] = createSignal(init ? init.audience.everyone : true);
  const [teams, setTeams] = createSignal<string[]>(init?.audience.teams ?? []);
  const [roles, setRoles] = createSignal<string[]>(init?.audience.roles ?? []);
  const [nextReview, setNextReview] = createSignal(init?.nextReviewDate ?? addMonths(today, 12));
  const [errors, setErrors] = createSignal<Errors>({});
  let dateInput: HTMLInputElement | undefined;

  const toggle = (list: () => string[], set: (v: string[]) => void, value: string, on: boolean) =>
    set(on ? [...new Set([...list(), value])] : list().filter((x) => x !== value));
  // Teams that only the policy names (nobody in them any more) stay visible so they can be taken out.
  const teamOptions = () => [...new Set([...s.people.teams(), ...teams()])].sort((a, b) => a.localeCompare(b));
  const roleOptions = () => [...s.roles.active(), ...s.roles.all().filter((r) => r.archived && roles().includes(r.id))];

  const submit = (e: Event) => {
    e.preventDefault();
    if (dateInput?.validity.badInput) return setErrors({ nextReviewDate: 'Enter a complete next review date (day, month and year).' });
    const input: PolicyInput = { title: title(), ownerId: ownerId(), audience: { everyone: everyone(), teams: teams(), roles: roles() }, nextReviewDate: nextReview() };
    if (id) {
      const r = s.policies.update(id, input);
      if (!r.ok) return setErrors(r.errors);
      navigate('policies', id);
    } else {
      const r = s.policies.create(input, s.signer());
      if (!r.ok) return setErrors(r.errors);
      navigate('policies', r.value.id);
    }
  };

  const form = () => (
    <form class="card" onSubmit={submit} novalidate>
      <Field label="Title" value={title()} onChange={setTitle} error={errors()['title']} required placeholder="e.g. Acceptable use policy" />
      <SelectField
        label="Owner"
        value={ownerId()}
        onChange={setOwnerId}
        placeholder="Choose the owner"
        options={s.people.all().filter((p) => !p.archived || p.id === ownerId()).map((p) => ({ value: p.id, label: `${p.name}${p.team ? ` (${p.team})` : ''}` }))}
        error={errors()['ownerId']}
      />
      <Show when={s.people.active().length === 0}>
        <p class="muted small">Nobody is in People yet: <a href={href('people', 'new')}>add the owner</a> first.</p>
      </Show>
      <div class="audience" data-invalid={errors()['audience'] ? '' : undefined}>
        <RadioGroup value={everyone() ? 'everyone' : 'some'} onChange={(v) => setEveryone(v === 'everyone')} orientation="horizontal">
          <RadioGroup.Label class="field-label">Applies to</RadioGroup.Label>
          <div class="segmented two" role="presentation">
            <RadioGroup.Item value="everyone" class="seg pick">
              <RadioGroup.ItemInput class="visually-hidden" />
              <RadioGroup.ItemLabel class="seg-label">Everyone</RadioGroup.ItemLabel>
            </RadioGroup.Item>
            <RadioGroup.Item value="some" class="seg pick">
              <RadioGroup.ItemInput class="visually-hidden" />
              <RadioGroup.ItemLabel class="seg-label">Teams or roles</RadioGroup.ItemLabel>
            </RadioGroup.Item>
          </div>
        </RadioGroup>
        <Show when={!everyone()}>
          <div class="group-label" id="aud-teams">Teams</div>
          <div class="chips" role="group" aria-labelledby="aud-teams">
            <For each={teamOptions()} fallback={<p class="muted small">No teams yet: teams come from People.</p>}>
              {(t) => (
                <ToggleButton class="chip" pressed={teams().includes(t)} onChange={(on) => toggle(teams, setTeams, t, on)} data-testid="audience-team">{t}</ToggleButton>
              )}
            </For>
          </div>
          <div class="group-label" id="aud-roles">Security roles</div>
          <div class="chips" role="group" aria-labelledby="aud-roles">
            <For each={roleOptions()} fallback={<p class="muted small">No security roles yet: add them under Roles &amp; RACI.</p>}>
              {(r) => (
                <ToggleButton class="chip" pressed={roles().includes(r.id)} onChange={(on) => toggle(roles, setRoles, r.id, on)} data-testid="audience-role">{r.name}</ToggleButton>
              )}
            </For>
          </div>
        </Show>
        <Show when={errors()['audience']}><p class="field-error" role="alert">{errors()['audience']}</p></Show>
      </div>
      <Field
        label="Next review"
        type="date"
        value={nextReview()}
        onChange={setNextReview}
        error={errors()['nextReviewDate']}
        required
        description="Policies need an evidenced review at least every 12 months."
        ref={(el) => (dateInput = el)}
      />
      <Show when={errors()['_']}><p class="field-error" role="alert">{errors()['_']}</p></Show>
      <button class="btn primary block" type="submit">{id ? 'Save changes' : 'Add policy'}</button>
    </form>
  );

  return form();
}

/** Suggests the next major version: 1.0 → 2.0, 2.3 → 3.0; 1.0 for the first. */
export function suggestVersion(current: Publication | undefined): string {
  if (!current) return '1.0';
  const major = Number.parseInt(current.version, 10);
  return Number.isFinite(major) ? `${major + 1}.0` : '';
}

export function PublishForm(props: { id: string }) {
  const s = useSession();
  const today = localIsoDate();
  const current = s.policies.current(props.id);
  const [version, setVersion] = createSignal(suggestVersion(current));
  const [text, setText] = createSignal('');
  const [approvedBy, setApprovedBy] = createSignal(current?.approvedBy ?? '');
  const [approvedOn, setApprovedOn] = createSignal(today);
  const [errors, setErrors] = createSignal<Errors>({});
  const [busy, setBusy] = createSignal(false);
  let dateInput: HTMLInputElement | undefined;

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy()) return;
    if (dateInput?.validity.badInput) return setErrors({ approvedOn: 'Enter a complete approval date (day, month and year).' });
    setBusy(true);
    try {
      const r = await s.policies.publish(props.id, { version: version(), text: text(), approvedBy: approvedBy(), approvedOn: approvedOn() }, s.signer(), today);
      if (!r.ok) return setErrors(r.errors);
      navigate('policies', props.id);
    } finally {
      setBusy(false);
    }
  };

  return (
    <WithPolicy id={props.id} title="Publish a version">
      {(p) => (
        <>
          <ScreenHeader title="Publish a version" back={href('policies', p.id)} />
          <p class="muted">
            {p.title}
            {current ? ` · current version ${current.version}, approved ${formatDate(current.approvedOn)}` : ' · first version'}
          </p>
          <Show when={current}>
            <p class="banner warn" role="note">Publishing a new version asks everyone it applies to to acknowledge it again: their earlier acknowledgements become stale.</p>
          </Show>
          <form class="card" onSubmit={(e) => void submit(e)} novalidate>
            <Field label="Version" value={version()} onChange={setVersion} error={errors()['version']} required description="A new number for this policy, e.g. 1.0, 1.1, 2.0." />
            <Field
              label="Policy text"
              value={text()}
              onChange={setText}
              error={errors()['text']}
              multiline
              required
              description="Paste the full text, or a reference to where the document lives (file name and location, or a link). Markdown works: # Heading, - list item, **bold**, [link](https://…). Its SHA-256 fingerprint is that of the text as typed."
            />
            <Show when={text().trim()}>
              <details class="policy-preview">
                <summary>Preview</summary>
                <PolicyText text={text()} boxed testId="policy-preview" />
              </details>
            </Show>
            <Field label="Approved by" value={approvedBy()} onChange={setApprovedBy} error={errors()['approvedBy']} required placeholder="e.g. Cleo Chen, CEO" />
            <Field label="Approved on" type="date" value={approvedOn()} onChange={setApprovedOn} error={errors()['approvedOn']} required ref={(el) => (dateInput = el)} />
            <Show when={errors()['_']}><p class="field-error" role="alert">{errors()['_']}</p></Show>
            <button class="btn primary block" type="submit" disabled={busy()}>Publish version</button>
          </form>
        </>
      )}
    </WithPolicy>
  );
}

export function ReviewForm(props: { id: string }) {
  const s = useSession();
  const today = localIsoDate();
  const [reviewedOn, setReviewedOn] = createSignal(today);
  const [reviewedBy, setReviewedBy] = createSignal(s.signer().name);
  const [outcome, setOutcome] = createSignal('');
  const [nextReview, setNextReview] = createSignal(addMonths(today, 12));
  const [errors, setErrors] = createSignal<Errors>({});
  let reviewedInput: HTMLInputElement | undefined;
  let nextInput: HTMLInputElement | undefined;

  const submit = (e: Event) => {
    e.preventDefault();
    if (reviewedInput?.validity.badInput) return setErrors({ reviewedOn: 'Enter a complete review date (day, month and year).' });
    if (nextInput?.validity.badInput) return setErrors({ nextReviewDate: 'Enter a complete next review date (day, month and year).' });
    const r = s.policies.recordReview(props.id, { reviewedOn: reviewedOn(), reviewedBy: reviewedBy(), outcome: outcome(), nextReviewDate: nextReview() }, s.signer(), today);
    if (!r.ok) return setErrors(r.errors);
    navigate('policies', props.id);
  };

  return (
    <WithPolicy id={props.id} title="Record a review">
      {(p) => (
        <>
          <ScreenHeader title="Record a review" back={href('policies', p.id)} />
          <p class="muted">{p.title}. A review is evidence: it is kept as recorded and cannot be edited.</p>
          <form class="card" onSubmit={submit} novalidate>
            <Field label="Reviewed on" type="date" value={reviewedOn()} onChange={setReviewedOn} error={errors()['reviewedOn']} required ref={(el) => (reviewedInput = el)} />
            <Field label="Reviewed by" value={reviewedBy()} onChange={setReviewedBy} error={errors()['reviewedBy']} required />
            <Field label="Outcome" value={outcome()} onChange={setOutcome} error={errors()['outcome']} multiline required placeholder="e.g. Still fit for purpose, no change needed" />
            <Field label="Next review" type="date" value={nextReview()} onChange={setNextReview} error={errors()['nextReviewDate']} required ref={(el) => (nextInput = el)} />
            <Show when={errors()['_']}><p class="field-error" role="alert">{errors()['_']}</p></Show>
            <button class="btn primary block" type="submit">Record review</button>
          </form>
        </>
      )}
    </WithPolicy>
  );
}
