import * as Y from 'yjs';
import { verifyMembership } from '../crypto/membership';
import { type SigningAlg, signDigest, verifyDigest } from '../crypto/signing';
import { linkOf } from '../domain/evidence-chain';
import { EVIDENCE_CONTEXT, type EvidenceSig, type EvidenceSigDraft, evidenceSigDigest, parseEvidenceSig, SIGS } from '../domain/evidence-sigs';
import { judgeEntry, type RightRule, type TrustLookup, type Verdict } from '../domain/evidence-trust';
import type { MembershipLog } from '../domain/membership';
import { setDocFlags } from './reactive';
import { entriesOf } from './records';

/*
 * Signs this device's evidence entries and judges everyone's (issue 17 item 3).
 * Appends stay synchronous (src/store/records.ts); the signature follows a
 * moment later in the document's `sigs` map, written by the device whose chain
 * the entry is on. An owner vouches, deliberately (migration, backup restore),
 * for entries of devices that are not members (gone before signing existed),
 * so migrated history keeps counting.
 */

export const sigsOf = (doc: Y.Doc) => doc.getMap<unknown>(SIGS);

export interface SignKey {
  privateKey: CryptoKey;
  alg: SigningAlg;
  keyId: string;
}

/**
 * The membership log from the members document's `membership` map, read once per change of that map however
 * many register documents ask (each register's watcher asks on every change of the log). `root`: the root owner
 * this device trusts (from its join link, or pinned on first use); without it the first genesis is the root, so a
 * modified client's competing genesis cannot take over a device that has pinned its root.
 */
const logs = new WeakMap<Y.Doc, { key: string; log: Promise<MembershipLog> }>();
export function readMembershipLog(members: Y.Doc, workspace: string, root?: string): Promise<MembershipLog> {
  const map = members.getMap('membership');
  // The document's state vector moves with every change to it, so an unchanged vector is an unchanged log.
  const key = `${workspace} ${root ?? ''} ${Y.encodeStateVector(members).join(',')}`;
  const hit = logs.get(members);
  if (hit?.key === key) return hit.log;
  const log = verifyMembership(map.values(), { workspace, ...(root ? { root } : {}) });
  logs.set(members, { key, log });
  return log;
}

export async function signEvidence(register: string, entry: object, key: SignKey, tips: readonly string[], vouch = false): Promise<EvidenceSig> {
  const draft: EvidenceSigDraft = { v: 1, by: key.keyId, m: [...tips].sort(), at: new Date().toISOString(), ...(vouch ? { vouch: true as const } : {}) };
  return { ...draft, sig: await signDigest(key, EVIDENCE_CONTEXT, evidenceSigDigest(register, entry, draft)) };
}

/** Whether `sig` verifies under the key the log declares for `sig.by` (removed devices' keys included). */
export async function verifyEvidence(register: string, entry: object, sig: EvidenceSig, log: MembershipLog): Promise<boolean> {
  const d = log.current.byKey.get(sig.by);
  if (!d) return false;
  const digest = evidenceSigDigest(register, entry, sig);
  // Every change of a document re-judges it: a signature is checked once per (digest, key, signature).
  const memo = `${digest}.${d.signKey}.${sig.sig}`;
  let good = verified.get(memo);
  if (good === undefined) {
    good = await verifyDigest({ publicKey: d.signKey, alg: d.alg }, EVIDENCE_CONTEXT, digest, sig.sig);
    if (verified.size > 50_000) verified.clear();
    verified.set(memo, good);
  }
  return good;
}
const verified = new Map<string, boolean>();

/**
 * Signs every entry of `doc` on this device's chain without a signature. With `vouch` (an owner's deliberate act:
 * signing an existing workspace's member list, restoring a backup), it also vouches for the entries of devices
 * that are not active members: unsigned ones (written before signing existed) and ones signed by a key this log
 * does not know (restored from another workspace). The watchers never ask for it (watchEvidence).
 * Returns how many were signed.
 */
export async function signPending(register: string, doc: Y.Doc, self: string, key: SignKey, log: MembershipLog, opts: { vouch?: boolean } = {}): Promise<number> {
  const me = log.current.byKey.get(key.keyId);
  if (!me || me.removed) return 0;
  const sigs = sigsOf(doc);
  const vouching = opts.vouch === true && me.role === 'owner';
  const todo: Array<[string, object, boolean]> = [];
  for (const [id, entry] of entriesOf(doc)) {
    if (!entry || typeof entry !== 'object') continue;
    const had = sigs.has(id) ? parseEvidenceSig(sigs.get(id)) : undefined;
    const device = linkOf(entry)?.device;
    if (!sigs.has(id) && device === self) todo.push([id, entry, false]);
    else if (vouching && device !== self && (!sigs.has(id) || (had && !log.current.byKey.has(had.by)))) {
      const own = device ? log.current.devices.get(device) : undefined;
      if (!own || own.removed) todo.push([id, entry, true]);
    }
  }
  const signed = await Promise.all(todo.map(async ([id, entry, vouch]) => [id, await signEvidence(register, entry, key, log.tips, vouch)] as const));
  // In batches: each transaction is one update on the wire, and a back-fill of thousands stays under the relay's message limit.
  for (let i = 0; i < signed.length; i += 500) {
    doc.transact(() => {
      for (const [id, sig] of signed.slice(i, i + 500)) {
        const had = sigs.has(id) ? parseEvidenceSig(sigs.get(id)) : undefined;
        if (!sigs.has(id) || (sig.vouch && had && !log.current.byKey.has(had.by))) sigs.set(id, sig);
      }
    });
  }
  return signed.length;
}

/** The verdict of every entry of `doc`. */
export async function judgeDoc(register: string, doc: Y.Doc, log: MembershipLog, rules: Readonly<Record<string, RightRule>>, look: TrustLookup, self?: string): Promise<Map<string, Verdict>> {
  const sigs = sigsOf(doc);
  const out = new Map<string, Verdict>();
  // Most entries name the same few tips: each state "at the time" is folded once.
  const states = new Map<string, ReturnType<MembershipLog['at']>>();
  const at = (tips: readonly string[]) => {
    const k = [...tips].sort().join(',');
    let st = states.get(k);
    if (!st) states.set(k, (st = log.at(tips)));
    return st;
  };
  const memoLog: MembershipLog = { ...log, at };
  await Promise.all(
    [...entriesOf(doc)].map(async ([id, raw]) => {
      if (!raw || typeof raw !== 'object') return;
      const entry = raw as Record<string, unknown>;
      const sig = parseEvidenceSig(sigs.get(id));
      const sigOk = !!sig && (await verifyEvidence(register, entry, sig, log));
      out.set(id, judgeEntry({ register, entry, sig, sigOk, log: memoLog, rules, look, ...(self ? { self } : {}) }));
    }),
  );
  return out;
}

/** Judges `doc` and sets the flags every view of it reads (src/store/reactive.ts). */
export async function applyTrust(register: string, doc: Y.Doc, log: MembershipLog, rules: Readonly<Record<string, RightRule>>, look: TrustLookup, self?: string): Promise<void> {
  const verdicts = await judgeDoc(register, doc, log, rules, look, self);
  const flags = new Map<string, Extract<Verdict, { ok: false }>>();
  for (const [id, v] of verdicts) if (!v.ok) flags.set(id, v);
  setDocFlags(doc, flags);
}

/**
 * Keeps one register document signed and judged: on start (back-fill) and
 * whenever its entries, its signatures or the membership log change.
 * Returns stop().
 */
export function watchEvidence(opts: {
  register: string;
  doc: Y.Doc;
  members: Y.Doc;
  workspace: string;
  self: string;
  key: () => Promise<SignKey>;
  rules: Readonly<Record<string, RightRule>>;
  look: TrustLookup;
  /** The root owner this device trusts (readMembershipLog). */
  root?: () => string | undefined;
}): () => void {
  let stopped = false;
  let queued: Promise<void> | undefined;
  let again = false;
  const run = async () => {
    const log = await readMembershipLog(opts.members, opts.workspace, opts.root?.());
    if (stopped) return;
    // The watcher signs this device's own entries only: vouching for other devices' unsigned entries is an owner's
    // deliberate act (signing an existing member list, restoring a backup), never a side effect of syncing, so an
    // entry a modified client puts on a made-up device's chain stays unsigned and counts for nothing.
    if (log.current.root) await signPending(opts.register, opts.doc, opts.self, await opts.key(), log);
    if (!stopped) await applyTrust(opts.register, opts.doc, log, opts.rules, opts.look, opts.self);
  };
  // One run at a time; changes during a run cause one more run after it.
  const kick = () => {
    if (stopped) return;
    if (queued) {
      again = true;
      return;
    }
    queued = run()
      .catch((err) => console.warn('evidence signer', err))
      .finally(() => {
        queued = undefined;
        if (again) {
          again = false;
          kick();
        }
      });
  };
  const entries = entriesOf(opts.doc);
  const sigs = sigsOf(opts.doc);
  const membership = opts.members.getMap('membership');
  entries.observe(kick);
  sigs.observe(kick);
  membership.observe(kick);
  kick();
  return () => {
    stopped = true;
    entries.unobserve(kick);
    sigs.unobserve(kick);
    membership.unobserve(kick);
  };
}

const entryAt = (doc: Y.Doc, id: string): Record<string, unknown> | undefined => {
  const e = entriesOf(doc).get(id);
  return e && typeof e === 'object' ? (e as Record<string, unknown>) : undefined;
};

type Person = NonNullable<ReturnType<TrustLookup['person']>>;

/** Watches every register document of a workspace (the session starts this after Home paints). Returns stop(). */
export function startEvidenceTrust(opts: Omit<Parameters<typeof watchEvidence>[0], 'register' | 'doc' | 'rules' | 'look'> & {
  registers: ReadonlyArray<{ register: string; doc: Y.Doc; rules: Readonly<Record<string, RightRule>> }>;
  person: TrustLookup['person'];
  /** The active people (the same array until People changes): a device the log links to nobody is the person of its name, and a manager manages their reports' teams. */
  people?: () => ReadonlyArray<Person>;
}): () => void {
  // Indexed once per change of People, however many entries ask.
  let index: { list: ReadonlyArray<Person>; byName: Map<string, Person>; reports: Map<string, Person[]> } | undefined;
  const indexed = () => {
    const list = opts.people?.() ?? [];
    if (index?.list !== list) {
      index = { list, byName: new Map(), reports: new Map() };
      for (const p of list) {
        if (!index.byName.has(p.name)) index.byName.set(p.name, p);
        if (p.managerId) index.reports.set(p.managerId, [...(index.reports.get(p.managerId) ?? []), p]);
      }
    }
    return index;
  };
  const people = opts.people ? { personNamed: (name: string) => indexed().byName.get(name), reportsOf: (id: string) => indexed().reports.get(id) ?? [] } : {};
  const stops = opts.registers.map(({ register, doc, rules }) =>
    watchEvidence({ ...opts, register, doc, rules, look: { person: opts.person, ...people, record: (id) => doc.getMap<Y.Map<unknown>>('records').get(id)?.toJSON(), entry: (id) => entryAt(doc, id) } }),
  );
  return () => stops.forEach((s) => s());
}

/**
 * Signs now whatever of this device's entries the watchers have not signed yet (a backup taken a moment after a
 * sign-off carries its signature). Does nothing in a workspace whose member list is not signed.
 */
export async function signAllPending(opts: { docs: Readonly<Record<string, Y.Doc | undefined>>; members: Y.Doc; workspace: string; root?: string | undefined; self: string; key: () => Promise<SignKey>; vouch?: boolean }): Promise<number> {
  const log = await readMembershipLog(opts.members, opts.workspace, opts.root);
  if (!log.current.root) return 0;
  const key = await opts.key();
  let n = 0;
  for (const [register, doc] of Object.entries(opts.docs)) if (doc && doc !== opts.members) n += await signPending(register, doc, opts.self, key, log, { vouch: opts.vouch === true });
  return n;
}
