import { isRecord } from './is-record';
import { isSha256Hex, sha256HexSync } from './sha256';
import { canonicalJson } from './signoff';

/*
 * The link every append-only evidence entry carries (src/domain/evidence-log.ts
 * explains the log): what a device needs to write and read entries, apart from
 * the export and verify side, so Home's path carries only this.
 */

export interface ChainLink {
  device: string;
  seq: number;
  prev: string | null;
  hash: string;
}

export interface LogHead {
  seq: number;
  hash: string;
}

/** Hex SHA-256 of the canonical JSON of the entry, without `hash` inside `chain`. */
export function entryHash(entry: object): string {
  const e = entry as Record<string, unknown>;
  const chain = e['chain'];
  if (isRecord(chain)) {
    const { hash: _hash, ...link } = chain;
    return sha256HexSync(canonicalJson({ ...e, chain: link }));
  }
  return sha256HexSync(canonicalJson(entry));
}

/** Why a `chain` value is not a valid link, or undefined when it is. */
export function linkProblem(chain: unknown): string | undefined {
  if (!isRecord(chain)) return 'it is not a link';
  if (typeof chain['device'] !== 'string' || !chain['device']) return 'no device';
  const seq = chain['seq'];
  if (typeof seq !== 'number' || !Number.isInteger(seq) || seq < 1) return 'no valid number';
  const prev = chain['prev'];
  if (!(prev === null || (typeof prev === 'string' && isSha256Hex(prev)))) return 'no valid previous hash';
  if (seq === 1 && prev !== null) return 'it is number 1 but points back to an earlier entry';
  if (seq > 1 && prev === null) return `it is number ${seq} but points back to nothing`;
  if (typeof chain['hash'] !== 'string' || !isSha256Hex(chain['hash'])) return 'no valid hash';
  return undefined;
}

/** The chain link an entry carries, when it carries a well-formed one. */
export function linkOf(entry: unknown): ChainLink | undefined {
  if (!isRecord(entry)) return undefined;
  const chain = entry['chain'];
  if (linkProblem(chain) !== undefined) return undefined;
  const c = chain as Record<string, unknown>;
  return { device: c['device'] as string, seq: c['seq'] as number, prev: c['prev'] as string | null, hash: c['hash'] as string };
}

/**
 * The entry as it is stored: the entry plus the next link of `device`'s chain,
 * after `head` (that device's newest link in this register, or undefined for its first entry).
 */
export function chainEntry<T extends object>(entry: T, device: string, head: LogHead | undefined): T & { chain: ChainLink } {
  const { chain: _old, ...content } = entry as T & { chain?: unknown };
  const link = { device, seq: (head?.seq ?? 0) + 1, prev: head?.hash ?? null };
  const hash = sha256HexSync(canonicalJson({ ...content, chain: link }));
  return { ...(content as T), chain: { ...link, hash } };
}
