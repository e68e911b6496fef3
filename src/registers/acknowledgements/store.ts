import { createMemo } from 'solid-js';
import type * as Y from 'yjs';
import type { Validated } from '../../domain/validation';
import { randomId } from '../../store/device-records';
import { createDocView } from '../../store/reactive';
import { appendEntry } from '../../store/records';
import type { Signer } from '../../store/signoffs';
import type { Person } from '../people/model';
import { sha256HexAsync } from '../../domain/sha256';
import { normaliseText, type Policy, type Publication } from '../policies/model';
import { type Acknowledgement, byAt, covers, parseAcknowledgement, validateAcknowledgement } from './model';

export interface AcknowledgeRequest {
  person: Person;
  policy: Policy;
  /** The version on screen (the current one). */
  publication: Publication;
  /** The source text of the policy that was rendered on screen (Markdown); it is hashed again and must match the publication. */
  shownText: string;
  typedName: string;
  /** PNG data URL of the drawn signature, if any. */
  signature?: string | undefined;
}

/**
 * Acknowledgements of policy versions, bound to the workspace's
 * "acknowledgements" document. Append-only: an acknowledgement is written once
 * and never changed; a new version of the policy makes it stale, not wrong.
 *
 * @example
 * const acks = createAcknowledgementStore(docs.acknowledgements);
 * const r = await acks.acknowledge({ person, policy, publication, shownText, typedName: 'Sam Staff' }, signer);
 */
export function createAcknowledgementStore(doc: Y.Doc) {
  const view = createDocView(doc);
  const all = createMemo(() => view.entries().map(parseAcknowledgement).filter((a): a is Acknowledgement => !!a).sort(byAt));
  const byId = createMemo(() => new Map(all().map((a) => [a.id, a])));
  return {
    view,
    /** Every acknowledgement, oldest first. */
    all,
    /** Alias of `all`, for readers that think of them as "acks". */
    acks: all,
    byId,
    byPerson: (personId: string) => all().filter((a) => a.personId === personId),
    forPolicy: (policyId: string) => all().filter((a) => a.policyId === policyId),

    /**
     * Records "I have read and will follow <title> version <v>". Refused, with
     * nothing written, when the typed name is empty or not the person's, the
     * signature is too large, the text on screen does not hash to the published
     * SHA-256, or the person already acknowledged this version.
     */
    async acknowledge(req: AcknowledgeRequest, signer: Signer): Promise<Validated<Acknowledgement>> {
      const { person, policy, publication } = req;
      if (publication.policyId !== policy.id) return { ok: false, errors: { _: 'That version belongs to another policy.' } };
      if (person.archived) return { ok: false, errors: { _: `${person.name} is marked as left: they cannot acknowledge policies.` } };
      const shownSha256 = await sha256HexAsync(normaliseText(req.shownText));
      const result = validateAcknowledgement({ typedName: req.typedName, signature: req.signature }, { personName: person.name, publication, shownSha256 });
      if (!result.ok) return result;
      if (all().some((a) => a.personId === person.id && covers(a, publication))) {
        return { ok: false, errors: { _: `${person.name} has already acknowledged version ${publication.version}.` } };
      }
      const entry: Acknowledgement = {
        id: randomId(),
        kind: 'acknowledgement',
        personId: person.id,
        policyId: policy.id,
        version: publication.version,
        textSha256: shownSha256,
        typedName: result.value.typedName,
        ...(result.value.signature ? { signature: result.value.signature } : {}),
        at: new Date().toISOString(),
        deviceId: signer.deviceId,
        ...(signer.name ? { byName: signer.name } : {}),
      };
      appendEntry(doc, entry);
      return { ok: true, value: entry };
    },
  };
}

export type AcknowledgementStore = ReturnType<typeof createAcknowledgementStore>;
