import { createEffect, createMemo, ErrorBoundary, For, lazy, Show, Suspense } from 'solid-js';
import { Dynamic } from 'solid-js/web';
import { AccessBanner, SectionRefused } from '../registers/members/AccessBanner';
import type { DeviceRecord, WorkspaceRecord } from '../store/device-records';
import type { OpenWorkspace } from '../store/open-workspace';
import { MoreScreen } from './MoreScreen';
import { href, route } from '../ui/router';
import { SECTIONS, TABS } from './sections';
import { SessionProvider } from '../ui/session';
import { createSession } from './session';
import { SyncIndicator, SyncNotice } from './SyncIndicator';
import { LoadFailed } from '../ui/LoadFailed';
import { NOT_COUNTED_IN } from '../ui/registry';
import { docFlags } from '../store/reactive';

// Listed only when a section's document has an entry that does not count (issue 17): its own chunk.
const NotCounted = lazy(() => import('./NotCounted'));

const MORE_ICON = 'M5 12h.01M12 12h.01M19 12h.01';

export default function Shell(props: { ws: WorkspaceRecord; device: DeviceRecord; open: OpenWorkspace }) {
  const session = createSession(props.ws, props.device, props.open);
  const current = createMemo(() => SECTIONS.find((s) => s.section === route().section));
  createEffect(() => current()?.later && void session.loadLater());
  // Member roles (src/domain/permissions.ts): only the sections this device's role may open.
  const tabs = createMemo(() => SECTIONS.filter((s) => (TABS as readonly string[]).includes(s.section) && session.access.can(`open:${s.section}`)));
  // The registers loaded after Home: "Loading…" while they come, what failed and a retry if they did not.
  const LaterLoading = () => (
    <Show when={session.laterError()} fallback={<p class="muted center">Loading…</p>}>
      {(error) => <LoadFailed what={current()?.label ?? 'This screen'} error={error()} retry={() => void session.loadLater()} />}
    </Show>
  );
  const notCounted = createMemo(() => (NOT_COUNTED_IN[route().section] ?? []).filter((n) => session.access.can(`open:${route().section}`) && docFlags(session.docs[n]!).size > 0));
  const inMore = () => !tabs().some((t) => t.section === route().section);
  return (
    <SessionProvider value={session}>
      <div class="shell">
        <header class="topbar">
          <div class="org" data-testid="org-name">{session.settings.orgName()}</div>
          <SyncIndicator state={session.sync()} />
        </header>
        <main class="content">
          <SyncNotice state={session.sync()} />
          <AccessBanner />
          <Show when={notCounted().length > 0}>
            <Suspense>
              <NotCounted registers={notCounted()} />
            </Suspense>
          </Show>
          {/* A screen whose chunk did not load, or that threw, says so with a retry; the rest of the shell works on,
              and another section opens afresh (the boundary is made anew per section). */}
          <Show when={route().section} keyed>
            {(_section) => <ErrorBoundary fallback={(error, reset) => <LoadFailed what={current()?.label ?? 'This screen'} error={error} retry={() => (current()?.retry(), reset())} />}>
            <Suspense fallback={<p class="muted center">Loading…</p>}>
              <Show when={!current() || session.access.can(`open:${current()!.section}`)} fallback={<SectionRefused section={current()!.section} label={current()!.label} />}>
                <Show when={!current()?.later || session.laterReady()} fallback={<LaterLoading />}>
                  <Dynamic component={current()?.screen ?? (route().section === 'more' ? MoreScreen : SECTIONS[0]!.screen)} />
                </Show>
              </Show>
            </Suspense>
          </ErrorBoundary>}
          </Show>
        </main>
        <nav class="tabbar" aria-label="Sections">
          <For each={tabs()}>
            {(n) => (
              <a href={href(n.section)} class="tab" aria-current={route().section === n.section ? 'page' : undefined}>
                <svg viewBox="0 0 24 24" aria-hidden="true"><path d={n.icon} /></svg>
                <span>{n.label}</span>
              </a>
            )}
          </For>
          <a href={href('more')} class="tab" aria-current={inMore() ? 'page' : undefined}>
            <svg viewBox="0 0 24 24" aria-hidden="true"><path d={MORE_ICON} stroke-width="3.5" /></svg>
            <span>More</span>
          </a>
        </nav>
      </div>
    </SessionProvider>
  );
}
