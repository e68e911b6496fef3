import type { Component } from 'solid-js';
import type { RightRule } from '../domain/evidence-trust';
import type { Gap } from '../domain/gaps';
import type { Role } from '../domain/permissions';
import type { DueAction, Duty } from '../domain/schedules';
import type { WorkspaceDocs } from '../store/open-workspace';
import type { RegisterName } from '../store/registers';
import type { RegisterStores, Session } from './session';

/**
 * Who may read and write a register's relay room, by the device's role in the signed member list (issue 18). The
 * relay enforces it from server/room-access.json, written from these declarations (`npm run room-access`).
 * `read` defaults to every role; `write` to `{ owner: 'any' }`. A role missing from `write` only reads;
 * `own-entries`: it may only add evidence entries (and their signatures) on its own device's chain.
 */
export interface RoomAccess {
  read?: readonly Role[];
  write?: Partial<Record<Role, 'any' | 'own-entries'>>;
  /**
   * Each record and entry is of one person (src/domain/audience.ts: its `personId` or `partyPersonId`) or of no
   * one. A member of staff's device receives its own person's and, with 'person', no one's (a course, a competence);
   * with 'person-only', not those either (an agreement with a supplier). Nothing of a colleague's
   * (server/audience.ts); owners, managers and officers receive all. 'directory': see `private`.
   */
  audience?: 'person' | 'person-only' | 'directory';
  /**
   * With `audience: 'directory'` (People): each record is a person (its id), its other fields public to every reader,
   * these fields only to the person's own devices and to owners, managers and officers.
   */
  private?: readonly string[];
}

/**
 * What a register tells the app about itself: one `register.ts` in its folder,
 * `export const register = defineRegister({...})`. The app collects them by
 * glob (src/ui/registry.ts) and derives from them the documents it opens and
 * syncs, the stores of the session, the sections and who may open them.
 */
export interface RegisterDescriptor {
  /** Folder and document name, e.g. "checklists". */
  name: string;
  /** How the register is named to a person (backup summary, verifier messages). */
  label: string;
  /** Its Yjs document (one relay room each, "<workspace>.<name>"); a register without one only reads others (Due). */
  document?: { name: RegisterName; /** Synced before the others: Home reads it. */ home?: boolean; access?: RoomAccess };
  /** Its stores on the session (`useSession()[key]`), made from its document once the workspace opens. */
  stores?: readonly StoreEntry[];
  /** Its screens, as sections of the app (lazy chunks). */
  sections?: readonly SectionEntry[];
  /** What the device that creates a workspace writes first (joiners receive it by sync), e.g. the standard roles. */
  seed?(docs: WorkspaceDocs): void;
  /** Runs once the session's stores exist, inside its owner (effects live as long as the session). */
  start?(s: Session): void;
  /** What it adds to other registers' screens, by slot (read with `contributions`, src/ui/slots.tsx). */
  contributes?: { readonly [K in keyof Slots]?: Slots[K] };
  /** What the register adds to Home (src/app/dashboard/collect.ts): its rules, in its model, read from the live session. */
  health?: HealthEntry;
  /** What the register adds to Due (src/registers/due/collect.ts): its duties and open actions, by its own rules, from the live session. */
  due?: DueEntry;
  /** Who may sign each kind of its evidence entries (its rights.ts, issue 17; a chunk loaded after Home): an entry whose signer lacked the right is flagged, not counted. */
  rights?: () => Promise<{ rights: Readonly<Record<string, RightRule>> }>;
  /** Sections that list its entries that do not count (src/app/NotCounted.tsx); default its own sections. */
  notCountedIn?: readonly string[];
}

export interface DueEntry {
  /** Its recurring duties on `today`. Call inside a memo: it reads the stores (one memo per register, so an edit elsewhere does not recompute it). */
  duties?(s: Session, today: string): Duty[];
  /** Its open actions with a due date (`actionDuties` schedules them). */
  actions?(s: Session): DueAction[];
}

/** A headline figure: done of total, and the whole percent when there is anything to count. */
export interface Rate {
  done: number;
  total: number;
  percent?: number | undefined;
}

export interface HealthEntry {
  /** Position of its gaps among the others' on Home, lower first. */
  order: number;
  /** Gaps of the people the viewer may see (staff their own, managers their team's: src/domain/permissions.ts). Call inside a memo: it reads the stores. */
  gaps?(s: Session, today: string): Gap[];
  /** A headline rate on Home, under its key ('ack', 'training'). */
  rate?: { key: string; of(s: Session, today: string): Rate };
}

/**
 * Places in a register's screens that other registers fill, so that the
 * screen names none of them. Empty here: the register whose screen has the
 * slot declares it in its register.ts (`declare module '../../ui/register' {
 * interface Slots { 'role-detail': Panel<{ role: SecurityRole }> } }`).
 */
// biome-ignore lint: an interface that registers extend by declaration merging
export interface Slots {}

/** A contributed panel: its own chunk, loaded when the screen that shows it loads. */
export type Panel<P extends Record<string, unknown>> = () => Promise<{ default: Component<P> }>;

export type StoreEntry = {
  [K in keyof RegisterStores]:
    | { key: K; /** Made at once: Home reads it. */ when: 'home'; create(s: Session): RegisterStores[K] }
    | {
        key: K;
        /** Loaded a second after Home is synced, or when a screen needs it: a dynamic import keeps its code out of Home's path. */
        when: 'later';
        /** Resolves to the factory, which the session then calls inside its owner. */
        load(): Promise<(s: Session) => RegisterStores[K]>;
      };
}[keyof RegisterStores];

export interface SectionEntry {
  section: string;
  label: string;
  /** SVG path, 24×24, stroked. */
  icon: string;
  /** What the section is for, on the More screen. */
  blurb: string;
  screen: () => Promise<{ default: Component }>;
  /** Roles that may open it; owners only when left out (src/domain/permissions.ts). */
  roles?: readonly Role[];
  /** Position on the More screen and in the tab bar, lower first. */
  order: number;
  /** On the tab bar (what a manager opens during a briefing). */
  tab?: true;
  /** Reads a store loaded after Home (`when: 'later'`), e.g. Settings' backup panel. */
  later?: true;
}

export const defineRegister = <D extends RegisterDescriptor>(d: D): D => d;
