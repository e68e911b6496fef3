import { For, type JSX, Match, Show, Switch } from 'solid-js';
import { Badge } from '../../ui/common';
import { href } from '../../ui/router';
import { useSession } from '../../ui/session';
import { accessProblem, canManage, isOfficer, NOT_OFFICER, type Tier } from './model';
import type { Actor } from './store';
import { plural } from '../../domain/plural';

/**
 * Who this device is, for the disciplinary register: the officers that count
 * (designated and not marked as left in People), whether the signer is one,
 * and whether they may change the process and the officer list.
 */
export function useAccess() {
  const s = useSession();
  // A person not (yet) synced to this device is not treated as gone: only "left" frees the list.
  const isActive = (personId: string) => s.people.byId().get(personId)?.archived !== true;
  const officers = () => s.disciplinary.officerIds(isActive);
  return {
    officers,
    isActive,
    actor: (): Actor => ({ signer: s.signer(), isActive }),
    officer: () => isOfficer(s.signer().personId, officers()),
    manager: () => canManage(s.signer().personId, officers()),
    problem: () => accessProblem(s.signer(), officers()),
  };
}

export type Access = ReturnType<typeof useAccess>;

/** Log | Process | Officers. Everyone sees all three; only officers see the log's content. */
export function DisciplinaryNav(props: { current: 'log' | 'process' | 'officers' }) {
  const link = (key: typeof props.current, label: string, to: string) => (
    <a href={to} aria-current={props.current === key ? 'page' : undefined}>{label}</a>
  );
  return (
    <nav class="dc-nav" aria-label="Disciplinary views">
      {link('log', 'Log', href('disciplinary'))}
      {link('process', 'Process', href('disciplinary', 'process'))}
      {link('officers', 'Officers', href('disciplinary', 'officers'))}
    </nav>
  );
}

/** Badge tone by position in the process: mildest blue, harshest red. */
export function tierTone(index: number, total: number): 'info' | 'warn' | 'bad' {
  if (index <= 0 || total <= 1) return 'info';
  return index >= total - 1 ? 'bad' : 'warn';
}

export function TierBadge(props: { tierId: string; fallback: string }) {
  const s = useSession();
  const index = () => s.disciplinary.tiers().findIndex((t) => t.id === props.tierId);
  const name = () => s.disciplinary.tierById().get(props.tierId)?.name ?? props.fallback;
  return <Badge tone={index() < 0 ? 'muted' : tierTone(index(), s.disciplinary.tiers().length)}>{name()}</Badge>;
}

/** The documented process, read-only: what every member of staff may read. */
export function ProcessSteps(props: { tiers: readonly Tier[]; actions?: (t: Tier, index: number) => JSX.Element }) {
  return (
    <ol class="dc-steps" data-testid="process-steps">
      <For each={props.tiers}>
        {(t, i) => (
          <li class="card dc-step" data-testid="tier">
            <h2>
              <span class={`dc-step-no ${tierTone(i(), props.tiers.length)}`} aria-hidden="true">{i() + 1}</span>
              <span class="visually-hidden">Tier {i() + 1}: </span>
              <span class="dc-step-name">{t.name}</span>
            </h2>
            <p class="dc-label">When it applies</p>
            <p class="dc-text">{t.appliesWhen}</p>
            <p class="dc-label">Consequence</p>
            <p class="dc-text">{t.consequence}</p>
            {props.actions?.(t, i())}
          </li>
        )}
      </For>
    </ol>
  );
}

/** What a non-officer sees where the log would be: why not, and the documented process. No names, no counts. */
export function NoAccess(props: { access: Access }) {
  const s = useSession();
  return (
    <>
      <section class="card dc-locked" role="status" data-testid="no-access">
        <h2>{NOT_OFFICER}</h2>
        <p>{props.access.problem()}</p>
        <Show when={props.access.officers().length === 0} fallback={<p class="muted">Everyone can read the documented process below and see who the <a href={href('disciplinary', 'officers')}>officers</a> are.</p>}>
          <a class="btn primary block" href={href('disciplinary', 'officers')}>Designate the officers</a>
        </Show>
        <Show when={!s.signer().personId}>
          <p class="muted">If you are in People under another name, <a href={href('settings')}>change your name on this device</a> to match it.</p>
        </Show>
        <p class="muted" data-testid="no-key">
          The entries are encrypted before they leave an officer's phone. Only the officers' devices hold the key, so this device cannot open them.
        </p>
      </section>
      <h2 class="dc-section-title">The documented process</h2>
      <Show when={s.disciplinary.tiers().length > 0} fallback={<p class="muted">No process has been documented yet.</p>}>
        <ProcessSteps tiers={s.disciplinary.tiers()} />
      </Show>
    </>
  );
}


/**
 * What an officer's device needs to know about the log's key on this device:
 * none yet (another officer's device shares it when it next syncs), being
 * created, or some entries sealed with a key it does not hold yet. Nothing
 * when all is well.
 */
export function KeyNotice() {
  const s = useSession();
  const d = () => s.disciplinary;
  const status = () => d().keyring?.status() ?? 'ready';
  const waiting = () => d().waitingForKey();
  return (
    <>
      <Switch>
        <Match when={status() === 'waiting'}>
          <section class="card dc-key" role="status" data-testid="key-status" data-key-status="waiting">
            <h2>This device holds no key yet</h2>
            <p>Another officer's device will share it when it next syncs. Until then this device can neither open nor add entries.</p>
            <Show when={d().storedCount() > 0}><p class="muted">{plural(d().storedCount(), 'sealed entry is', 'sealed entries are')} waiting for the key.</p></Show>
          </section>
        </Match>
        <Match when={status() === 'not-recipient'}>
          <section class="card dc-key" role="status" data-testid="key-status" data-key-status="not-recipient">
            <h2>This device holds no key yet</h2>
            <p>It is not yet listed as one of your devices in the workspace, so no officer's device can share the key with it. It will be once it syncs.</p>
          </section>
        </Match>
        <Match when={status() === 'creating'}>
          <p class="card dc-notice" role="status" data-testid="key-status" data-key-status={status()}>Setting up the log's encryption key on this device…</p>
        </Match>
        <Match when={waiting() > 0}>
          <p class="card dc-notice" role="status" data-testid="key-status" data-key-status="partial">
            {plural(waiting(), 'entry is', 'entries are')} sealed with a key this device does not hold yet. Another officer's device will share it when it next syncs.
          </p>
        </Match>
      </Switch>
      <Show when={d().keyring?.problem()}>{(p) => <p class="dc-warning" role="alert">{p()}</p>}</Show>
    </>
  );
}
