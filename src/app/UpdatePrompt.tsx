import { createEffect, onCleanup, Show } from 'solid-js';
import { useRegisterSW } from 'virtual:pwa-register/solid';

/** Offers the new version when the service worker has one waiting, rather than swapping code under a half-filled form. */
export function UpdatePrompt() {
  const {
    needRefresh: [needRefresh, setNeedRefresh],
    offlineReady: [offlineReady, setOfflineReady],
    updateServiceWorker,
  } = useRegisterSW({ immediate: true });
  // "Ready offline" is news once; it must not sit over the tab bar.
  createEffect(() => {
    if (!offlineReady()) return;
    const t = setTimeout(() => setOfflineReady(false), 5000);
    onCleanup(() => clearTimeout(t));
  });
  return (
    <div class="toasts" aria-live="polite">
      <Show when={needRefresh()}>
        <div class="toast" role="status">
          <span>A new version of Muster is available.</span>
          <button class="btn primary small" onClick={() => void updateServiceWorker(true)}>Reload</button>
          <button class="btn small" onClick={() => setNeedRefresh(false)}>Later</button>
        </div>
      </Show>
      <Show when={offlineReady()}>
        <div class="toast" role="status">
          <span>Muster is ready to work offline.</span>
          <button class="btn small" onClick={() => setOfflineReady(false)}>OK</button>
        </div>
      </Show>
    </div>
  );
}
