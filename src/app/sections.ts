import { type Component, createComponent, createSignal, lazy, mergeProps } from 'solid-js';
import { Dynamic } from 'solid-js/web';
import type { SectionEntry } from '../ui/register';
import type { Role, SectionRules } from '../domain/permissions';
import { REGISTER_SECTIONS } from '../ui/registry';

/** Sections the app itself holds (Home; Settings, whose backup covers every register; the pack; the verifier), beside the registers' own. */
export const APP_SECTIONS: readonly SectionEntry[] = [
  { section: 'home', label: 'Home', icon: 'M3 11l9-7 9 7v9h-6v-6H9v6H3z', blurb: 'Gaps per person and team', screen: () => import('./dashboard/DashboardScreen'), roles: ['owner', 'manager', 'staff'], order: 0, tab: true },
  { section: 'settings', label: 'Settings', icon: 'M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM12 2v3m0 14v3M2 12h3m14 0h3M5 5l2 2m10 10 2 2M5 19l2-2m10-10 2-2', blurb: 'Workspace, devices, checklist actions, export', screen: () => import('./SettingsScreen'), roles: ['owner', 'manager', 'staff'], order: 160, later: true },
  { section: 'export', label: 'Evidence pack', icon: 'M3 7l9-4 9 4v10l-9 4-9-4zM3 7l9 4 9-4M12 11v10', blurb: 'Export the A 5.4 evidence pack: report, CSV, records, manifest', screen: () => import('../export/PackScreen'), order: 170, later: true },
  { section: 'verify', label: 'Verify a pack', icon: 'M10.5 17a6.5 6.5 0 1 0 0-13 6.5 6.5 0 0 0 0 13zM15.5 15.5 21 21M7.5 10.5l2 2 3.5-3.5', blurb: 'Check that an exported evidence pack is intact, offline', screen: () => import('../export/VerifyScreen'), roles: ['owner', 'manager'], order: 180 },
];

/** Every section, in the order of the More screen. */
export const SECTION_ENTRIES: readonly SectionEntry[] = [...APP_SECTIONS, ...REGISTER_SECTIONS].sort((a, b) => a.order - b.order);

/** Who may open each section, and how it is named in sentences (src/domain/permissions.ts). */
export const SECTION_RULES: SectionRules = {
  roles: Object.fromEntries([...SECTION_ENTRIES.map((s) => [s.section, s.roles ?? ['owner']]), ['more', ['owner', 'manager', 'staff']]]) as Record<string, readonly Role[]>,
  labels: Object.fromEntries(SECTION_ENTRIES.map((s) => [s.section, s.label])),
};

export interface Section extends Omit<SectionEntry, 'screen'> {
  screen: Component;
  /** Loads the screen's chunk anew after it failed (Shell's "Try again"). */
  retry(): void;
}

/**
 * Every screen is a lazy chunk: the first load carries only the shell and the screen it opens on; the service
 * worker precaches the rest for offline use. A chunk that failed to load (offline before the precache, a
 * deployment that replaced it) is asked for again on retry: Solid's `lazy` keeps its first promise, so a retry
 * makes a new one.
 */
function retryable(entry: SectionEntry): Section {
  const [screen, setScreen] = createSignal<Component>(lazy(entry.screen));
  return { ...entry, screen: (props) => createComponent(Dynamic, mergeProps(props, { get component() { return screen(); } })), retry: () => setScreen(() => lazy(entry.screen)) };
}

export const SECTIONS: readonly Section[] = SECTION_ENTRIES.map(retryable);

/** The tab bar: what a manager opens during a briefing. Everything else is under More. */
export const TABS: readonly string[] = SECTION_ENTRIES.filter((s) => s.tab).map((s) => s.section);
