import * as Y from 'yjs';
import { DEFAULT_ROLES } from '../registers/roles/model';
import { REGISTERS } from '../ui/registry';
import type { RegisterName } from '../store/registers';
import { type BackupSummary, countDoc, type ParsedBackup, type RegisterCount } from './backup';

/*
 * Applies a parsed (fully validated) backup into the open workspace's register
 * documents. The updates are Yjs updates: applying merges them with what is
 * there, and applying the same backup twice changes nothing.
 */

export type Docs = Partial<Record<RegisterName, Y.Doc>>;

/** Transaction origin of a restore, so observers can tell it from an edit. */
export const RESTORE_ORIGIN = 'muster-restore';

/** The settings record that every new workspace has (its name); it does not make a workspace "not empty". */
const SETTINGS_ORG = 'org';

/** The default security roles a new workspace is seeded with (src/registers/roles/seed.ts), by record id. */
const SEEDED_ROLES = new Map(DEFAULT_ROLES.map((r) => [`role-${r.key}`, { name: r.name, responsibilities: r.responsibilities, archived: false }]));

/** A record every new workspace starts with, not edited since: the workspace name, or an untouched default role. */
function isStarterRecord(register: RegisterName, id: string, record: unknown): boolean {
  if (register === 'settings') return id === SETTINGS_ORG;
  if (register !== 'roles') return false;
  const seeded = SEEDED_ROLES.get(id);
  if (!seeded || !(record instanceof Y.Map)) return false;
  const fields = record.toJSON() as Record<string, unknown>;
  return Object.keys(fields).length === 3 && fields['name'] === seeded.name && fields['responsibilities'] === seeded.responsibilities && fields['archived'] === false;
}

/**
 * The members register lists the devices of one workspace: every device
 * registers itself on opening, so it never makes a workspace "not empty", and
 * another workspace's devices are not restored into this one (only a backup of
 * this same workspace merges it back).
 */
const WORKSPACE_OWN: ReadonlySet<RegisterName> = new Set(['members']);

/** True when no register holds any record or entry beyond what a new workspace starts with (its name, the default roles, its devices). */
export function isWorkspaceEmpty(docs: Docs): boolean {
  for (const r of REGISTERS) {
    const doc = docs[r];
    if (!doc || WORKSPACE_OWN.has(r)) continue;
    if (doc.getMap('entries').size > 0) return false;
    for (const [id, record] of doc.getMap('records')) if (!isStarterRecord(r, id, record)) return false;
  }
  return true;
}

export interface RestorePlan {
  /**
   * 'merge': a backup of this same workspace; 'fill': another workspace's backup into this empty one;
   * 'refill': a backup of the workspace this one was filled from before (restoring again, or a newer backup of it).
   */
  kind: 'merge' | 'fill' | 'refill';
  summary: BackupSummary;
}

/**
 * True when this workspace already holds data written by the same Yjs clients as the backup:
 * it was filled from (an earlier backup of) the backup's workspace. Client ids are random per device session.
 */
export function holdsDataFrom(parsed: ParsedBackup, docs: Docs): boolean {
  for (const r of REGISTERS) {
    const update = parsed.updates[r];
    const doc = docs[r];
    if (!update || !doc || WORKSPACE_OWN.has(r)) continue;
    const theirs = Y.decodeStateVector(Y.encodeStateVectorFromUpdate(update));
    const ours = Y.decodeStateVector(Y.encodeStateVector(doc));
    for (const [client, clock] of theirs) if (clock > 0 && (ours.get(client) ?? 0) > 0) return true;
  }
  return false;
}

/** Whether this backup may be restored here; an error message when not. Changes nothing. */
export function planRestore(parsed: ParsedBackup, current: { workspaceId: string; docs: Docs }): { ok: true; value: RestorePlan } | { ok: false; error: string } {
  const summary = parsed.backup.summary;
  if (parsed.backup.workspace.id === current.workspaceId) return { ok: true, value: { kind: 'merge', summary } };
  if (isWorkspaceEmpty(current.docs)) return { ok: true, value: { kind: 'fill', summary } };
  if (holdsDataFrom(parsed, current.docs)) return { ok: true, value: { kind: 'refill', summary } };
  return {
    ok: false,
    error: `This backup is of another workspace (“${parsed.backup.workspace.orgName}”) and this workspace already holds records. Restore it into a new, empty workspace instead. Nothing was restored.`,
  };
}

export type RestoreAdded = Partial<Record<RegisterName, RegisterCount>>;

export interface RestoreResult {
  /** Records and entries that were not here before, per register (registers with nothing new left out). */
  added: RestoreAdded;
  /** Registers whose document changed at all (new records, or new field values on existing ones). */
  changed: RegisterName[];
}

/**
 * Applies a parsed backup. Call `planRestore` first; this checks again and throws
 * without touching anything if the restore is not allowed.
 * When filling an empty workspace, the workspace keeps its own name.
 */
export function applyBackup(parsed: ParsedBackup, current: { workspaceId: string; docs: Docs }): RestoreResult {
  const plan = planRestore(parsed, current);
  if (!plan.ok) throw new Error(plan.error);
  const added: RestoreAdded = {};
  const changed: RegisterName[] = [];
  // Keep this workspace's own name when the backup comes from another workspace.
  const settings = current.docs.settings;
  const ownName = plan.value.kind !== 'merge' && settings ? (settings.getMap<Y.Map<unknown>>('records').get(SETTINGS_ORG)?.get('name') as string | undefined) : undefined;

  for (const r of REGISTERS) {
    const update = parsed.updates[r];
    const doc = current.docs[r];
    if (!update || !doc) continue;
    if (WORKSPACE_OWN.has(r) && plan.value.kind !== 'merge') continue;
    const before = countDoc(doc);
    const recordIds = new Set(doc.getMap('records').keys());
    const entryIds = new Set(doc.getMap('entries').keys());
    const stateBefore = Y.encodeStateVector(doc);
    Y.applyUpdate(doc, update, RESTORE_ORIGIN);
    // Only on the first fill: later, a same-id record here may hold edits made since, which Yjs merges normally.
    if (plan.value.kind === 'fill') keepBackupValues(r, doc, update, recordIds);
    const after = countDoc(doc);
    const newRecords = [...doc.getMap('records').keys()].filter((k) => !recordIds.has(k)).length;
    const newEntries = [...doc.getMap('entries').keys()].filter((k) => !entryIds.has(k)).length;
    if (newRecords || newEntries) added[r] = { records: newRecords, entries: newEntries };
    if (!sameBytes(stateBefore, Y.encodeStateVector(doc)) || after.records !== before.records || after.entries !== before.entries) changed.push(r);
  }

  if (ownName !== undefined && settings) {
    const org = settings.getMap<Y.Map<unknown>>('records').get(SETTINGS_ORG);
    if (org && org.get('name') !== ownName) settings.transact(() => org.set('name', ownName), RESTORE_ORIGIN);
  }
  return { added, changed };
}

/**
 * Another workspace's backup into this one: where both have a record under the same id
 * (the default roles every new workspace starts with), Yjs keeps one of the two at random.
 * Make the backup's fields win, so what was backed up is what is restored; the workspace
 * keeps its own name. Writes only fields that differ, so a second restore writes nothing.
 */
function keepBackupValues(register: RegisterName, doc: Y.Doc, update: Uint8Array, hadIds: Set<string>): void {
  const scratch = new Y.Doc();
  try {
    Y.applyUpdate(scratch, update);
    const theirs = scratch.getMap<Y.Map<unknown>>('records');
    const ours = doc.getMap<Y.Map<unknown>>('records');
    doc.transact(() => {
      for (const [id, record] of theirs) {
        if (!hadIds.has(id) || (register === 'settings' && id === SETTINGS_ORG)) continue;
        const target = ours.get(id);
        if (!target || !(record instanceof Y.Map)) continue;
        for (const [k, v] of Object.entries(record.toJSON() as Record<string, unknown>)) {
          if (!sameValue(target.get(k), v)) target.set(k, v);
        }
      }
    }, RESTORE_ORIGIN);
  } finally {
    scratch.destroy();
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof Y.AbstractType) a = a.toJSON();
  if (a && b && typeof a === 'object' && typeof b === 'object') return JSON.stringify(a) === JSON.stringify(b);
  return false;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
