import {
  declaredKeys,
  MEMBERSHIP_CONTEXT,
  type MembershipDraft,
  type MembershipEntry,
  type MembershipLog,
  membershipId,
  parseMembershipEntry,
  readMembership,
  signerKeyOf,
} from '../domain/membership';
import { type SigningAlg, signDigest, signingKeyId, verifyDigest } from './signing';

/*
 * The WebCrypto half of the membership log (src/domain/membership.ts):
 * signing a draft, and checking every signature before the pure fold.
 * The relay runs the same two functions (server/admission.ts).
 */

/** Signs a draft with a device (or recovery) key; `draft.by` must be that key's id. */
export async function signMembershipEntry(draft: MembershipDraft, key: { privateKey: CryptoKey; alg: SigningAlg }): Promise<MembershipEntry> {
  const sig = await signDigest(key, MEMBERSHIP_CONTEXT, membershipId(draft));
  return { ...draft, sig } as MembershipEntry;
}

/** Memo of checked signatures: an entry's id covers everything but its signature, so (id, sig) is checked once. */
const checked = new Map<string, boolean>();

/**
 * Checks every entry's signature, then reads the log.
 *
 * @example
 * const log = await verifyMembership([...doc.getMap('membership').values()], { workspace, root });
 * log.current.byKey.get(keyId)?.role;
 */
export async function verifyMembership(raw: Iterable<unknown>, opts: { workspace: string; root?: string }): Promise<MembershipLog> {
  const list = [...raw];
  const parsed: Array<[string, MembershipEntry]> = [];
  for (const r of list) {
    const e = parseMembershipEntry(r);
    if (typeof e !== 'string') parsed.push([membershipId(e), e]);
  }
  const keys = declaredKeys(parsed.map(([, e]) => e), signingKeyId);
  const ok = new Set<string>();
  const pending = new Set<string>();
  await Promise.all(
    parsed.map(async ([id, e]) => {
      const memo = `${id}.${e.sig}`;
      if (!signerKeyOf(e, keys)) {
        pending.add(id); // its signer's grant has not arrived: nothing to check against yet
        return;
      }
      let good = checked.get(memo);
      if (good === undefined) {
        const key = signerKeyOf(e, keys);
        good = !!key && signingKeyId(key) === e.by && (await verifyDigest(key, MEMBERSHIP_CONTEXT, id, e.sig));
        if (checked.size > 20000) checked.clear();
        checked.set(memo, good);
      }
      if (good) ok.add(id);
    }),
  );
  return readMembership(list, { ...opts, sigOk: (id) => ok.has(id), sigPending: (id) => pending.has(id), keyIdOf: signingKeyId });
}
