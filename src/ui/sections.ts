import { type Component, lazy } from 'solid-js';

export interface Section {
  section: string;
  label: string;
  /** SVG path, 24×24, stroked. */
  icon: string;
  /** What the section is for, on the More screen. */
  blurb: string;
  screen: Component;
  /** Reads the registers loaded after Home (speak-up, disciplinary, resources: src/ui/session-later.ts), e.g. Settings' backup panel. */
  later?: true;
}

// Every screen is a lazy chunk: the first load carries only the shell and the
// screen it opens on; the service worker precaches the rest for offline use.
const screen = (load: () => Promise<{ default: Component }>) => lazy(load);

export const SECTIONS: readonly Section[] = [
  { section: 'home', label: 'Home', icon: 'M3 11l9-7 9 7v9h-6v-6H9v6H3z', blurb: 'Gaps per person and team', screen: screen(() => import('./dashboard/DashboardScreen')) },
  { section: 'checklists', label: 'Checklists', icon: 'M4 5h16M4 12h16M4 19h10', blurb: 'Monthly manager checklist', screen: screen(() => import('../registers/checklists/ChecklistsScreen')) },
  { section: 'briefings', label: 'Briefings', icon: 'M5 4h14v16H5zM8 8h8M8 12h8M8 16h5', blurb: 'Briefing minutes', screen: screen(() => import('../registers/briefings/BriefingsScreen')) },
  { section: 'people', label: 'People', icon: 'M8 11a3 3 0 1 0 0-6 3 3 0 0 0 0 6zm8 0a3 3 0 1 0 0-6M2 20c0-3 3-5 6-5s6 2 6 5m2-5c3 0 6 2 6 5', blurb: 'People and teams', screen: screen(() => import('../registers/people/PeopleScreen')) },
  { section: 'speakup', label: 'Speak up', icon: 'M3 10v4h3l6 4V6l-6 4zM15.5 9a3.5 3.5 0 0 1 0 6M18 6a7.5 7.5 0 0 1 0 12', blurb: 'Report a concern anonymously; follow up with your receipt', screen: screen(() => import('../registers/speakup/Screen')), later: true },
  { section: 'my-policies', label: 'My policies', icon: 'M6 3h9l3 3v15H6zM9 12l2 2 4-4', blurb: 'Read and acknowledge the policies that apply to you', screen: screen(() => import('../registers/acknowledgements/Screen')) },
  { section: 'policies', label: 'Policies', icon: 'M6 3h9l3 3v15H6zM9 9h6M9 13h6M9 17h4', blurb: 'Policy list, versions, reviews, acknowledgements', screen: screen(() => import('../registers/policies/Screen')) },
  { section: 'training', label: 'Training', icon: 'M2 9l10-5 10 5-10 5zM6 11v5c3 2 9 2 12 0v-5', blurb: 'Training log and renewals', screen: screen(() => import('../registers/training/Screen')) },
  { section: 'competency', label: 'Competency', icon: 'M12 3l2.5 5 5.5.8-4 3.9.9 5.5-4.9-2.6-4.9 2.6.9-5.5-4-3.9 5.5-.8z', blurb: 'Competences per security role, and gaps', screen: screen(() => import('../registers/competency/Screen')) },
  { section: 'roles', label: 'Roles & RACI', icon: 'M4 4h7v7H4zM13 4h7v7h-7zM4 13h7v7H4zM13 13h7v7h-7z', blurb: 'Security roles, holders and the RACI matrix', screen: screen(() => import('../registers/roles/Screen')) },
  { section: 'agreements', label: 'Agreements', icon: 'M5 3h10l4 4v14H5zM8 17c2-3 3 1 5-2', blurb: 'Contracts and agreements with security clauses', screen: screen(() => import('../registers/agreements/Screen')) },
  { section: 'due', label: 'Due', icon: 'M12 7v5l3 2M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18z', blurb: 'What is due: overdue, this week, this month', screen: screen(() => import('../registers/due/Screen')) },
  { section: 'reviews', label: 'Management reviews', icon: 'M4 5h16v11H9l-5 4zM8 9h8M8 12h5', blurb: 'Quarterly reviews (Clause 9.3): inputs, KPIs, decisions, actions', screen: screen(() => import('../registers/reviews/Screen')), later: true },
  { section: 'resources', label: 'Resources', icon: 'M12 3v18M17 7H9.5a3 3 0 0 0 0 6h5a3 3 0 0 1 0 6H6', blurb: 'Budget, time and tools approved, by whom, when', screen: screen(() => import('../registers/resources/Screen')), later: true },
  { section: 'disciplinary', label: 'Disciplinary', icon: 'M12 3l8 4v5c0 5-3.5 8-8 9-4.5-1-8-4-8-9V7z', blurb: 'Tiered process and confidential log', screen: screen(() => import('../registers/disciplinary/Screen')), later: true },
  { section: 'members', label: 'Members', icon: 'M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM2 21c0-4 3-6 7-6s7 2 7 6M19 8v6M16 11h6', blurb: 'Devices, roles and invites; remove a device', screen: screen(() => import('../registers/members/MembersScreen')) },
  { section: 'settings', label: 'Settings', icon: 'M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM12 2v3m0 14v3M2 12h3m14 0h3M5 5l2 2m10 10 2 2M5 19l2-2m10-10 2-2', blurb: 'Workspace, devices, checklist actions, export', screen: screen(() => import('../registers/settings/SettingsScreen')), later: true },
  { section: 'export', label: 'Evidence pack', icon: 'M3 7l9-4 9 4v10l-9 4-9-4zM3 7l9 4 9-4M12 11v10', blurb: 'Export the A 5.4 evidence pack: report, CSV, records, manifest', screen: screen(() => import('../export/PackScreen')), later: true },
  { section: 'verify', label: 'Verify a pack', icon: 'M10.5 17a6.5 6.5 0 1 0 0-13 6.5 6.5 0 0 0 0 13zM15.5 15.5 21 21M7.5 10.5l2 2 3.5-3.5', blurb: 'Check that an exported evidence pack is intact, offline', screen: screen(() => import('../export/VerifyScreen')) },
];

/** The tab bar: what a manager opens during a briefing. Everything else is under More. */
export const TABS = ['home', 'checklists', 'briefings', 'people'] as const;
