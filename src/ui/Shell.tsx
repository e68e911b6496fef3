import { lazy, Match, Suspense, Switch } from 'solid-js';
import type { DeviceRecord, WorkspaceRecord } from '../store/device-db';
import type { OpenWorkspace } from '../store/open-workspace';
import { href, route } from './router';
import { createSession, SessionProvider } from './session';
import { SyncIndicator } from './SyncIndicator';
import { ChecklistsScreen } from '../registers/checklists/ChecklistsScreen';

// The home screen ships in the first load; the rest loads on first use and is precached for offline.
const BriefingsScreen = lazy(() => import('../registers/briefings/BriefingsScreen'));
const PeopleScreen = lazy(() => import('../registers/people/PeopleScreen'));
const SettingsScreen = lazy(() => import('../registers/settings/SettingsScreen'));

const NAV = [
  { section: 'checklists', label: 'Checklists', icon: 'M4 5h16M4 12h16M4 19h10' },
  { section: 'briefings', label: 'Briefings', icon: 'M5 4h14v16H5zM8 8h8M8 12h8M8 16h5' },
  { section: 'people', label: 'People', icon: 'M8 11a3 3 0 1 0 0-6 3 3 0 0 0 0 6zm8 0a3 3 0 1 0 0-6M2 20c0-3 3-5 6-5s6 2 6 5m2-5c3 0 6 2 6 5' },
  { section: 'settings', label: 'Settings', icon: 'M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM12 2v3m0 14v3M2 12h3m14 0h3M5 5l2 2m10 10 2 2M5 19l2-2m10-10 2-2' },
] as const;

export function Shell(props: { ws: WorkspaceRecord; device: DeviceRecord; open: OpenWorkspace }) {
  const session = createSession(props.ws, props.device, props.open);
  return (
    <SessionProvider value={session}>
      <div class="shell">
        <header class="topbar">
          <div class="org" data-testid="org-name">{session.settings.orgName()}</div>
          <SyncIndicator state={session.sync()} />
        </header>
        <main class="content">
          <Suspense fallback={<p class="muted center">Loading…</p>}>
            <Switch fallback={<ChecklistsScreen />}>
              <Match when={route().section === 'briefings'}><BriefingsScreen /></Match>
              <Match when={route().section === 'people'}><PeopleScreen /></Match>
              <Match when={route().section === 'settings'}><SettingsScreen /></Match>
            </Switch>
          </Suspense>
        </main>
        <nav class="tabbar" aria-label="Sections">
          {NAV.map((n) => (
            <a href={href(n.section)} class="tab" aria-current={route().section === n.section ? 'page' : undefined}>
              <svg viewBox="0 0 24 24" aria-hidden="true"><path d={n.icon} /></svg>
              <span>{n.label}</span>
            </a>
          ))}
        </nav>
      </div>
    </SessionProvider>
  );
}
