import { canonicalJson } from './signoff';
import { isRecord } from './is-record';
import { plural, pluralWord } from './plural';
import { isSha256Hex, sha256HexSync } from './sha256';
import { type ChainLink, chainEntry, entryHash, type LogHead, linkOf, linkProblem } from './evidence-chain';

export { type ChainLink, chainEntry, entryHash, type LogHead, linkOf };

/*
 * The tamper-evident evidence log. Pure: no Yjs, no DOM.
 *
 * Every append-only evidence entry carries a link of its device's chain in its
 * register:   chain: { device, seq, prev, hash }
 *   device  the device that wrote it (its deviceId)
 *   seq     1, 2, 3… per (register, device)
 *   prev    hash of that device's previous entry in that register, or null for seq 1
 *   hash    hex SHA-256 of the canonical JSON of the entry with `chain.hash` left out
 *           (so the hash covers the content, the device, seq and prev)
 *
 * One chain per device, never a global one: two devices writing offline at the
 * same time each extend their own chain, so merging never breaks a link. Two
 * writers on ONE device (two tabs offline) can both write seq n: that is a
 * *fork*, reported as such and not as tampering (both entries are kept and
 * checked). A device whose chain forked has more than one *tip* (entry nothing
 * builds on); its head then pins all of them (see headOf).
 *
 * An export carries a LogSection (full entries of what is in scope, only the
 * link of what is not) and a LogSummary (the head of every chain, and a root
 * hash over the heads) in its manifest. verifyLog re-hashes every entry,
 * follows every link and compares the heads: an altered entry, a removed one
 * (a gap in seq, a missing tail, a missing tip) or an added one is named.
 */

/** An entry left out of an export (outside period/scope): only its link. */
export interface LogStub {
  register: string;
  id: string;
  chain: ChainLink;
}

/** Per register: the full entries included. Stubs: the links of those left out. */
export interface LogSection {
  entries: Record<string, unknown[]>;
  stubs: LogStub[];
  /** How each register is named to a person (packs made before this field name none: the verifier capitalises). */
  labels?: Record<string, string>;
}

export interface LogSummary {
  /** sha256 of the canonical JSON of `heads`: one fingerprint for the whole history. */
  root: string;
  /** register → device → the head of that device's chain. Registers with no chained entry are left out. */
  heads: Record<string, Record<string, LogHead>>;
  entries: number;
  chained: number;
  unchained: number;
}

export type LogProblem = {
  kind: 'altered' | 'removed' | 'fork' | 'head-mismatch' | 'bad-link';
  register: string;
  entryId?: string;
  device?: string;
  seq?: number;
  message: string;
};

export interface LogVerification {
  /** True when no problem was found; a fork alone is reported but does not make this false. */
  ok: boolean;
  problems: LogProblem[];
  /** Entries whose content was re-hashed and whose link was followed. */
  checked: number;
  /** Entries written before the log existed (no chain): counted, not failed. */
  unchained: number;
  /** Links of entries left out of the export (outside the period or scope) that were followed. */
  stubs: number;
}

// ---------------------------------------------------------------- export side

/**
 * The log part of an export: every entry `include` accepts in full; of the
 * others, only their link (unchained entries left out leave nothing).
 * Call summariseLog with the same registers for the manifest.
 */
export function buildLogSection(registers: Record<string, readonly unknown[]>, include: (register: string, entry: Record<string, unknown>) => boolean, labels?: Record<string, string>): LogSection {
  const entries: Record<string, unknown[]> = {};
  const stubs: LogStub[] = [];
  for (const [register, list] of Object.entries(registers)) {
    const kept: unknown[] = [];
    for (const entry of list) {
      if (!isRecord(entry)) continue;
      if (include(register, entry)) {
        kept.push(entry);
        continue;
      }
      const chain = linkOf(entry);
      if (chain) stubs.push({ register, id: String(entry['id'] ?? ''), chain });
    }
    entries[register] = kept;
  }
  stubs.sort((a, b) => (a.register === b.register ? (a.chain.device === b.chain.device ? a.chain.seq - b.chain.seq || a.id.localeCompare(b.id) : a.chain.device < b.chain.device ? -1 : 1) : a.register < b.register ? -1 : 1));
  return { entries, stubs, ...(labels ? { labels } : {}) };
}

/**
 * The head of one device's chain: its highest seq, and the hash of its tip
 * (the entry nothing builds on). After a fork there are several tips; the
 * hash is then the SHA-256 of the canonical JSON of their sorted hashes, so
 * removing any branch changes the head.
 */
function headOf(links: readonly ChainLink[]): LogHead {
  let seq = 0;
  const builtOn = new Set<string>();
  for (const l of links) {
    if (l.seq > seq) seq = l.seq;
    if (l.prev) builtOn.add(l.prev);
  }
  const tips = [...new Set(links.map((l) => l.hash).filter((h) => !builtOn.has(h)))].sort();
  // A cycle (only possible in a forged log) leaves no tip: pin every hash instead.
  const pinned = tips.length ? tips : [...new Set(links.map((l) => l.hash))].sort();
  return { seq, hash: pinned.length === 1 ? pinned[0]! : sha256HexSync(canonicalJson(pinned)) };
}

function headsOfLinks(byRegister: ReadonlyMap<string, ReadonlyMap<string, ChainLink[]>>): Record<string, Record<string, LogHead>> {
  const heads: Record<string, Record<string, LogHead>> = {};
  for (const register of [...byRegister.keys()].sort()) {
    const devices = byRegister.get(register)!;
    if (devices.size === 0) continue;
    const perDevice: Record<string, LogHead> = {};
    for (const device of [...devices.keys()].sort()) perDevice[device] = headOf(devices.get(device)!);
    heads[register] = perDevice;
  }
  return heads;
}

export const rootOf = (heads: LogSummary['heads']): string => sha256HexSync(canonicalJson(heads));

/** The heads of every chain and their root, for the manifest: pins the whole history as it is now. */
export function summariseLog(registers: Record<string, readonly unknown[]>): LogSummary {
  const byRegister = new Map<string, Map<string, ChainLink[]>>();
  let entries = 0;
  let chained = 0;
  for (const [register, list] of Object.entries(registers)) {
    const devices = new Map<string, ChainLink[]>();
    for (const entry of list) {
      entries++;
      const link = linkOf(entry);
      if (!link) continue;
      chained++;
      let links = devices.get(link.device);
      if (!links) devices.set(link.device, (links = []));
      links.push(link);
    }
    byRegister.set(register, devices);
  }
  const heads = headsOfLinks(byRegister);
  return { root: rootOf(heads), heads, entries, chained, unchained: entries - chained };
}

// ---------------------------------------------------------------- verification


export const registerLabel = (register: string, labels: Readonly<Record<string, string>> = {}): string =>
  (Object.hasOwn(labels, register) && typeof labels[register] === 'string' ? labels[register] : undefined) ?? (register ? register[0]!.toUpperCase() + register.slice(1) : 'An unnamed register');

const shortId = (id: string) => (id.length > 12 ? `${id.slice(0, 10)}…` : id);

interface Node {
  register: string;
  id: string;
  link: ChainLink;
  /** The full entry; undefined for a stub. */
  entry?: Record<string, unknown>;
}


function ranges(numbers: readonly number[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const n of numbers) {
    const last = out[out.length - 1];
    if (last && n === last[1] + 1) last[1] = n;
    else out.push([n, n]);
  }
  return out;
}

/**
 * Checks an exported log against the summary pinned in the manifest: every
 * entry's content against its hash, every link against the entry before it,
 * every number of every device's chain present (in full or as a stub), and
 * every chain's head against the manifest's. Messages name the register, the
 * entry and what is wrong, in words an auditor reads.
 */
export function verifyLog(section: LogSection, expected: LogSummary): LogVerification {
  const labels = isRecord(section?.labels) ? (section.labels as Record<string, string>) : {};
  const labelOf = (register: string) => registerLabel(register, labels);
  const problems: LogProblem[] = [];
  const nodes = new Map<string, Map<string, Node[]>>(); // register → device → nodes
  const seenIds = new Set<string>();
  let checked = 0;
  let unchained = 0;
  let stubCount = 0;

  const add = (node: Node) => {
    let devices = nodes.get(node.register);
    if (!devices) nodes.set(node.register, (devices = new Map()));
    let list = devices.get(node.link.device);
    if (!list) devices.set(node.link.device, (list = []));
    list.push(node);
  };
  const once = (register: string, id: string): boolean => {
    const key = `${register}\u0000${id}`;
    if (seenIds.has(key)) {
      problems.push({ kind: 'bad-link', register, entryId: id, message: `${labelOf(register)} entry ${id} appears more than once in the pack.` });
      return false;
    }
    seenIds.add(key);
    return true;
  };

  const sectionEntries = isRecord(section?.entries) ? section.entries : {};
  for (const [register, list] of Object.entries(sectionEntries)) {
    const label = labelOf(register);
    if (!Array.isArray(list)) {
      problems.push({ kind: 'bad-link', register, message: `${label}: the entries in the pack cannot be read (they are not a list).` });
      continue;
    }
    list.forEach((raw, index) => {
      if (!isRecord(raw)) {
        problems.push({ kind: 'bad-link', register, message: `${label}: item ${index + 1} in the pack is not an entry.` });
        return;
      }
      const id = typeof raw['id'] === 'string' && raw['id'] ? raw['id'] : `#${index + 1}`;
      if (!once(register, id)) return;
      if (!('chain' in raw) || raw['chain'] === undefined) {
        unchained++;
        return;
      }
      const why = linkProblem(raw['chain']);
      if (why) {
        problems.push({ kind: 'bad-link', register, entryId: id, message: `${label} entry ${id} has a damaged chain link (${why}), so it cannot be checked.` });
        return;
      }
      const link = linkOf(raw)!;
      checked++;
      if (entryHash(raw) !== link.hash) {
        problems.push({
          kind: 'altered',
          register,
          entryId: id,
          device: link.device,
          seq: link.seq,
          message: `${label} entry ${id} was altered after it was written: its content no longer matches its hash.`,
        });
      }
      add({ register, id, link, entry: raw });
    });
  }

  const stubs = Array.isArray(section?.stubs) ? section.stubs : [];
  stubs.forEach((stub, index) => {
    const register = isRecord(stub) && typeof stub.register === 'string' ? stub.register : '';
    const id = isRecord(stub) && typeof stub.id === 'string' && stub.id ? stub.id : `#${index + 1}`;
    const why = isRecord(stub) ? linkProblem(stub.chain) : 'it is not a link';
    if (!register || why) {
      problems.push({ kind: 'bad-link', register, entryId: id, message: `${labelOf(register)}: the link of left-out entry ${id} is damaged (${why ?? 'no register'}), so it cannot be checked.` });
      return;
    }
    if (!once(register, id)) return;
    stubCount++;
    add({ register, id, link: linkOf(stub)! });
  });

  // Names a device by who last wrote with it, when the pack shows it.
  const deviceName = (register: string, device: string): string => {
    const list = nodes.get(register)?.get(device) ?? [];
    let best: Node | undefined;
    for (const n of list) if (n.entry && typeof n.entry['byName'] === 'string' && n.entry['byName'] && (!best || n.link.seq > best.link.seq)) best = n;
    const who = best?.entry?.['byName'];
    return `device ${shortId(device)}${typeof who === 'string' ? ` (${who})` : ''}`;
  };

  // Links: every number present, each entry built on the one before it.
  const linksByRegister = new Map<string, Map<string, ChainLink[]>>();
  for (const [register, devices] of nodes) {
    const label = labelOf(register);
    const linkMap = new Map<string, ChainLink[]>();
    linksByRegister.set(register, linkMap);
    for (const [device, list] of devices) {
      linkMap.set(device, list.map((n) => n.link));
      const dev = deviceName(register, device);
      const bySeq = new Map<number, Node[]>();
      let max = 0;
      for (const n of list) {
        let at = bySeq.get(n.link.seq);
        if (!at) bySeq.set(n.link.seq, (at = []));
        at.push(n);
        if (n.link.seq > max) max = n.link.seq;
      }
      const missing: number[] = [];
      for (let s = 1; s <= max; s++) if (!bySeq.has(s)) missing.push(s);
      for (const [a, b] of ranges(missing)) {
        problems.push({
          kind: 'removed',
          register,
          device,
          seq: a,
          message:
            a === b
              ? `${label}: entry ${a} of ${dev} is missing (removed from the pack or the history).`
              : `${label}: entries ${a} to ${b} of ${dev} are missing (removed from the pack or the history).`,
        });
      }
      for (const s of [...bySeq.keys()].sort((x, y) => x - y)) {
        const at = bySeq.get(s)!;
        const distinct = [...new Map(at.map((n) => [n.link.hash, n])).values()];
        if (distinct.length > 1) {
          problems.push({
            kind: 'fork',
            register,
            device,
            seq: s,
            message: `${label}: ${dev} wrote ${distinct.length} entries numbered ${s} (${distinct.map((n) => n.id).join(', ')}), for example from two tabs or windows open at the same time. All are kept and checked; this is not a sign of tampering.`,
          });
        }
        if (s === 1) continue;
        const before = bySeq.get(s - 1);
        if (!before) continue; // reported as missing
        for (const n of at) {
          if (before.some((b) => b.link.hash === n.link.prev)) continue;
          if (before.length === 1) {
            const b = before[0]!;
            problems.push({
              kind: 'altered',
              register,
              entryId: b.id,
              device,
              seq: s - 1,
              message: `${label} entry ${b.id} (number ${s - 1} of ${dev}) was altered or replaced after it was written: entry ${n.id}, which follows it, recorded a different hash for it.`,
            });
          } else {
            problems.push({
              kind: 'bad-link',
              register,
              entryId: n.id,
              device,
              seq: s,
              message: `${label} entry ${n.id} (number ${s} of ${dev}) builds on an entry that is not in the pack: entry ${s - 1} it follows was altered, replaced or removed.`,
            });
          }
        }
      }
    }
  }

  // Heads: the pack's chains must end where the manifest says they ended.
  const heads = headsOfLinks(linksByRegister);
  const expectedHeads = isRecord(expected?.heads) ? expected.heads : {};
  if (!isRecord(expected?.heads) || typeof expected.root !== 'string' || rootOf(expected.heads) !== expected.root) {
    problems.push({
      kind: 'head-mismatch',
      register: 'manifest',
      message: 'The evidence-log summary in the manifest is damaged: its fingerprint does not match the chain heads it lists, so the history cannot be pinned.',
    });
  }
  for (const register of [...new Set([...Object.keys(expectedHeads), ...Object.keys(heads)])].sort()) {
    const label = labelOf(register);
    const want: Record<string, unknown> = isRecord(expectedHeads[register]) ? (expectedHeads[register] as Record<string, unknown>) : {};
    const have = heads[register] ?? {};
    for (const device of [...new Set([...Object.keys(want), ...Object.keys(have)])].sort()) {
      const w = want[device] as LogHead | undefined;
      const h = have[device];
      const dev = deviceName(register, device);
      if (w && (!isRecord(w) || typeof w.seq !== 'number' || typeof w.hash !== 'string')) {
        problems.push({ kind: 'head-mismatch', register, device, message: `${label}: the manifest's record of ${dev} is damaged.` });
        continue;
      }
      if (!h && w) {
        problems.push({ kind: 'removed', register, device, message: `${label}: all ${plural(w.seq, 'entry', 'entries')} of ${dev} are missing (removed from the pack or the history).` });
        continue;
      }
      if (h && !w) {
        problems.push({
          kind: 'head-mismatch',
          register,
          device,
          message: `${label}: ${dev} has ${plural(h.seq, 'entry', 'entries')} that were not in the log when the pack was made: they were added afterwards.`,
        });
        continue;
      }
      if (!h || !w) continue;
      if (h.seq < w.seq) {
        problems.push({
          kind: 'removed',
          register,
          device,
          seq: h.seq + 1,
          message:
            w.seq === h.seq + 1
              ? `${label}: the last entry of ${dev} (number ${w.seq}) is missing (removed from the pack or the history).`
              : `${label}: the last ${w.seq - h.seq} entries of ${dev} (numbers ${h.seq + 1} to ${w.seq}) are missing (removed from the pack or the history).`,
        });
      } else if (h.seq > w.seq) {
        problems.push({
          kind: 'head-mismatch',
          register,
          device,
          seq: w.seq + 1,
          message:
            h.seq === w.seq + 1
              ? `${label}: entry ${h.seq} of ${dev} was not in the log when the pack was made: it was added afterwards.`
              : `${label}: entries ${w.seq + 1} to ${h.seq} of ${dev} were not in the log when the pack was made: they were added afterwards.`,
        });
      } else if (h.hash !== w.hash && !problems.some((p) => p.register === register && p.device === device && p.kind !== 'fork')) {
        // (When an entry of this chain was already named as altered or missing, that is the cause: not repeated here.)
        problems.push({
          kind: 'head-mismatch',
          register,
          device,
          seq: h.seq,
          message: `${label}: the newest entries of ${dev} are not the ones recorded when the pack was made: an entry was replaced, added or removed.`,
        });
      }
    }
  }

  const serious = () => problems.some((p) => p.kind !== 'fork');
  if (typeof expected?.unchained === 'number' && unchained > expected.unchained) {
    problems.push({
      kind: 'bad-link',
      register: 'all registers',
      message: `The pack holds ${plural(unchained, 'entry', 'entries')} without a chain link, but only ${expected.unchained} such ${pluralWord(expected.unchained, 'entry', 'entries')} (written before the log existed) were recorded when it was made: entries were added without a link.`,
    });
  }
  if (!serious() && typeof expected?.chained === 'number' && checked + stubCount !== expected.chained) {
    problems.push({
      kind: 'head-mismatch',
      register: 'all registers',
      message: `The pack holds ${plural(checked + stubCount, 'chained entry', 'chained entries')}, but the log recorded ${expected.chained} when the pack was made.`,
    });
  }

  return { ok: !serious(), problems, checked, unchained, stubs: stubCount };
}
