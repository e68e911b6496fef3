import { For, Show } from 'solid-js';
import { ScreenHeader } from '../ui/common';
import { href } from '../ui/router';
import { SECTIONS, TABS } from './sections';
import { useSession } from '../ui/session';

/** Every register that is not on the tab bar. */
export function MoreScreen() {
  const session = useSession();
  // Member roles: a section this device may not open is left out, and the list says why (src/domain/permissions.ts).
  const all = SECTIONS.filter((s) => !(TABS as readonly string[]).includes(s.section));
  const rest = () => all.filter((s) => session.access.can(`open:${s.section}`));
  const hidden = () => SECTIONS.filter((s) => !session.access.can(`open:${s.section}`));
  return (
    <>
      <ScreenHeader title="More" />
      <ul class="list">
        <For each={rest()}>
          {(s) => (
            <li>
              <a class="list-item" href={href(s.section)}>
                <svg class="list-icon" viewBox="0 0 24 24" aria-hidden="true"><path d={s.icon} /></svg>
                <div class="grow">
                  <div class="title">{s.label}</div>
                  <div class="muted">{s.blurb}</div>
                </div>
              </a>
            </li>
          )}
        </For>
      </ul>
      <Show when={hidden().length > 0}>
        <p class="muted center" data-testid="more-hidden">
          Not on this device: {hidden().map((s) => s.label).join(', ')}. {session.access.role() === 'staff' ? 'Staff see their own records; managers their team’s; owners everything.' : 'Only owners open these.'}
        </p>
      </Show>
    </>
  );
}
