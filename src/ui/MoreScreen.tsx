import { For } from 'solid-js';
import { ScreenHeader } from './common';
import { href } from './router';
import { SECTIONS, TABS } from './sections';

/** Every register that is not on the tab bar. */
export function MoreScreen() {
  const rest = SECTIONS.filter((s) => !(TABS as readonly string[]).includes(s.section));
  return (
    <>
      <ScreenHeader title="More" />
      <ul class="list">
        <For each={rest}>
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
    </>
  );
}
