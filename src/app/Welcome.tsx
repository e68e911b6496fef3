import { createSignal, Show } from 'solid-js';
import { CreationRefused, type JoinInvite, validateNames } from '../store/workspace';
import { Brand } from './Brand';
import { Field } from '../ui/Field';

export interface WelcomeProps {
  invite?: JoinInvite | undefined;
  inviteError?: string | undefined;
  /** `code`: the creation token (or invite code) the relay asked for. Throws CreationRefused. */
  onCreate: (orgName: string, memberName: string, code?: string) => Promise<void>;
  onJoin: (invite: JoinInvite, memberName: string) => Promise<void>;
}

/** First visit: create a workspace, or join one from a link. */
export default function Welcome(props: WelcomeProps) {
  const [orgName, setOrgName] = createSignal('');
  // An invite link carries the invited person's name (src/store/workspace.ts joinLink).
  const [memberName, setMemberName] = createSignal(props.invite?.memberName ?? '');
  const [errors, setErrors] = createSignal<Partial<Record<'orgName' | 'memberName', string>>>({});
  const [busy, setBusy] = createSignal(false);
  // Shown once the relay answers 403 "creation token required" (server/creation.ts).
  const [needsCode, setNeedsCode] = createSignal(false);
  const [code, setCode] = createSignal('');
  const [refusal, setRefusal] = createSignal<string>();

  const submit = async (e: Event) => {
    e.preventDefault();
    const invite = props.invite;
    const found = validateNames(invite ? invite.orgName || 'x' : orgName(), memberName());
    setErrors(found);
    if (Object.keys(found).length) return;
    setBusy(true);
    try {
      if (invite) await props.onJoin(invite, memberName());
      else await props.onCreate(orgName(), memberName(), needsCode() ? code() : undefined);
    } catch (err) {
      if (!(err instanceof CreationRefused)) throw err;
      if (err.needsCode) setNeedsCode(true);
      setRefusal(err.message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="welcome">
      <Brand />
      <Show when={props.inviteError}>
        <p class="banner error" role="alert">{props.inviteError}</p>
      </Show>
      <form class="card" onSubmit={submit} novalidate>
        <Show
          when={props.invite}
          fallback={
            <>
              <h2>Create a workspace</h2>
              <Field label="Organisation name" value={orgName()} onChange={setOrgName} error={errors().orgName} required autocomplete="organization" />
            </>
          }
        >
          {(invite) => (
            <>
              <h2>Join {invite().orgName || 'a workspace'}</h2>
              <p class="muted">This device will keep a full copy of the workspace and sync it when online.</p>
            </>
          )}
        </Show>
        <Field
          label="Your name"
          value={memberName()}
          onChange={setMemberName}
          error={errors().memberName}
          required
          autocomplete="name"
          description="Shown on the checklists and minutes you sign off."
        />
        <Show when={needsCode()}>
          <Field
            label="Creation token"
            value={code()}
            onChange={setCode}
            error={refusal()}
            autocomplete="off"
            description="From whoever runs this relay, or an invite code from an existing workspace."
          />
        </Show>
        <Show when={refusal() && !needsCode()}>
          <p class="banner error" role="alert">{refusal()}</p>
        </Show>
        <button class="btn primary block" type="submit" disabled={busy()}>
          {props.invite ? 'Join workspace' : 'Create workspace'}
        </button>
      </form>
      <Show when={!props.invite}>
        <p class="muted center">Joining a colleague’s workspace? Open the join link they sent you on this device.</p>
        <p class="muted center">
          Auditing? <a href="#/verify">Verify an evidence pack</a> — no workspace needed.
        </p>
      </Show>
    </main>
  );
}
