import { createMemo } from 'solid-js';
import type * as Y from 'yjs';
import { localIsoDate } from '../../domain/dates';
import type { Validated } from '../../domain/validation';
import { randomId } from '../../store/device-records';
import { createDocView } from '../../store/reactive';
import { createRecord, readFields, recordsOf, setFields } from '../../store/records';
import { type Agreement, agreementFields, agreementFromFields, type AgreementInput, validateAgreement } from './model';

/**
 * Agreements (employment, contractor, NDA, supplier), bound to the workspace's
 * "agreements" document. Editable records, never deleted: archived.
 *
 * @example
 * const agreements = createAgreementStore(docs.agreements);
 * agreements.add({ partyPersonId: id, partyName: '', type: 'employment', signedOn: '2026-01-05', ... });
 */
export function createAgreementStore(doc: Y.Doc) {
  const view = createDocView(doc);
  const all = createMemo(() =>
    [...view.records()]
      .map(([id, f]) => agreementFromFields(id, f))
      .sort((a, b) => (b.signedOn || '9999').localeCompare(a.signedOn || '9999') || a.createdAt.localeCompare(b.createdAt)),
  );
  const byId = createMemo(() => new Map(all().map((a) => [a.id, a])));
  return {
    view,
    all,
    /** Not archived. */
    active: createMemo(() => all().filter((a) => !a.archived)),
    byId,
    add(input: AgreementInput, createdBy = '', today = localIsoDate()): Validated<Agreement> {
      const result = validateAgreement(input, today);
      if (!result.ok) return result;
      const id = randomId();
      const fields = { ...agreementFields(result.value), archived: false, createdAt: new Date().toISOString(), createdBy };
      createRecord(doc, id, fields);
      return { ok: true, value: agreementFromFields(id, fields) };
    },
    update(id: string, input: AgreementInput, today = localIsoDate()): Validated<Agreement> {
      const before = readFields(doc, id);
      if (!before) return { ok: false, errors: { _: 'That agreement is not on this device.' } };
      const result = validateAgreement(input, today);
      if (!result.ok) return result;
      // Policies no longer referenced are set false (never removed), so a concurrent addition elsewhere survives.
      const cleared: Record<string, boolean> = {};
      for (const [k, val] of Object.entries(before)) if (k.startsWith('policy.') && val === true) cleared[k] = false;
      const fields = { ...cleared, ...agreementFields(result.value) };
      if ((before['partyPersonId'] ?? '') !== result.value.partyPersonId) {
        // Whose an agreement is decides whose phones receive it, and is fixed when the record is made
        // (server/audience.ts): with another party it is another record, the old one removed in the same change.
        const moved = randomId();
        doc.transact(() => {
          createRecord(doc, moved, { ...before, ...fields });
          recordsOf(doc).delete(id);
        });
        return { ok: true, value: agreementFromFields(moved, readFields(doc, moved) ?? {}) };
      }
      setFields(doc, id, fields);
      return { ok: true, value: agreementFromFields(id, readFields(doc, id) ?? {}) };
    },
    setArchived(id: string, archived: boolean) {
      if (readFields(doc, id)) setFields(doc, id, { archived });
    },
  };
}

export type AgreementStore = ReturnType<typeof createAgreementStore>;
