import { createMemo, For, Show } from 'solid-js';
import { formatInstant } from '../domain/dates';
import { createDocView } from '../store/reactive';
import type { RegisterName } from '../store/registers';
import { REGISTER_LABELS } from '../ui/registry';
import { useSession } from '../ui/session';

/*
 * The entries of a section's registers that do not count (issue 17: "shown
 * flagged and left out of every figure, never silently dropped"): a signature
 * that does not verify, a signer without the right at the time, an entry no
 * member's device signed. The Shell shows this above the screen only when a
 * document has such an entry (src/ui/registry.ts NOT_COUNTED_IN); every
 * list, status and figure already leaves them out (src/store/reactive.ts).
 */

const KINDS: Readonly<Record<string, string>> = {
  signoff: 'Sign-off',
  correction: 'Correction',
  completion: 'Training completion',
  acknowledgement: 'Acknowledgement',
  publication: 'Policy publication',
  review: 'Review',
  approval: 'Approval',
  sealed: 'Sealed entry',
};

const str = (v: unknown) => (typeof v === 'string' ? v : '');

export default function NotCounted(props: { registers: readonly RegisterName[] }) {
  const s = useSession();
  // The section's registers change as a person moves between sections: the views are made anew (and the old ones'
  // observers dropped) with them.
  const views = createMemo(() =>
    props.registers.flatMap((name) => {
      const doc = s.docs[name];
      return doc ? [{ name, view: createDocView(doc) }] : [];
    }),
  );
  const rows = createMemo(() =>
    views().flatMap(({ name, view }) =>
      view.flagged().map((f) => {
        const e = f.entry;
        const kind = KINDS[str(e['kind'])] ?? 'Entry';
        const person = str(e['personId']) ? s.people.nameOf(str(e['personId'])) : '';
        const at = str(e['at']);
        return {
          id: `${name}.${str(e['id'])}`,
          what: `${REGISTER_LABELS[name]}: ${kind}${person ? ` for ${person}` : ''}`,
          by: [str(e['byName']) && `by ${str(e['byName'])}`, at && formatInstant(at)].filter(Boolean).join(' · '),
          reason: f.verdict.reason,
        };
      }),
    ),
  );
  const n = () => rows().length;
  return (
    <Show when={n() > 0}>
      <section class="banner warn not-counted" data-testid="not-counted" aria-live="polite">
        <details>
          <summary>
            <strong>
              {n() === 1 ? '1 entry here does not count' : `${n().toLocaleString('en-GB')} entries here do not count`}
            </strong>
            <span class="not-counted-why">{n() === 1 ? ': it is left out of every figure.' : ': they are left out of every figure.'} Tap to see why.</span>
          </summary>
          <ul class="not-counted-list">
            <For each={rows()}>
              {(r) => (
                <li data-testid="not-counted-entry">
                  <strong>{r.what}</strong>
                  <Show when={r.by}>
                    <span class="muted"> · {r.by}</span>
                  </Show>
                  <div class="field-error">Not counted: {r.reason}</div>
                </li>
              )}
            </For>
          </ul>
        </details>
      </section>
    </Show>
  );
}
