import { entryHash } from './evidence-chain';
import { isRecord } from './is-record';
import { sha256HexSync } from './sha256';
import { canonicalJson } from './signoff';

/*
 * Signatures of evidence entries (issue 17). Entries stay as they are
 * (src/domain/evidence-log.ts: written once, chained per device); each
 * register document has a third root, `sigs: Y.Map<entryId, EvidenceSig>`,
 * written by the device whose chain the entry is on, a moment after the
 * entry (WebCrypto signs asynchronously, appends are synchronous).
 *
 * The signature covers the register, the entry's hash (its canonical form
 * and chain link, src/domain/evidence-log.ts entryHash), the membership log's
 * tips the signer had seen (`m`: what it held "at the time"), the time and
 * whether it is an owner's vouch for an entry whose own device can no longer
 * sign it (written before signing existed by a device that is gone).
 */

export const EVIDENCE_CONTEXT = 'evidence';
export const SIGS = 'sigs';

export interface EvidenceSig {
  v: 1;
  /** signingKeyId of the signer (src/crypto/signing.ts). */
  by: string;
  /** Membership log tips the signer had seen (sorted). */
  m: string[];
  at: string;
  /** An owner vouching for another device's unsigned entry. */
  vouch?: true;
  sig: string;
}

export type EvidenceSigDraft = Omit<EvidenceSig, 'sig'>;

/** The digest an evidence signature covers. */
export function evidenceSigDigest(register: string, entry: object, sig: EvidenceSigDraft | EvidenceSig): string {
  const { sig: _s, ...rest } = sig as EvidenceSig;
  return sha256HexSync(canonicalJson({ register, entry: entryHash(entry), ...rest }));
}

export function parseEvidenceSig(raw: unknown): EvidenceSig | undefined {
  if (!isRecord(raw) || raw['v'] !== 1) return undefined;
  if (typeof raw['by'] !== 'string' || typeof raw['sig'] !== 'string' || typeof raw['at'] !== 'string') return undefined;
  if (!Array.isArray(raw['m']) || !raw['m'].every((x) => typeof x === 'string')) return undefined;
  if (raw['vouch'] !== undefined && raw['vouch'] !== true) return undefined;
  return raw as unknown as EvidenceSig;
}
