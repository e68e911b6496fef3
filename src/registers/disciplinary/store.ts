import { type Accessor, createMemo } from 'solid-js';
import type * as Y from 'yjs';
import type { RegisterKeyring } from '../../store/register-keyring';
import type { Member } from '../members/model';
import type { Validated } from '../../domain/validation';
import { randomId } from '../../store/device-records';
import { createDocView } from '../../store/reactive';
import { createRecord, readFields, setFields } from '../../store/records';
import { createSealedLog } from '../../store/sealed-log';
import type { Signer } from '../../store/signoffs';
import { type EntryCodec, NO_KEY_TO_WRITE, plaintextCodec } from './codec';
import {
  canManage,
  DEFAULT_TIERS,
  type DisciplinaryEntry,
  type DisciplinarySummary,
  disciplinarySummary,
  type EntryContext,
  type EntryInput,
  isOfficer,
  logState,
  blockedDeviceIds,
  DEVICE_BLOCK_TYPE,
  entryFromJson,
  type LogEntry,
  deviceBlockFromFields,
  deviceBlockRecordId,
  type DeviceBlock,
  moveTier,
  nextTierOrder,
  NOT_MANAGER,
  NOT_OFFICER,
  type Officer,
  officerChangeProblem,
  officerFromFields,
  officerIds,
  officerRecordId,
  type Period,
  sortTiers,
  type Tier,
  tierFromFields,
  type TierInput,
  TIER_TYPE,
  OFFICER_TYPE,
  currentOfficers,
  type SignedOfficers,
  signedOfficersOf,
  validateEntry,
  validateReason,
  validateTier,
} from './model';

/**
 * Who is acting: the device's signer, and (from People) who is still active,
 * so that an officer who has left neither acts nor keeps the list closed.
 */
export interface Actor {
  signer: Signer;
  isActive?: (personId: string) => boolean;
}

/** How the log is sealed beyond the writing codec (keys.ts builds it for the session). */
export interface ConfidentialOptions {
  /** Codecs the log still READS with, never writes (plaintextCodec: entries from before encryption). */
  readOnly?: readonly EntryCodec[];
  /** The register's keyring: entries that could not be opened are tried again when its keys change; the screens show its status. */
  keyring?: RegisterKeyring;
  /** The officers' devices that can receive the key (for the Officers screen). */
  officerDevices?: Accessor<readonly Member[]>;
  /** The member list: once it is signed, its signed `officer` entries are the officers. */
  members?: SignedOfficers;
  /** Writes a signed `officer` entry (owners); resolves to why not. Used once the member list is signed. */
  signOfficer?: (personId: string, designated: boolean) => Promise<string | undefined>;
}

/**
 * The disciplinary register, bound to its document: the documented process
 * (tiers) and the officer list as plain records, and the confidential log as
 * sealed entries that only go through `codec` (codec.ts, the seam: AES-GCM
 * under the officers' register key in the app, see keys.ts).
 *
 * The log is opened only after `unlock()` — the screen calls it for officers —
 * so a device that is not an officer never tries to open an entry (and holds
 * no key to open it with).
 *
 * @example
 * const keys = createDisciplinaryKeys(docs.disciplinary, { deviceId, deviceKeys, members, people });
 * const d = createDisciplinaryStore(docs.disciplinary, keys.codec, keys);
 * d.addDefaultTiers({ signer });
 * d.setOfficer(signer.personId!, true, { signer });
 * d.unlock();
 * const r = await d.record(input, { today, tiers: d.tiers() }, { signer });
 */
export function createDisciplinaryStore(doc: Y.Doc, codec: EntryCodec = plaintextCodec, options: ConfidentialOptions = {}) {
  const view = createDocView(doc);

  // ---------- plain records: tiers and officers ----------

  const allTiers = createMemo(() =>
    sortTiers([...view.records()].filter(([, f]) => f['type'] === TIER_TYPE).map(([id, f]) => tierFromFields(id, f))),
  );
  /** The documented process: active tiers, in order. */
  const tiers = createMemo(() => allTiers().filter((t) => !t.archived));
  const tierById = createMemo(() => new Map(allTiers().map((t) => [t.id, t])));
  const officers = createMemo(() => currentOfficers(view.records().values(), signedOfficersOf(options.members)));
  const officerIdsFor = (isActive?: (personId: string) => boolean) => officerIds(officers(), isActive);
  const manageProblem = (actor: Actor) => (canManage(actor.signer.personId, officerIdsFor(actor.isActive)) ? undefined : NOT_MANAGER);
  const officerProblem = (actor: Actor) => (isOfficer(actor.signer.personId, officerIdsFor(actor.isActive)) ? undefined : NOT_OFFICER);

  const meta = (signer: Signer) => ({
    byName: signer.name,
    ...(signer.personId ? { byPersonId: signer.personId } : {}),
    at: new Date().toISOString(),
    deviceId: signer.deviceId,
  });

  // ---------- the confidential log, sealed (store/sealed-log.ts) ----------

  const sealed = createSealedLog<LogEntry>(doc, {
    codec,
    ...(options.readOnly ? { readOnly: options.readOnly } : {}),
    parse: entryFromJson,
    ...(options.keyring ? { keysChanged: options.keyring.held } : {}),
  });
  const { entries, unlocked } = sealed;
  const log = createMemo(() => logState(entries()));
  const entryById = createMemo(() => new Map(log().all.map((e) => [e.id, e])));

  /** Seals and appends; returns why not when this device cannot seal (no key yet). */
  const append = (entry: LogEntry) => sealed.append(entry, entry.deviceId);

  function checkEntry(input: EntryInput, ctx: Omit<EntryContext, 'tiers'>, actor: Actor): Validated<Omit<DisciplinaryEntry, 'id' | 'kind' | 'byName' | 'byPersonId' | 'at' | 'deviceId'>> {
    const denied = officerProblem(actor);
    if (denied) return { ok: false, errors: { _: denied } };
    return validateEntry(input, { ...ctx, tiers: tiers() });
  }

  return {
    view,
    allTiers,
    tiers,
    tierById,
    officers,
    /** Person ids that count as officers (designated, and active when `isActive` is given). */
    officerIds: officerIdsFor,

    // ----- the documented process -----

    /** The three standard tiers, offered while the process is empty. */
    addDefaultTiers(actor: Actor): string | undefined {
      const denied = manageProblem(actor);
      if (denied) return denied;
      if (allTiers().length > 0) return 'The process already has tiers.';
      const at = new Date().toISOString();
      doc.transact(() => {
        DEFAULT_TIERS.forEach((t, i) => createRecord(doc, randomId(), { type: TIER_TYPE, ...t, order: i + 1, archived: false, createdAt: at, createdBy: actor.signer.name }));
      });
      return undefined;
    },
    addTier(input: TierInput, actor: Actor): Validated<Tier> {
      const denied = manageProblem(actor);
      if (denied) return { ok: false, errors: { _: denied } };
      const r = validateTier(input, allTiers());
      if (!r.ok) return r;
      const id = randomId();
      const fields = { type: TIER_TYPE, ...r.value, order: nextTierOrder(allTiers()), archived: false, createdAt: new Date().toISOString(), createdBy: actor.signer.name };
      createRecord(doc, id, fields);
      return { ok: true, value: tierFromFields(id, fields) };
    },
    updateTier(id: string, input: TierInput, actor: Actor): Validated<Tier> {
      const denied = manageProblem(actor);
      if (denied) return { ok: false, errors: { _: denied } };
      if (readFields(doc, id)?.['type'] !== TIER_TYPE) return { ok: false, errors: { _: 'That tier is not on this device.' } };
      const r = validateTier(input, allTiers(), id);
      if (!r.ok) return r;
      setFields(doc, id, r.value);
      return { ok: true, value: tierFromFields(id, readFields(doc, id) ?? {}) };
    },
    /** Takes a tier out of the process (or puts it back). Entries keep the tier's name as recorded. */
    setTierArchived(id: string, archived: boolean, actor: Actor): string | undefined {
      const denied = manageProblem(actor);
      if (denied) return denied;
      const t = tierById().get(id);
      if (!t) return 'That tier is not on this device.';
      if (!archived && tiers().some((x) => x.id !== id && x.name.toLowerCase() === t.name.toLowerCase())) return `There is already a tier called ${t.name}.`;
      setFields(doc, id, archived ? { archived } : { archived, order: nextTierOrder(allTiers()) });
      return undefined;
    },
    moveTier(id: string, direction: -1 | 1, actor: Actor): string | undefined {
      const denied = manageProblem(actor);
      if (denied) return denied;
      const changes = moveTier(allTiers(), id, direction);
      if (changes.length === 0) return direction < 0 ? 'That tier is already first.' : 'That tier is already last.';
      doc.transact(() => {
        for (const c of changes) setFields(doc, c.id, { order: c.order });
      });
      return undefined;
    },

    // ----- officers -----

    /**
     * Designates or removes an officer, under the bootstrap rule (model.canManage); in a signed workspace as a
     * signed entry of the member list, which only an owner's device may write (the list says so if not).
     */
    setOfficer(personId: string, designated: boolean, actor: Actor): string | undefined | Promise<string | undefined> {
      const problem = officerChangeProblem(actor.signer.personId, officerIdsFor(actor.isActive), personId, designated);
      if (problem) return problem;
      if (options.members?.signed()) return options.signOfficer ? options.signOfficer(personId, designated) : 'The member list is still loading. Try again in a moment.';
      const id = officerRecordId(personId);
      const fields = { type: OFFICER_TYPE, personId, designated, ...meta(actor.signer) };
      if (readFields(doc, id)) {
        // A removal leaves no stale byPersonId behind.
        setFields(doc, id, { byPersonId: '', ...fields });
      } else {
        createRecord(doc, id, fields);
      }
      return undefined;
    },

    /** Devices an officer refused the key, with who did it and when. */
    deviceBlocks: createMemo(() => [...view.records().values()].map(deviceBlockFromFields).filter((b): b is DeviceBlock => !!b)),
    blockedDevices: createMemo(() => blockedDeviceIds(view.records().values())),
    /**
     * Refuses a device the log's key (it claims to be an officer's device but
     * is not), or allows it again. Officers only; not this device itself.
     */
    setDeviceBlocked(deviceId: string, blocked: boolean, actor: Actor): string | undefined {
      const denied = officerProblem(actor);
      if (denied) return 'Only a designated officer can change which devices hold the key.';
      if (!deviceId) return 'Choose a device.';
      if (deviceId === actor.signer.deviceId) return 'This is your own device: to give up the key, ask another officer to remove you as officer.';
      const id = deviceBlockRecordId(deviceId);
      const fields = { type: DEVICE_BLOCK_TYPE, blockedDevice: deviceId, blocked, byName: actor.signer.name, at: new Date().toISOString(), byDeviceId: actor.signer.deviceId };
      if (readFields(doc, id)) setFields(doc, id, fields);
      else createRecord(doc, id, fields);
      return undefined;
    },

    // ----- the confidential log -----

    /** Opens the log on this device (officers only: the screen decides). */
    unlock: sealed.unlock,
    /** Forgets every opened entry on this device. */
    lock: sealed.lock,
    unlocked,
    /** Resolves once every entry seen so far has been opened (or found unreadable). */
    settled: sealed.settled,
    /** Every opened entry (decisions and withdrawals), as disciplinarySummary takes them. */
    entries,
    /** The log as it stands: every decision, the current ones, corrections and withdrawals. */
    log,
    /**
     * Counts for the management review (no names), or undefined when this
     * device has not opened the log (it is not an officer's device).
     */
    summary(period: Period): DisciplinarySummary | undefined {
      return unlocked() ? disciplinarySummary(entries(), period, allTiers()) : undefined;
    },
    entryById,
    /** Stored entries this device could not open for another reason than a missing key (damaged, foreign codec). */
    unreadable: sealed.unreadable,
    /** Stored entries sealed with a key this device does not hold yet (another officer's device will share it). */
    waitingForKey: sealed.waitingForKey,
    /** Entry ids shown from the read-only plaintext codec: written before encryption, to be re-sealed. */
    unsealed: sealed.unsealed,
    /** The register's keyring (undefined with the plaintext codec alone). */
    keyring: options.keyring,
    /** The officers' devices that can receive the key. */
    officerDevices: options.officerDevices ?? ((): readonly Member[] => []),
    /** Why this device cannot add entries now (no key yet), or undefined. */
    writeProblem: (): string | undefined => {
      const st = options.keyring?.status();
      return st === 'waiting' || st === 'not-recipient' ? NO_KEY_TO_WRITE : undefined;
    },
    /**
     * Re-seals the entries written before encryption: appends a sealed copy of
     * each (stored under `sealed.<id>`), which the log shows instead of the
     * original. The base64 originals stay in the document (append-only).
     * Returns how many were re-sealed, or why not.
     */
    async reseal(actor: Actor): Promise<number | string> {
      const denied = officerProblem(actor);
      if (denied) return denied;
      return sealed.reseal(actor.signer.deviceId);
    },
    /** Sealed entries in the document, opened or not (a count is all a non-officer could learn anyway). */
    storedCount: sealed.storedCount,

    /** Appends a decision. Bad input or a non-officer writes nothing. */
    async record(input: EntryInput, ctx: Omit<EntryContext, 'tiers'>, actor: Actor): Promise<Validated<DisciplinaryEntry>> {
      const r = checkEntry(input, ctx, actor);
      if (!r.ok) return r;
      const entry: DisciplinaryEntry = { id: randomId(), kind: 'entry', ...r.value, ...meta(actor.signer) };
      const problem = await append(entry);
      return problem ? { ok: false, errors: { _: problem } } : { ok: true, value: entry };
    },
    /** Appends a new entry that supersedes `targetId`; the target is never changed. */
    async correct(targetId: string, input: EntryInput, reason: string, ctx: Omit<EntryContext, 'tiers'>, actor: Actor): Promise<Validated<DisciplinaryEntry>> {
      const denied = officerProblem(actor);
      if (denied) return { ok: false, errors: { _: denied } };
      const target = entryById().get(targetId);
      if (!target) return { ok: false, errors: { _: 'That entry is not in the log on this device.' } };
      const r = checkEntry(input, ctx, actor);
      const reasonError = validateReason(reason);
      if (!r.ok || reasonError) return { ok: false, errors: { ...(r.ok ? {} : r.errors), ...(reasonError ? { reason: reasonError } : {}) } };
      const entry: DisciplinaryEntry = { id: randomId(), kind: 'entry', ...r.value, corrects: targetId, reason: reason.trim(), ...meta(actor.signer) };
      const problem = await append(entry);
      return problem ? { ok: false, errors: { _: problem } } : { ok: true, value: entry };
    },
    /** Takes an entry recorded by mistake out of the log, with a reason. */
    async withdraw(targetId: string, reason: string, actor: Actor): Promise<string | undefined> {
      const denied = officerProblem(actor);
      if (denied) return denied;
      if (!entryById().get(targetId)) return 'That entry is not in the log on this device.';
      if (log().withdrawnBy.has(targetId)) return 'That entry has already been withdrawn.';
      const reasonError = validateReason(reason);
      if (reasonError) return reasonError;
      return append({ id: randomId(), kind: 'withdrawal', corrects: targetId, reason: reason.trim(), ...meta(actor.signer) });
    },
  };
}

export type DisciplinaryStore = ReturnType<typeof createDisciplinaryStore>;
