import { signMembershipEntry } from '../../crypto/membership';
import { generateSigningKeyPair, signDigest, signingKeyId, type SigningAlg, type SigningKeyPair } from '../../crypto/signing';
import { EVIDENCE_CONTEXT, type EvidenceSig, evidenceSigDigest } from '../../domain/evidence-sigs';
import { chainEntry, linkOf } from '../../domain/evidence-log';
import { isRecord } from '../../domain/is-record';
import { type MembershipEntry, type MembershipPayload, membershipDraft, membershipId } from '../../domain/membership';
import type { Role } from '../../domain/permissions';
import type { PackInput, RawRegister } from '../../evidence/types';
import { MEMBERS_REGISTER } from './identity';

/*
 * Signed identity for hand-made packs (tests and the pack benchmark): real
 * device keys, a real signed membership log (the first device is the root
 * owner, it grants the others) and a real signature on every chained entry
 * by the key of the device whose chain it is on. Tests then forge, alter or
 * remove what they attack.
 */

export interface FixtureDevice {
  deviceId: string;
  name: string;
  personId?: string;
  role: Role;
}

export interface SignedWorkspace {
  workspace: string;
  keys: Map<string, SigningKeyPair>;
  /** The log, in the order written. */
  log: MembershipEntry[];
  tips: () => string[];
  /** Signs a membership change by `deviceId` on the current tips, and adds it to the log. */
  append(payload: MembershipPayload, by: string, at?: string): Promise<MembershipEntry>;
  /** The evidence signature of `entry` in `register` by `deviceId` (the log's current tips as `m`). */
  sign(register: string, entry: object, by: string, extra?: { vouch?: true; m?: string[]; at?: string }): Promise<EvidenceSig>;
}

/** A workspace whose first device is the root owner and grants every other one. */
export async function signedWorkspace(workspace: string, devices: readonly FixtureDevice[], alg: SigningAlg = 'Ed25519'): Promise<SignedWorkspace> {
  const keys = new Map<string, SigningKeyPair>();
  for (const d of devices) keys.set(d.deviceId, await generateSigningKeyPair(alg));
  const log: MembershipEntry[] = [];
  const ids: string[] = [];
  const tips = () => {
    const built = new Set(log.flatMap((e) => e.after));
    return ids.filter((id) => !built.has(id)).sort();
  };
  const keyOf = (deviceId: string) => {
    const k = keys.get(deviceId);
    if (!k) throw new Error(`no key for ${deviceId}`);
    return k;
  };
  const ws: SignedWorkspace = {
    workspace,
    keys,
    log,
    tips,
    async append(payload, by, at = '2026-01-02T09:00:00.000Z') {
      const key = keyOf(by);
      const draft = membershipDraft(payload, { workspace, tips: payload.type === 'genesis' ? [] : tips(), by: signingKeyId(key), at });
      const entry = await signMembershipEntry(draft, key);
      log.push(entry);
      ids.push(membershipId(entry));
      return entry;
    },
    async sign(register, entry, by, extra = {}) {
      const key = keyOf(by);
      const draft = { v: 1 as const, by: signingKeyId(key), m: extra.m ?? tips(), at: extra.at ?? '2026-11-01T09:00:00.000Z', ...(extra.vouch ? { vouch: true as const } : {}) };
      return { ...draft, sig: await signDigest(key, EVIDENCE_CONTEXT, evidenceSigDigest(register, entry, draft)) };
    },
  };
  const keysOf = (d: FixtureDevice) => ({ deviceId: d.deviceId, signKey: keyOf(d.deviceId).publicKey, alg: keyOf(d.deviceId).alg });
  const [root, ...rest] = devices;
  if (!root) return ws;
  await ws.append({ type: 'genesis', device: keysOf(root), name: root.name, ...(root.personId ? { personId: root.personId } : {}) }, root.deviceId, '2026-01-01T09:00:00.000Z');
  for (const d of rest) await ws.append({ type: 'grant', device: keysOf(d), name: d.name, role: d.role, ...(d.personId ? { personId: d.personId } : {}) }, root.deviceId);
  return ws;
}

/**
 * Puts the log into the members document and signs every chained entry of
 * every register by its chain device (devices without a key are left unsigned).
 */
export async function signInput(input: PackInput, ws: SignedWorkspace, skip: (register: string, id: string) => boolean = () => false): Promise<PackInput> {
  const registers: Record<string, RawRegister> = {};
  for (const [name, raw] of Object.entries(input.registers)) {
    if (!raw) continue;
    const sigs: Record<string, unknown> = { ...(raw.sigs ?? {}) };
    for (const [id, entry] of Object.entries(raw.entries)) {
      const link = isRecord(entry) ? linkOf(entry) : undefined;
      if (!link || !ws.keys.has(link.device) || skip(name, id)) continue;
      sigs[id] = await ws.sign(name, entry as object, link.device);
    }
    registers[name] = { ...raw, ...(Object.keys(sigs).length ? { sigs } : {}) };
  }
  const members = registers[MEMBERS_REGISTER] ?? { records: {}, entries: {} };
  registers[MEMBERS_REGISTER] = { ...members, membership: Object.fromEntries(ws.log.map((e) => [membershipId(e), e])) };
  return { ...input, workspace: ws.workspace, registers };
}

/**
 * A modified client's forgery: a checklist sign-off written on `victim`'s
 * chain (as if that device had signed off) but signed by `forger`'s key.
 */
export async function withForgedSignOff(input: PackInput, ws: SignedWorkspace, opts: { victim: string; forger: string; recordId: string; at: string }): Promise<PackInput> {
  const checklists = input.registers['checklists'] ?? { records: {}, entries: {} };
  const forged = chainEntry({ id: 'so-forged', recordId: opts.recordId, kind: 'signoff', byName: 'Forged', at: opts.at, deviceId: opts.victim, note: '' }, opts.victim, undefined);
  const sig = await ws.sign('checklists', forged, opts.forger);
  return { ...input, registers: { ...input.registers, checklists: { ...checklists, entries: { ...checklists.entries, 'so-forged': forged }, sigs: { ...checklists.sigs, 'so-forged': sig } } } };
}

/**
 * The test fixture's workspace (test-fixture.ts) with signed identity: Zoë the root owner and designated
 * officer (device-a), Łukasz a manager of Ops (device-b), Li a member of staff in Sales (device-c, no entries).
 */
export async function acmeWorkspace(alg: SigningAlg = 'Ed25519'): Promise<SignedWorkspace> {
  const ws = await signedWorkspace('ws-acme', ACME_DEVICES, alg);
  await ws.append({ type: 'officer', personId: 'p-zoe', designated: true }, 'device-a', '2026-01-03T09:00:00.000Z');
  return ws;
}

export const ACME_DEVICES: readonly FixtureDevice[] = [
  { deviceId: 'device-a', name: 'Zoë Ångström', personId: 'p-zoe', role: 'owner' },
  { deviceId: 'device-b', name: 'Łukasz Żółkiewski', personId: 'p-lukasz', role: 'manager' },
  { deviceId: 'device-c', name: '李小龍', personId: 'p-li', role: 'staff' },
];

/** A modified client's chair approval: a review sign-off written and signed on `by`'s own chain (a real signature, without the right). */
export async function withOwnSignOff(input: PackInput, ws: SignedWorkspace, opts: { register: string; by: string; recordId: string; at: string; id?: string }): Promise<PackInput> {
  const reg = input.registers[opts.register] ?? { records: {}, entries: {} };
  const id = opts.id ?? `so-${opts.by}`;
  const entry = chainEntry({ id, recordId: opts.recordId, kind: 'signoff', byName: 'Forged', at: opts.at, deviceId: opts.by, note: '' }, opts.by, undefined);
  const sig = await ws.sign(opts.register, entry, opts.by);
  return { ...input, registers: { ...input.registers, [opts.register]: { ...reg, entries: { ...reg.entries, [id]: entry }, sigs: { ...reg.sigs, [id]: sig } } } };
}
