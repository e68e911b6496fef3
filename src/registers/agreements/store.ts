import { createMemo } from 'solid-js';
import type * as Y from 'yjs';
import { localIsoDate } from '../../domain/dates';
import type { Validated } from '../../domain/validation';
import { randomId } from '../../store/device-records';
import { createDocView } from '../../store/reactive';
import { createRecord, readFields, setFields } from '../../store/records';
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
      setFields(doc, id, { ...cleared, ...agreementFields(result.value) });
      return { ok: true, value: agreementFromFields(id, readFields(doc, id) ?? {}) };
    },
    setArchived(id: string, archived: boolean) {
      if (readFields(doc, id)) setFields(doc, id, { archived });
    },
  };
}

export type AgreementStore = ReturnType<typeof createAgreementStore>;
