import { type Accessor, createEffect, createMemo, on } from 'solid-js';
import { badgeCount } from '../../domain/schedules';
import { createDue, createToday, type DueSession } from './collect';

/** The Badging API where the browser has it (Chromium-based browsers for installed PWAs, Safari 16.4+). */
export interface BadgeNavigator {
  setAppBadge?: (contents?: number) => Promise<void>;
  clearAppBadge?: () => Promise<void>;
}

export const supportsBadge = (nav: BadgeNavigator | undefined): nav is Required<BadgeNavigator> =>
  !!nav && typeof nav.setAppBadge === 'function' && typeof nav.clearAppBadge === 'function';

/**
 * Shows `count` on the app icon, or clears the badge at 0. Does nothing where
 * the API is missing; a refusal (not installed, no permission) is ignored: the
 * badge is a convenience, the Due screen is the record.
 */
export async function applyBadge(nav: BadgeNavigator | undefined, count: number): Promise<void> {
  if (!supportsBadge(nav)) return;
  try {
    if (count > 0) await nav.setAppBadge(count);
    else await nav.clearAppBadge();
  } catch {
    // NotAllowedError and friends: nothing to do.
  }
}

/** Keeps the app badge equal to `count()`, calling the API only when the number changes. */
export function createBadgeSync(count: Accessor<number>, nav: BadgeNavigator | undefined = globalThis.navigator as BadgeNavigator | undefined): void {
  if (!supportsBadge(nav)) return;
  createEffect(on(count, (n) => void applyBadge(nav, n)));
}

/**
 * The app icon's badge: the number of duties overdue or due this week,
 * computed on this device from the local registers (works offline; no push).
 * Call once inside the workspace shell, where the session lives; it stops
 * with the shell. Where the browser has no Badging API it computes nothing.
 * Returns the count it shows.
 *
 * @example
 * // src/ui/Shell.tsx, after `const session = createSession(...)`:
 * createDueBadge(session);
 */
export function createDueBadge(session: DueSession, nav: BadgeNavigator | undefined = globalThis.navigator as BadgeNavigator | undefined): Accessor<number> {
  if (!supportsBadge(nav)) return () => 0;
  const today = createToday();
  const duties = createDue(session, today);
  const count = createMemo(() => badgeCount(duties()));
  createBadgeSync(count, nav);
  return count;
}
