import { Show } from 'solid-js';
import { useSession } from './session';

/**
 * One line over a people-filtered list: whose records it shows, and why.
 * Nothing for owners. Reads the members register's `access` store through the
 * session, so any register's list can show it without importing members.
 */
export function ScopeNote() {
  const s = useSession();
  return (
    <Show when={!s.access.can('see-everyone')}>
      <p class="muted mb-scope" data-testid="scope-note">
        {s.access.role() === 'staff' && !s.access.person()
          ? 'This device is not linked to a person in People, so it shows nobody’s records. Ask an owner to link it.'
          : s.access.why('see-everyone')}
      </p>
    </Show>
  );
}
