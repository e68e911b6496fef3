import { verifyMembership } from '../crypto/membership';
import { fingerprintWords, verifyDigest } from '../crypto/signing';
import { formatDate } from '../domain/dates';
import { EVIDENCE_CONTEXT, type EvidenceSig, parseEvidenceSig } from '../domain/evidence-sigs';
import { linkOf, type LogSection, registerLabel } from '../domain/evidence-log';
import { isRecord } from '../domain/is-record';
import type { MemberDevice, MembershipLog, MembershipState } from '../domain/membership';
import type { Role } from '../domain/permissions';
import { judgeEntry, type RightRule, type Verdict } from '../domain/evidence-trust';
import { plural } from '../domain/plural';
import { sha256HexSync } from '../domain/sha256';
import { canonicalJson } from '../domain/signoff';
import { IDENTITY, IDENTITY_FORMAT, type IdentityPin, type IdentitySection, pinOf } from './pack/identity';

/*
 * The verifier's identity part (issue 17): checks the membership log and
 * every evidence signature of a pack offline, and says in words who signed
 * each entry, from which device, holding which role since when, or what
 * fails. Alterations (a signature or a log entry changed, removed or added
 * after the export) are problems: the pack is not intact. An entry whose
 * signer lacked the right is *flagged*: the pack is intact (it is what the
 * workspace held), but the report lists it first.
 */

export interface IdentityOptions {
  /** register → kind → rule: each register's rights.ts (src/export/rights.ts in the app, collected with fs by scripts/verify-pack.ts). */
  rights?: Readonly<Record<string, Readonly<Record<string, RightRule>>>>;
}

export interface SignerGroup {
  /** "Zoë Ångström’s device (key 3f2a 9c01 5b7e 0d44), an owner since 1 Jan 2026" */
  signer: string;
  signed: number;
  vouched: number;
  /** "Acknowledgements 3,900, Training 100" */
  registers: string;
}

export interface IdentityReport {
  /** 'signed': the pack carries a membership log; 'no-log': made after signing existed, but the workspace had no log yet; 'before': made before signed identity. */
  state: 'signed' | 'no-log' | 'before';
  root?: string;
  /** Fingerprint words of the root owner key. */
  rootFingerprint?: string;
  /** Who the root owner device is: "Ann Ode’s device (key …)". */
  rootWords?: string;
  membership: { valid: number; refused: string[] };
  counts: { signed: number; vouched: number; flagged: number; unsigned: number; outside: number };
  /** One sentence per flagged entry: what it is, who signed it, what was needed. */
  flagged: string[];
  signers: SignerGroup[];
  /** "Checklists: 2 entries" per register with unsigned entries. */
  unsigned: string[];
  /** Alterations: the pack is not intact. */
  problems: string[];
}

export const BEFORE_SIGNING = 'Not signed (made before signed identity): the pack names no signer for its entries.';
export const NO_LOG = 'Not signed: this workspace had no signed membership log when the pack was made, so its entries name no signer.';

const ROLE_WORDS: Record<Role, string> = { owner: 'an owner', manager: 'a manager', staff: 'a member of staff' };
const pubOf = (d: MemberDevice) => ({ publicKey: d.signKey, alg: d.alg });
const shortKey = (keyId: string) => fingerprintWords(keyId).split(' ').slice(0, 4).join(' ');
export const deviceWords = (d: Pick<MemberDevice, 'name' | 'keyId'>) => `${d.name}’s device (key ${shortKey(d.keyId)})`;
const dayOf = (iso: string) => formatDate(iso.slice(0, 10));
const roleWords = (role: Role, since: string) => `${ROLE_WORDS[role]} since ${dayOf(since)}`;

/** How an entry is named in a sentence: "The sign-off of checklist Ops 2026-10 (20 Oct 2026)". */
function entryWords(register: string, entry: Record<string, unknown>, labels: Readonly<Record<string, string>>, record: Record<string, unknown> | undefined): string {
  const kind = typeof entry['kind'] === 'string' ? entry['kind'].replace(/^signoff$/, 'sign-off') : 'entry';
  const title = record && (['title', 'name'].map((k) => record[k]).find((v) => typeof v === 'string' && v) ?? [record['team'], record['month'] ?? record['date']].filter((v) => typeof v === 'string' && v).join(' '));
  const at = typeof entry['at'] === 'string' ? entry['at'] : typeof entry['publishedAt'] === 'string' ? entry['publishedAt'] : '';
  const what = `${registerLabel(register, labels)}${title ? ` “${title}”` : ''}`;
  return `The ${kind} ${String(entry['id'] ?? '')} in ${what}${at ? ` (${dayOf(at)})` : ''}`;
}

/**
 * The digest a signature covers (evidenceSigDigest), from the entry's chain hash:
 * that is its entryHash, which the log part checks against the content. So
 * each entry is hashed once, and a stub's signature is checked without its content.
 */
export function digestOfHash(register: string, hash: string, sig: EvidenceSig): string {
  const { sig: _s, ...rest } = sig;
  return sha256HexSync(canonicalJson({ register, entry: hash, ...rest }));
}

const refusalWords = (r: MembershipLog['refused'][number], log: MembershipLog) => {
  const signer = log.current.byKey.get(r.by);
  return `The ${r.type || 'unreadable'} entry of ${r.at ? dayOf(r.at) : 'an unknown day'}${signer ? ` signed by ${deviceWords(signer)}` : ''} is refused: ${r.reason}.`;
};

/**
 * Checks the identity part of a pack: `files` are the ZIP's files, `manifest` its parsed manifest,
 * `section` the log section of evidence.json (its full entries and stubs).
 */
export async function verifyIdentity(manifest: Record<string, unknown>, files: Readonly<Record<string, Uint8Array>>, section: LogSection | undefined, opts: IdentityOptions = {}): Promise<IdentityReport> {
  const report: IdentityReport = { state: 'before', membership: { valid: 0, refused: [] }, counts: { signed: 0, vouched: 0, flagged: 0, unsigned: 0, outside: 0 }, flagged: [], signers: [], unsigned: [], problems: [] };
  const pin = manifest['identity'];
  if (pin === undefined) return report;
  const problems = report.problems;
  if (!isRecord(pin) || !isRecord(pin['membership']) || !isRecord(pin['sigs'])) {
    problems.push('The manifest’s identity pin cannot be read: the manifest was edited.');
    return report;
  }
  const bytes = files[IDENTITY];
  let identity: IdentitySection | undefined;
  try {
    const v: unknown = bytes ? JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) : undefined;
    if (isRecord(v) && v['format'] === IDENTITY_FORMAT && Array.isArray(v['membership']) && isRecord(v['sigs'])) identity = v as unknown as IdentitySection;
  } catch {
    identity = undefined;
  }
  if (!identity) {
    problems.push(`${IDENTITY} is missing or cannot be read, so no signature can be checked.`);
    return report;
  }
  const labels = section?.labels ?? {};
  comparePins(pin as unknown as IdentityPin, pinOf(identity), labels, problems);
  if (!identity.root) {
    report.state = 'no-log';
    return report;
  }
  report.state = 'signed';
  report.root = identity.root;
  report.rootFingerprint = fingerprintWords(identity.root);

  const log = memoAt(await verifyMembership(identity.membership, { workspace: identity.workspace, root: identity.root }));
  const rootDevice = log.current.byKey.get(identity.root);
  if (!rootDevice || rootDevice.via !== 'genesis') problems.push('The membership log has no valid first entry by the root owner key the manifest names: its first entry was removed or altered.');
  else report.rootWords = deviceWords(rootDevice);
  report.membership.valid = log.valid.size;
  for (const r of log.refused) {
    if (r.reason === 'its signature does not verify') problems.push(`A membership entry (${r.type} of ${r.at ? dayOf(r.at) : 'an unknown day'}) was altered after it was signed: its signature does not verify.`);
    else report.membership.refused.push(refusalWords(r, log));
  }

  // Every full entry: its signature, then the signer's right (the judge and the registers' rules), in words.
  const groups = new Map<string, SignerGroup & { perRegister: Map<string, number> }>();
  const unsigned = new Map<string, number>();
  const sigsOf = (register: string) => (isRecord(identity.sigs[register]) ? identity.sigs[register] : {});
  // The signatures first, all at once (WebCrypto verifies in parallel: a third of the time of one after another).
  interface Job { register: string; id: string; entry?: Record<string, unknown>; hash: string; sig: EvidenceSig; key: MemberDevice | undefined; ok?: boolean }
  const jobs: Job[] = [];
  for (const [register, list] of Object.entries(section?.entries ?? {})) {
    for (const raw of list) {
      const link = linkOf(raw);
      if (!link || !isRecord(raw)) continue; // written before the log existed: the log part counts it
      const id = String(raw['id'] ?? '');
      const rawSig = sigsOf(register)[id];
      const sig = parseEvidenceSig(rawSig);
      if (rawSig !== undefined && !sig) problems.push(`${entryWords(register, raw, labels, undefined)}: its signature record cannot be read (it was altered).`);
      if (!sig) {
        report.counts.unsigned++;
        unsigned.set(register, (unsigned.get(register) ?? 0) + 1);
        continue;
      }
      jobs.push({ register, id, entry: raw, hash: link.hash, sig, key: log.current.byKey.get(sig.by) });
    }
  }
  for (const stub of section?.stubs ?? []) {
    const sig = parseEvidenceSig(sigsOf(stub.register)[stub.id]);
    if (sig) jobs.push({ register: stub.register, id: stub.id, hash: stub.chain.hash, sig, key: log.current.byKey.get(sig.by) });
  }
  for (let i = 0; i < jobs.length; i += 2048) {
    await Promise.all(jobs.slice(i, i + 2048).map(async (j) => (j.ok = !!j.key && (await verifyDigest(pubOf(j.key), EVIDENCE_CONTEXT, digestOfHash(j.register, j.hash, j.sig), j.sig.sig)))));
  }

  // Then each entry's right (sign17's judge and the register's rules), in words. A correction is judged by the
  // entry it corrects when the pack holds it.
  const inPack = new Map<string, Record<string, unknown>>();
  for (const j of jobs) if (j.entry) inPack.set(`${j.register}\u0000${j.id}`, j.entry);
  for (const { register, id, entry, sig, key, ok } of jobs) {
    const rules = opts.rights?.[register] ?? {};
    // A stub's content is not in the pack: it is judged only when its register has one rule for every entry (sealed disciplinary entries).
    const judged = entry ?? (rules['*'] ? { id, chain: stubOf(section, register, id) } : undefined);
    const records = isRecord(identity.records?.[register]) ? identity.records[register]! : {};
    const look = {
      person: (pid: string) => (Object.hasOwn(identity.people ?? {}, pid) ? identity.people[pid] : undefined),
      personNamed: (name: string) => Object.values(identity.people ?? {}).find((p) => isRecord(p) && p.name === name),
      record: (rid: string) => (Object.hasOwn(records, rid) ? records[rid] : undefined),
      entry: (eid: string) => inPack.get(`${register}\u0000${eid}`),
      reportsOf: (pid: string) => Object.values(identity.people ?? {}).filter((p) => isRecord(p) && p.managerId === pid),
    };
    const words = () =>
      entry ? entryWords(register, entry, labels, typeof entry['recordId'] === 'string' ? look.record(entry['recordId']) : undefined) : `The entry ${id} in ${registerLabel(register, labels)} (outside the pack’s period or scope)`;
    if (key && !ok) {
      problems.push(`${words()}: its signature does not verify (the entry or its signature was changed after it was signed).`);
      continue;
    }
    const flag = (text: string) => {
      report.counts.flagged++;
      report.flagged.push(text);
    };
    if (!key) {
      flag(`${words()}: it is signed by a key (${shortKey(sig.by)}) that the membership log does not hold.`);
      continue;
    }
    if (sig.m.some((t) => !log.entries.has(t))) {
      flag(`${words()}: its signer’s view of the membership log names entries this pack does not hold.`);
      continue;
    }
    const verdict: Verdict = judgeEntry({ register, entry: judged ?? { id, chain: stubOf(section, register, id) }, sig, sigOk: true, log, rules: judged ? rules : {}, look });
    if (!verdict.ok) {
      flag(`${words()}${verdict.signer ? ` is signed by ${signerAt(verdict.signer, log, sig)}` : ''}; ${reasonWords(verdict.reason)}`);
      continue;
    }
    if (!entry) {
      report.counts.outside++;
      continue;
    }
    const signer = verdict.signer ?? key;
    const then = log.at(sig.m).byKey.get(signer.keyId) ?? signer;
    const who = `${deviceWords(signer)}, ${roleWords(verdict.role ?? then.role, verdict.since ?? then.roleSince)}`;
    let g = groups.get(who);
    if (!g) groups.set(who, (g = { signer: who, signed: 0, vouched: 0, registers: '', perRegister: new Map() }));
    if (verdict.kind === 'vouched') {
      g.vouched++;
      report.counts.vouched++;
    } else {
      g.signed++;
      report.counts.signed++;
    }
    g.perRegister.set(register, (g.perRegister.get(register) ?? 0) + 1);
  }
  report.signers = [...groups.values()]
    .sort((a, b) => b.signed + b.vouched - (a.signed + a.vouched) || a.signer.localeCompare(b.signer))
    .map(({ perRegister, ...g }) => ({ ...g, registers: [...perRegister].sort((a, b) => b[1] - a[1]).map(([r, n]) => `${registerLabel(r, labels)} ${n.toLocaleString('en-GB')}`).join(', ') }));
  report.unsigned = [...unsigned].sort().map(([r, n]) => `${registerLabel(r, labels)}: ${plural(n, 'entry', 'entries')}`);
  return report;
}

/**
 * The log with `at(tips)` remembered: it folds the whole log (a key id hash per
 * device) on every call, and thousands of entries name the same few tips.
 */
function memoAt(log: MembershipLog): MembershipLog {
  const seen = new Map<string, MembershipState>();
  const at = (tips: readonly string[]): MembershipState => {
    const key = [...tips].sort().join(',');
    let s = seen.get(key);
    if (!s) seen.set(key, (s = log.at(tips)));
    return s;
  };
  return { ...log, at };
}

/** A stub's chain link, for the judge (which reads the entry's chain device). */
function stubOf(section: LogSection | undefined, register: string, id: string) {
  return section?.stubs.find((x) => x.register === register && x.id === id)?.chain;
}

/**
 * The judge's sentence without its "Signed by …’s device (role)." (the report
 * names the signer already, with key and role since when), starting in lower case.
 */
function reasonWords(reason: string): string {
  const rest = reason.replace(/^Signed by .*?’s device \((owner|manager|staff)\)\. /, '');
  return rest.charAt(0).toLowerCase() + rest.slice(1);
}

/** "Sam Lee’s device (key …), a member of staff since 3 Mar 2026": the signer as the log stood when it signed. */
function signerAt(d: MemberDevice, log: MembershipLog, sig: EvidenceSig): string {
  const then = log.at(sig.m).byKey.get(d.keyId);
  return then ? `${deviceWords(then)}, ${roleWords(then.role, then.roleSince)}` : `${deviceWords(d)}, not a member when it signed`;
}

/** The identity pin recomputed from identity.json against the manifest's: what was removed, added or changed. */
function comparePins(want: IdentityPin, got: IdentityPin, labels: Readonly<Record<string, string>>, problems: string[]): void {
  if (want.workspace !== got.workspace || want.root !== got.root) problems.push(`${IDENTITY} names another workspace or root owner key than the manifest: it was replaced after the pack was made.`);
  const wantIds = Array.isArray(want.membership.ids) ? want.membership.ids.map(String) : [];
  const have = new Set(got.membership.ids);
  const pinned = new Set(wantIds);
  for (const id of wantIds) if (!have.has(id)) problems.push(`Membership entry ${id.slice(0, 12)}… is missing from ${IDENTITY}: it was removed after the pack was made.`);
  for (const id of got.membership.ids) if (!pinned.has(id)) problems.push(`Membership entry ${id.slice(0, 12)}… is in ${IDENTITY} but not in the manifest: it was added after the pack was made.`);
  if (wantIds.length === got.membership.ids.length && wantIds.every((id) => have.has(id)) && want.membership.digest !== got.membership.digest) problems.push(`A membership entry in ${IDENTITY} was changed after the pack was made (its content or its signature).`);
  const registers = new Set([...Object.keys(want.sigs ?? {}), ...Object.keys(got.sigs)]);
  for (const r of [...registers].sort()) {
    const w = isRecord(want.sigs?.[r]) ? want.sigs[r]! : { count: 0, digest: '' };
    const g = got.sigs[r] ?? { count: 0, digest: '' };
    if (w.digest === g.digest && w.count === g.count) continue;
    const how = g.count < w.count ? `${plural(w.count - g.count, 'signature')} removed` : g.count > w.count ? `${plural(g.count - w.count, 'signature')} added` : 'a signature changed';
    problems.push(`${registerLabel(r, labels)}: the signatures in ${IDENTITY} do not match the manifest (${w.count.toLocaleString('en-GB')} recorded, ${g.count.toLocaleString('en-GB')} in the pack): ${how} after the pack was made.`);
  }
}
