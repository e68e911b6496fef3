import { signingKeyId } from '../../crypto/signing';
import { isRecord } from '../../domain/is-record';
import { linkOf, type LogSection } from '../../domain/evidence-log';
import { membershipId, parseMembershipEntry } from '../../domain/membership';
import { parseEvidenceSig } from '../../domain/evidence-sigs';
import { sha256HexSync } from '../../domain/sha256';
import { canonicalJson } from '../../domain/signoff';
import type { PackInput } from '../../evidence/types';

/*
 * The pack's identity part (issue 17): who signed what. identity.json holds
 * the whole signed membership log (every entry of the members document's
 * `membership` map, public keys included), the evidence signature record of
 * every entry in the log section (full entries and stubs), and the few
 * records and people the register's right rules look up. The manifest pins
 * it with `IdentityPin`, so a signature or a membership entry removed,
 * added or changed after the export is named by the verifier even when
 * identity.json's own checksum was rewritten.
 */

export const IDENTITY = 'identity.json';
export const IDENTITY_FORMAT = 'muster-identity';
/** The members document, whose root map `membership` holds the log. */
export const MEMBERS_REGISTER = 'members';

export interface IdentityPerson {
  id: string;
  name: string;
  team: string;
  managerId?: string;
}

export interface IdentitySection {
  format: typeof IDENTITY_FORMAT;
  schemaVersion: 1;
  workspace: string;
  /** Key id of the root owner device (the log's first genesis), or null when the workspace has no signed log yet. */
  root: string | null;
  /** Every membership entry, sorted by id. */
  membership: unknown[];
  /** register → entry id → EvidenceSig, for the entries of the log section (in full or as stubs). */
  sigs: Record<string, Record<string, unknown>>;
  /** What the right rules look up: records of a register referenced by its included entries, and people. */
  records: Record<string, Record<string, Record<string, unknown>>>;
  people: Record<string, IdentityPerson>;
}

export interface IdentityPin {
  file: typeof IDENTITY;
  workspace: string;
  root: string | null;
  /** Ids of every membership entry, sorted; `digest` covers the entries with their signatures. */
  membership: { ids: string[]; digest: string };
  /** Per register: how many signature records, and the digest of them all. */
  sigs: Record<string, { count: number; digest: string }>;
}

export const digestOf = (value: unknown): string => sha256HexSync(canonicalJson(value));

/** The membership entries of the pack: the members document's log, sorted by id (malformed ones kept: the verifier names them). */
export function membershipOf(input: PackInput): unknown[] {
  const raw = input.registers[MEMBERS_REGISTER]?.membership ?? {};
  const withId = Object.values(raw).map((e) => [isRecord(e) ? membershipId(e as never) : '', e] as const);
  return withId.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, e]) => e);
}

/** The root the pack names: the first genesis in log order (depth 0, lowest id), as readMembership takes it. */
function rootOf(entries: readonly unknown[], pinned?: string): { root: string | null; name?: string } {
  for (const e of entries) {
    const p = parseMembershipEntry(e);
    if (typeof p === 'string' || p.type !== 'genesis' || p.after.length) continue;
    const keyId = signingKeyId({ publicKey: p.device.signKey, alg: p.device.alg });
    if (!pinned || pinned === keyId) return { root: keyId, name: p.name };
  }
  return { root: pinned ?? null };
}

/** Every string value of an object, one level down (ids an entry or a record names). */
const stringsOf = (o: Record<string, unknown>) => Object.values(o).filter((v): v is string => typeof v === 'string' && v.length > 0 && v.length < 200);

/**
 * identity.json and its pin, from the registers and the log section already built.
 * `people` is the directory (id → name, team, manager) as the People register reads it.
 */
export function buildIdentity(
  input: PackInput,
  section: LogSection,
  people: ReadonlyMap<string, IdentityPerson>,
): { section: IdentitySection; pin: IdentityPin; rootName: string | undefined } {
  const membership = membershipOf(input);
  const { root, name: rootName } = rootOf(membership, input.identityRoot);
  const sigs: IdentitySection['sigs'] = {};
  const records: IdentitySection['records'] = {};
  const named = new Set<string>();
  const want = (register: string, id: string) => {
    const raw = input.registers[register]?.sigs?.[id];
    if (parseEvidenceSig(raw)) (sigs[register] ??= {})[id] = raw as Record<string, unknown>;
  };
  for (const [register, list] of Object.entries(section.entries)) {
    const own = input.registers[register]?.records ?? {};
    for (const entry of list) {
      if (!isRecord(entry) || typeof entry['id'] !== 'string' || !linkOf(entry)) continue;
      want(register, entry['id']);
      for (const s of stringsOf(entry)) {
        named.add(s);
        const rec = own[s];
        if (rec && Object.hasOwn(own, s)) {
          (records[register] ??= {})[s] = rec;
          for (const t of stringsOf(rec)) named.add(t);
        }
      }
    }
  }
  for (const stub of section.stubs) want(stub.register, stub.id);
  // The log's people: those it links, and for a device it links to nobody the person of the name it signs with (as the app links it).
  const byName = new Map<string, string>();
  for (const p of people.values()) if (p.name && !byName.has(p.name)) byName.set(p.name, p.id);
  for (const e of membership) {
    if (!isRecord(e)) continue;
    const pid = typeof e['personId'] === 'string' ? e['personId'] : typeof e['name'] === 'string' ? byName.get(e['name']) : undefined;
    if (pid) named.add(pid);
  }
  // People the entries, their records and the log name, and their managers (a rule may ask "the person's manager").
  const out: Record<string, IdentityPerson> = {};
  const add = (id: string) => {
    const p = people.get(id);
    if (!p || out[id]) return;
    out[id] = { id: p.id, name: p.name, team: p.team, ...(p.managerId ? { managerId: p.managerId } : {}) };
    if (p.managerId) add(p.managerId);
  };
  for (const id of named) add(id);
  // And the people who report to a signer's person: a manager also manages their reports' teams (evidence-trust.ts).
  const signers = new Set(Object.keys(out));
  for (const p of people.values()) if (p.managerId && signers.has(p.managerId)) add(p.id);

  const sorted = Object.fromEntries(Object.keys(sigs).sort().map((r) => [r, Object.fromEntries(Object.keys(sigs[r]!).sort().map((id) => [id, sigs[r]![id]]))]));
  const identity: IdentitySection = { format: IDENTITY_FORMAT, schemaVersion: 1, workspace: input.workspace ?? '', root, membership, sigs: sorted, records, people: out };
  return { section: identity, pin: pinOf(identity), rootName };
}

/** The manifest's pin of an identity section (the verifier recomputes it from identity.json). */
export function pinOf(identity: Pick<IdentitySection, 'workspace' | 'root' | 'membership' | 'sigs'>): IdentityPin {
  const ids = identity.membership.map((e) => (isRecord(e) ? membershipId(e as never) : ''));
  return {
    file: IDENTITY,
    workspace: identity.workspace,
    root: identity.root,
    membership: { ids, digest: digestOf(identity.membership) },
    sigs: Object.fromEntries(Object.entries(identity.sigs).map(([r, m]) => [r, { count: Object.keys(m).length, digest: digestOf(m) }])),
  };
}
