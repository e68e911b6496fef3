import { type Component, createMemo, createSignal, lazy, Match, onMount, Show, Switch } from 'solid-js';
import { deviceIdentity } from '../store/device';
import type { DeviceRecord, WorkspaceRecord } from '../store/device-records';
import type { OpenWorkspace } from '../store/open-workspace';
import { currentWorkspace, type JoinInvite, joinWorkspace, parseJoinFragment, rememberCurrent, createWorkspace } from '../store/workspace';
import { LoadFailed } from '../ui/LoadFailed';
import { homeSettled } from './home-settled';

// The app's stylesheet is not render-blocking: index.html's <style> draws the splash; every other screen waits for it.
const styles = import('../ui/styles.css');
// Only a first visit needs the welcome screen; only an open workspace needs the shell (and Yjs).
const Welcome = lazy(() => import('./Welcome'));
const Shell = lazy(() => import('./Shell'));
// A register's public page needs no workspace on the device: `src/registers/<name>/PublicPage.tsx`, opened at
// `#<name>?…` (the speak-up page, #speakup?w=…&t=…&r=…). Found by glob, so the first chunk names no register.
const PUBLIC_PAGES = import.meta.glob<{ default: Component }>('../registers/*/PublicPage.tsx');
const publicPage = Object.entries(PUBLIC_PAGES).find(([path]) => location.hash.startsWith(`#${path.split('/')[2]}?`))?.[1];
const PublicPage = lazy(publicPage ?? (async () => ({ default: () => null })));
// An auditor who is not in any workspace can still check an evidence pack (#/verify).
const Verify = lazy(() => import('../export/VerifyScreen'));
// The service worker's registration and update check (workbox-window): an installed worker serves this load without
// it, so a returning member's Home does not wait on it; it registers once Home has settled (src/ui/home-settled.ts).
const UpdatePrompt = lazy(() => import('./UpdatePrompt').then((m) => ({ default: m.UpdatePrompt })));

type AppState =
  | { kind: 'loading' }
  | { kind: 'welcome'; invite?: JoinInvite; inviteError?: string }
  | { kind: 'open'; ws: WorkspaceRecord; device: DeviceRecord; open: OpenWorkspace }
  | { kind: 'failed'; message: string }
  /** The workspace is on the device but the code to open it did not load: say so, and try again. */
  | { kind: 'unloaded'; error: unknown; retry: () => void }
  | { kind: 'public' }
  | { kind: 'verify' };

export function App() {
  const [state, setNow] = createSignal<AppState>({ kind: 'loading' });
  // index.html's splash stays until the stylesheet and the next screen's chunk are here, and goes in the task that
  // draws that screen: no blank frame, and a returning member never sees the welcome form.
  const CHUNK = { welcome: Welcome, open: Shell, public: PublicPage, verify: Verify } as const;
  const setState = async (next: AppState) => {
    await styles;
    if (next.kind in CHUNK) await CHUNK[next.kind as keyof typeof CHUNK].preload();
    setNow(next);
    document.getElementById('splash')?.remove();
  };
  // A public reporter's visit installs no service worker and leaves no offline copy behind.
  const publicVisit = !!publicPage;
  // Once registered it stays (a welcome form that opens a workspace keeps its "ready offline" news).
  const updates = createMemo((shown: boolean) => shown || (!publicVisit && state().kind !== 'loading' && (state().kind !== 'open' || homeSettled())), false);
  let device: DeviceRecord;

  async function open(ws: WorkspaceRecord, orgNameToSet?: string) {
    rememberCurrent(ws.id);
    const [{ loadWorkspace }] = await Promise.all([import('./open-session'), Shell.preload()]);
    const docs = await loadWorkspace(ws, orgNameToSet);
    if (location.hash.startsWith('#join') || !location.hash) history.replaceState(null, '', '#/home');
    setState({ kind: 'open', ws, device, open: docs });
  }

  const openOrOffer = (ws: WorkspaceRecord): Promise<void> => open(ws).catch((error: unknown) => setState({ kind: 'unloaded', error, retry: () => void openOrOffer(ws) }));

  onMount(async () => {
    // Before anything is created on this device: a public reporter leaves no device identity behind.
    if (publicVisit) return setState({ kind: 'public' });
    try {
      device = await deviceIdentity();
      const invite = parseJoinFragment(location.hash);
      if (invite && 'error' in invite) return setState({ kind: 'welcome', inviteError: invite.error });
      if (invite) return setState({ kind: 'welcome', invite });
      const ws = await currentWorkspace();
      if (ws) return await openOrOffer(ws);
      const showVerifyOrWelcome = () => setState(location.hash === '#/verify' ? { kind: 'verify' } : { kind: 'welcome' });
      showVerifyOrWelcome();
      // Without a workspace the shell's router is not loaded: follow the Welcome ⇄ Verify links here.
      const onHash = () => {
        const k = state().kind;
        if (k === 'welcome' || k === 'verify') showVerifyOrWelcome();
      };
      window.addEventListener('hashchange', onHash);
    } catch (e) {
      setState({ kind: 'failed', message: e instanceof Error ? e.message : String(e) });
    }
  });

  return (
    <>
      <Switch>
        <Match when={state().kind === 'public'}>
          <PublicPage />
        </Match>
        <Match when={state().kind === 'verify'}>
          <main class="welcome">
            <Verify />
            <p class="muted">
              <a href="#">Back to Muster</a>
            </p>
          </main>
        </Match>
        <Match when={state().kind === 'unloaded' && (state() as Extract<AppState, { kind: 'unloaded' }>)} keyed>
          {(s) => (
            <main class="welcome">
              <LoadFailed what="Your workspace" error={s.error} retry={s.retry} />
            </main>
          )}
        </Match>
        <Match when={state().kind === 'failed'}>
          <div class="splash" role="alert">
            Muster could not open this device’s storage: {(state() as { message: string }).message}. Private browsing can block storage; try a normal window.
          </div>
        </Match>
        <Match when={state().kind === 'welcome'}>
          <Welcome
            {...(() => {
              const s = state() as Extract<AppState, { kind: 'welcome' }>;
              return { invite: s.invite, inviteError: s.inviteError };
            })()}
            onCreate={async (orgName, memberName, code) => open(await createWorkspace(orgName, memberName, undefined, { baseUrl: location.origin, ...(code ? { code } : {}) }), orgName)}
            onJoin={async (invite, memberName) => open(await joinWorkspace(invite, memberName))}
          />
        </Match>
        <Match when={state().kind === 'open' && (state() as Extract<AppState, { kind: 'open' }>)} keyed>
          {(s) => <Shell ws={s.ws} device={s.device} open={s.open} />}
        </Match>
      </Switch>
      <Show when={updates()}>
        <UpdatePrompt />
      </Show>
    </>
  );
}
