import { type Accessor, createContext, useContext } from 'solid-js';
import type { SectionRules } from '../domain/permissions';
import type { Source } from '../evidence/context';
import type { DeviceKeyRecord, DeviceRecord, WorkspaceRecord } from '../store/device-records';
import type { WorkspaceDocs } from '../store/open-workspace';
import type { RegisterName } from '../store/registers';
import type { Signer } from '../store/signoffs';
import type { RoomSync } from '../sync/room-sync';
import type { WorkspaceSyncState } from '../sync/workspace-sync';

/** What every screen may ask of the open workspace, whatever the register (made in src/app/session.tsx). */
export interface SessionCore {
  workspace: Accessor<WorkspaceRecord>;
  device: DeviceRecord;
  sync: Accessor<WorkspaceSyncState>;
  /** Who signs on this device: the name it signs with, and the person it is linked to. */
  signer: Accessor<Signer>;
  deviceKeys: Accessor<DeviceKeyRecord | undefined>;
  docs: WorkspaceDocs;
  /** Deletes these registers' copies on this device (their documents stop saving): the next start syncs them afresh. */
  forget(registers: readonly RegisterName[]): Promise<void>;
  /** The documents as the evidence pack reads them (registers' readers: `s.source.read(readChecklists)`). */
  source: Source;
  /** Who may open which section (src/ui/registry.ts). */
  sectionRules: SectionRules;
  /** The running sync, once its code has loaded: to adopt a rotated workspace secret. */
  syncHandle(): { adopt(secret: string, epoch: number, contentKeys?: readonly string[]): Promise<void>; rooms: ReadonlyMap<string, RoomSync> } | undefined;
  /** Whether the stores loaded after Home are here, and a way to ask for them now. */
  laterReady(): boolean;
  /** Why the stores loaded after Home did not load (their chunk failed), until `loadLater` tries again. */
  laterError(): unknown;
  loadLater(): Promise<void>;
  setMemberName(name: string): Promise<string | undefined>;
}

/**
 * The registers' stores on the session. Empty here: each register adds its own
 * from its folder (`declare module '../../ui/session' { interface RegisterStores
 * { checklists: ChecklistStore } }` in its register.ts).
 */
// biome-ignore lint: an interface that registers extend by declaration merging
export interface RegisterStores {}

/** Everything a screen needs about the open workspace. */
export type Session = SessionCore & RegisterStores;

const SessionContext = createContext<Session>();
export const SessionProvider = SessionContext.Provider;

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside a workspace');
  return s;
}
