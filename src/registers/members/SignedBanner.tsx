import { createMemo, Show } from 'solid-js';
import { useSession } from '../../ui/session';
import { RecoverForm } from './RecoverForm';
import { RecoveryCode } from './RecoveryCode';
import { inviteStatus } from './signed-invites';

/**
 * Above every screen in a signed workspace: this device's invite ("Waiting to
 * be admitted", "Joined as …", or why it did not work), and a device not on the
 * signed list (it acts as staff; it may recover ownership with the code).
 */
export default function SignedBanner() {
  const s = useSession();
  const status = createMemo(() => inviteStatus(s.members.log(), s.workspace().inviteId, s.device.deviceId));
  return (
    <>
      <RecoveryCode />
      <Show when={status()}>
        {(st) => (
          <p class={`banner mb-banner${st().kind === 'refused' ? ' error' : ' info-banner'}`} role="status" data-testid={`invite-${st().kind}`}>
            {st().text}
          </p>
        )}
      </Show>
      <Show when={s.members.signed() && !s.access.signedMe() && !s.workspace().inviteId && !s.workspace().created}>
        <div class="banner mb-banner info-banner" role="status" data-testid="not-vouched">
          <span>This device is not on the signed member list yet: it has a member of staff’s access until an owner confirms it on Members.</span>
          <RecoverForm />
        </div>
      </Show>
    </>
  );
}
