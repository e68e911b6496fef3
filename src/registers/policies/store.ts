import { createMemo } from 'solid-js';
import type * as Y from 'yjs';
import type { Validated } from '../../domain/validation';
import { randomId } from '../../store/device-records';
import { createDocView } from '../../store/reactive';
import { appendEntry, createRecord, readFields, setFields } from '../../store/records';
import type { Signer } from '../../store/signoffs';
import { sha256HexAsync } from '../../domain/sha256';
import {
  audienceFields,
  byPublishedAt,
  lastEvidencedReview,
  parsePublication,
  parseReview,
  type Policy,
  policyFromFields,
  type PolicyInput,
  type Publication,
  type PublicationInput,
  publicationsOf,
  type Review,
  type ReviewInput,
  reviewOverdue,
  reviewsOf,
  validatePolicy,
  validatePublication,
  validateReview,
} from './model';

/**
 * Policies, their published versions and their reviews, bound to the
 * workspace's "policies" document. Versions and reviews are append-only
 * entries: publishing v2 adds an entry, it never changes v1.
 *
 * @example
 * const policies = createPolicyStore(docs.policies);
 * const r = policies.create({ title: 'Acceptable use', ownerId, audience: EVERYONE, nextReviewDate: '2027-11-01' }, signer);
 * await policies.publish(r.value.id, { version: '1.0', text, approvedBy: 'CEO', approvedOn: '2026-11-01' }, signer, today);
 * policies.current(r.value.id)?.version; // '1.0'
 */
export function createPolicyStore(doc: Y.Doc) {
  const view = createDocView(doc);
  const all = createMemo(() => [...view.records()].map(([id, f]) => policyFromFields(id, f)).sort((a, b) => a.title.localeCompare(b.title) || a.id.localeCompare(b.id)));
  const active = createMemo(() => all().filter((p) => !p.archived));
  const byId = createMemo(() => new Map(all().map((p) => [p.id, p])));
  const publications = createMemo(() => view.entries().map(parsePublication).filter((p): p is Publication => !!p).sort(byPublishedAt));
  const reviews = createMemo(() => view.entries().map(parseReview).filter((r): r is Review => !!r));
  /** policyId → current publication, computed once per change of the entries. */
  const currentById = createMemo(() => {
    const map = new Map<string, Publication>();
    for (const p of publications()) map.set(p.policyId, p); // sorted oldest first: the last one wins
    return map;
  });

  const signedBy = (signer: Signer) => ({ byName: signer.name, ...(signer.personId ? { byPersonId: signer.personId } : {}), deviceId: signer.deviceId });

  return {
    view,
    all,
    active,
    byId,
    /** Every publication of every policy, oldest first. */
    publications,
    /** Every review of every policy. */
    reviews,
    /** Versions of one policy, oldest first. */
    versionsOf: (policyId: string) => publicationsOf(policyId, publications()),
    reviewsOf: (policyId: string) => reviewsOf(policyId, reviews()),
    /** The current (latest) version of a policy, or undefined before the first publication. */
    current: (policyId: string): Publication | undefined => currentById().get(policyId),
    lastEvidencedReview: (policyId: string) => lastEvidencedReview(policyId, publications(), reviews()),
    reviewOverdue: (p: Policy, today: string) => reviewOverdue(p, publications(), reviews(), today),

    create(input: PolicyInput, signer: Signer): Validated<Policy> {
      const result = validatePolicy(input);
      if (!result.ok) return result;
      const id = randomId();
      const { audience, ...rest } = result.value;
      const fields = { ...rest, ...audienceFields(audience), archived: false, createdAt: new Date().toISOString(), createdBy: signer.name };
      createRecord(doc, id, fields);
      return { ok: true, value: policyFromFields(id, fields) };
    },

    /** Saves the policy form. Teams or roles taken out of the audience are set to false, not removed. */
    update(id: string, input: PolicyInput): Validated<PolicyInput> {
      const result = validatePolicy(input);
      if (!result.ok) return result;
      const stored = readFields(doc, id);
      if (!stored) return { ok: false, errors: { _: 'This policy is not on this device.' } };
      const { audience, ...rest } = result.value;
      setFields(doc, id, { ...rest, ...audienceFields(audience, stored) });
      return result;
    },

    setArchived(id: string, archived: boolean) {
      setFields(doc, id, { archived });
    },

    /**
     * Publishes a new version: an append-only entry with the exact text and its
     * SHA-256 (WebCrypto). Every earlier acknowledgement of the policy becomes
     * stale. Nothing is written when the input is refused.
     */
    async publish(policyId: string, input: PublicationInput, signer: Signer, today: string): Promise<Validated<Publication>> {
      if (!byId().has(policyId)) return { ok: false, errors: { _: 'This policy is not on this device.' } };
      if (!signer.name.trim()) return { ok: false, errors: { _: 'Enter your name in Settings before publishing.' } };
      const first = validatePublication(input, publicationsOf(policyId, publications()), today);
      if (!first.ok) return first;
      const textSha256 = await sha256HexAsync(first.value.text);
      // Check again: another version may have arrived while hashing.
      const result = validatePublication(input, publicationsOf(policyId, publications()), today);
      if (!result.ok) return result;
      const entry: Publication = {
        id: randomId(),
        kind: 'publication',
        policyId,
        version: result.value.version,
        text: result.value.text,
        textSha256,
        approvedBy: result.value.approvedBy,
        approvedOn: result.value.approvedOn,
        publishedAt: new Date().toISOString(),
        ...signedBy(signer),
      };
      appendEntry(doc, entry);
      return { ok: true, value: entry };
    },

    /** Records an evidenced review (append-only) and moves the policy's next review date to the one agreed. */
    recordReview(policyId: string, input: ReviewInput, signer: Signer, today: string): Validated<Review> {
      if (!byId().has(policyId)) return { ok: false, errors: { _: 'This policy is not on this device.' } };
      if (!signer.name.trim()) return { ok: false, errors: { _: 'Enter your name in Settings before recording a review.' } };
      const result = validateReview(input, today);
      if (!result.ok) return result;
      const entry: Review = { id: randomId(), kind: 'review', policyId, ...result.value, at: new Date().toISOString(), ...signedBy(signer) };
      doc.transact(() => {
        appendEntry(doc, entry);
        setFields(doc, policyId, { nextReviewDate: result.value.nextReviewDate });
      });
      return { ok: true, value: entry };
    },
  };
}

export type PolicyStore = ReturnType<typeof createPolicyStore>;
