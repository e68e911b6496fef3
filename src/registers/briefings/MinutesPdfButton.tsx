import { createSignal, Show } from 'solid-js';
import { downloadBytes } from '../../evidence/download';
import { slug } from '../../evidence/names';
import { useSession } from '../../ui/session';
import type { Briefing } from './model';

/** "Export minutes as PDF": one page to attach to an email. pdf-lib loads only when tapped. */
export function MinutesPdfButton(props: { briefing: Briefing }) {
  const s = useSession();
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string>();
  const run = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const { briefingMinutesPdf } = await import('./minutes-pdf');
      const b = props.briefing;
      const bytes = await briefingMinutesPdf({
        organisation: s.settings.orgName(),
        briefing: b,
        nameOf: s.people.nameOf,
        signOff: s.briefings.signOffState(b),
        generatedAt: new Date().toISOString(),
        generatedBy: s.signer().name,
      });
      downloadBytes(`muster-briefing-${slug(b.team, 'team')}-${b.date}.pdf`, bytes, 'application/pdf');
    } catch (e) {
      setError(`The PDF could not be made: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="card">
      <button class="btn block" type="button" disabled={busy()} onClick={run}>{busy() ? 'Making the PDF…' : 'Export minutes as PDF'}</button>
      <Show when={error()}>
        <p class="field-error" role="alert">{error()}</p>
      </Show>
    </section>
  );
}
