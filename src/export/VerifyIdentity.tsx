import { createSignal, For, Show } from 'solid-js';
import { BEFORE_SIGNING, type IdentityReport, NO_LOG } from './verify-identity';

/** The root owner key, at the top of the report: what the auditor compares with the report's cover. */
export function RootKey(props: { id: IdentityReport }) {
  return (
    <Show when={props.id.rootFingerprint}>
      <div class="verify-rootkey" data-testid="verify-root-key">
        <div class="verify-label">Root owner key</div>
        <code class="verify-key">{props.id.rootFingerprint}</code>
        <Show when={props.id.rootWords}>
          <div class="small muted">{props.id.rootWords}</div>
        </Show>
      </div>
    </Show>
  );
}

const FIRST = 100;

/** Who signed what, in words: flagged entries first, then counts, signers, refused membership entries and unsigned ones. */
export function IdentityPart(props: { id: IdentityReport }) {
  const c = () => props.id.counts;
  // A migrated workspace can flag thousands: the first hundred, then all on request.
  const [all, setAll] = createSignal(false);
  const shown = () => (all() ? props.id.flagged : props.id.flagged.slice(0, FIRST));
  return (
    <Show
      when={props.id.state === 'signed'}
      fallback={
        <p class="verify-unsigned" data-testid="verify-identity-state">
          {props.id.state === 'before' ? BEFORE_SIGNING : NO_LOG}
        </p>
      }
    >
      <Show when={props.id.flagged.length > 0}>
        <h2>Flagged: not counted</h2>
        <p class="small muted">These entries are in the workspace as written, but their signer lacked the right, so no figure counts them.</p>
        <ul class="verify-flagged" data-testid="verify-flagged">
          <For each={shown()}>{(f) => <li>{f}</li>}</For>
        </ul>
        <Show when={shown().length < props.id.flagged.length}>
          <button class="btn block" type="button" onClick={() => setAll(true)}>
            Show all {props.id.flagged.length.toLocaleString('en-GB')} flagged entries
          </button>
        </Show>
      </Show>
      <h2>Signatures</h2>
      <dl class="verify-facts" data-testid="verify-sig-counts">
        <dt>Signed and allowed</dt>
        <dd>{c().signed.toLocaleString('en-GB')}</dd>
        <dt>Vouched for at migration</dt>
        <dd>{c().vouched.toLocaleString('en-GB')}</dd>
        <dt>Flagged</dt>
        <dd>{c().flagged.toLocaleString('en-GB')}</dd>
        <dt>Unsigned</dt>
        <dd>{c().unsigned.toLocaleString('en-GB')}</dd>
        <dt>Membership entries valid</dt>
        <dd>{props.id.membership.valid.toLocaleString('en-GB')}</dd>
        <dt>Membership entries refused</dt>
        <dd>{props.id.membership.refused.length.toLocaleString('en-GB')}</dd>
      </dl>
      <Show when={props.id.signers.length > 0}>
        <h2>Signed by</h2>
        <ul class="verify-signers" data-testid="verify-signers">
          <For each={props.id.signers}>
            {(g) => (
              <li>
                <strong>{g.signer}</strong>
                <div class="small">
                  {[g.signed ? `signed ${g.signed.toLocaleString('en-GB')}` : '', g.vouched ? `vouched for ${g.vouched.toLocaleString('en-GB')}` : ''].filter(Boolean).join(', ')}: {g.registers}
                </div>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <Show when={props.id.membership.refused.length > 0}>
        <h2>Membership entries refused</h2>
        <ul class="verify-notes" data-testid="verify-refused">
          <For each={props.id.membership.refused}>{(r) => <li>{r}</li>}</For>
        </ul>
      </Show>
      <Show when={props.id.unsigned.length > 0}>
        <h2>Not signed</h2>
        <p class="small muted">Written before signing, or not yet signed when the pack was made.</p>
        <ul class="verify-notes" data-testid="verify-unsigned">
          <For each={props.id.unsigned}>{(u) => <li>{u}</li>}</For>
        </ul>
      </Show>
    </Show>
  );
}
