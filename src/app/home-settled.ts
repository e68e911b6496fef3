import { createSignal } from 'solid-js';

/**
 * Whether the open workspace's Home has settled: synced (and a second more), offline, refused, or 5 s on
 * (src/ui/session.tsx). What a returning member's Home does not need waits for it, e.g. the service worker's
 * update check (src/ui/App.tsx).
 */
export const [homeSettled, settleHome] = createSignal(false);
