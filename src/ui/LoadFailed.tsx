/**
 * What a person sees when part of the app did not load (a lazy chunk, the later registers): what failed, what
 * is likely the cause, and a retry. Never an indicator stuck on "Loading…" or "Connecting".
 */
export function LoadFailed(props: { what: string; error: unknown; retry: () => void }) {
  const reason = () => (props.error instanceof Error ? props.error.message : String(props.error));
  return (
    <div class="card" role="alert" data-testid="load-failed">
      <p>
        <strong>{props.what} could not load.</strong> {navigator.onLine ? 'Muster may have been updated since this page opened.' : 'You are offline, and this part of Muster is not saved on this device yet.'}
      </p>
      <p class="muted">{reason()}</p>
      <button type="button" class="btn block" onClick={() => props.retry()}>
        Try again
      </button>
    </div>
  );
}
