import { createSignal, lazy, Show } from 'solid-js';
import { href } from '../../ui/router';
import { useSession } from '../../ui/session';
import { ROLE_LABELS } from './model';
// The signed list's banners load with the list itself (after Home is synced).
import './members.css';

// Shown only when the relay refuses this device: its own chunk, off Home's path.
const RefusedBanner = lazy(() => import('./RefusedBanner'));
const SignedBanner = lazy(() => import('./signed-entry').then((m) => ({ default: m.SignedBanner })));

/**
 * Above every screen: why this device does not sync (removed, out-of-date
 * link), an invite that has not arrived yet, and a workspace with no owner.
 */
export function AccessBanner() {
  const s = useSession();
  const [error, setError] = createSignal<string>();
  const claim = () => {
    const r = s.access.claimOwnership();
    setError(r.ok ? undefined : r.error);
  };
  return (
    <>
      <Show when={s.sync().status === 'refused' && s.sync().refusal}>
        <RefusedBanner />
      </Show>
      <Show when={s.members.signed()}><SignedBanner /></Show>
      <Show when={!s.members.signed() && s.access.awaitingInvite() && s.sync().status !== 'refused'}>
        <p class="banner mb-banner info-banner" role="status" data-testid="invite-pending">
          You joined with an invite. Until it reaches this device (it syncs when you are online) you have a member of staff’s access.
        </p>
      </Show>
      <Show when={!s.members.signed() && s.access.invite()?.revoked && s.access.me()?.inviteId !== s.workspace().inviteId}>
        <p class="banner mb-banner" role="status" data-testid="invite-revoked">
          The invite you joined with was revoked, so this device has a member of staff’s access and is not linked to a person. Ask an owner.
        </p>
      </Show>
      <Show when={s.access.noOwner() && s.access.me() && !s.access.me()!.removed}>
        <div class="banner mb-banner" role="status" data-testid="no-owner">
          <strong>No owner yet — claim ownership</strong>
          <span>
            Nobody in this workspace is an owner, so every device acts as one. The first to claim it manages members; everyone else keeps their role (
            {ROLE_LABELS[s.access.me()!.role]} for this device).
          </span>
          <button class="btn small primary" onClick={claim}>Claim ownership</button>
          <Show when={error()}><span class="field-error" role="alert">{error()}</span></Show>
        </div>
      </Show>
    </>
  );
}

/** Shown instead of a section this device's role may not open. */
export function SectionRefused(props: { section: string; label: string }) {
  const s = useSession();
  return (
    <>
      <div class="screen-header"><h1>{props.label}</h1></div>
      <div class="empty" role="note" data-testid="section-refused">
        <h2>Not available on this device</h2>
        <p data-testid="refused-reason">{s.access.why(`open:${props.section}`)}</p>
        <a class="btn" href={href('home')}>Go to Home</a>
      </div>
    </>
  );
}

export { ScopeNote } from '../../ui/ScopeNote';
