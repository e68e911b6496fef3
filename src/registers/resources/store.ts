import { createMemo } from 'solid-js';
import type * as Y from 'yjs';
import { localIsoDate } from '../../domain/dates';
import type { Validated } from '../../domain/validation';
import { randomId } from '../../store/device-records';
import { createDocView } from '../../store/reactive';
import { appendEntry, createRecord, readFields, setFields } from '../../store/records';
import type { Signer } from '../../store/signoffs';
import {
  type ApprovalEntry,
  type ApprovalInput,
  approvalsOf,
  parseApprovals,
  type ResourceApproval,
  resourceFromFields,
  type ResourceInput,
  validateApproval,
  validateResource,
  withApproval,
} from './model';

/**
 * Resource approvals, bound to the workspace's "resources" document: the
 * description is an editable record (one field per key), the approval an
 * append-only entry.
 *
 * @example
 * const resources = createResourceStore(docs.resources);
 * resources.add({ kind: 'tool', description: 'Password manager', amount: '1200', currency: 'GBP', hours: '', control: 'A 5.17', reviewId: '' },
 *   { approvedBy: 'p1', approvedOn: '2026-11-25' }, signer);
 */
export function createResourceStore(doc: Y.Doc) {
  const view = createDocView(doc);
  const approvals = createMemo(() => parseApprovals(view.entries()));
  const all = createMemo<ResourceApproval[]>(() =>
    [...view.records()]
      .map(([id, f]) => withApproval(resourceFromFields(id, f), approvals()))
      .sort((a, b) => b.approvedOn.localeCompare(a.approvedOn) || b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id)),
  );
  const byId = createMemo(() => new Map(all().map((r) => [r.id, r])));
  const entry = (recordId: string, input: ApprovalInput, signer: Signer, extra: Partial<ApprovalEntry> = {}): ApprovalEntry => ({
    id: randomId(),
    kind: 'approval',
    recordId,
    approvedBy: input.approvedBy,
    approvedOn: input.approvedOn,
    ...extra,
    byName: signer.name,
    ...(signer.personId ? { byPersonId: signer.personId } : {}),
    at: new Date().toISOString(),
    deviceId: signer.deviceId,
  });
  return {
    all,
    active: createMemo(() => all().filter((r) => !r.archived)),
    byId,
    approvals,
    /** Approval entries of one record, oldest first. */
    history: (recordId: string) => approvalsOf(recordId, approvals()),
    /** Live approvals decided at a management review. */
    forReview: (reviewId: string) => all().filter((r) => !r.archived && r.reviewId === reviewId),
    /** Records the description and, as evidence, the approval (who approved it, when). */
    add(input: ResourceInput, approval: ApprovalInput, signer: Signer, today = localIsoDate()): Validated<ResourceApproval> {
      const r = validateResource(input);
      const a = validateApproval(approval, today);
      if (!r.ok || !a.ok) return { ok: false, errors: { ...(r.ok ? {} : r.errors), ...(a.ok ? {} : a.errors) } };
      const id = randomId();
      const fields = { ...r.value, archived: false, createdAt: new Date().toISOString(), createdBy: signer.name };
      const e = entry(id, a.value, signer);
      doc.transact(() => {
        createRecord(doc, id, fields);
        appendEntry(doc, e);
      });
      return { ok: true, value: withApproval(resourceFromFields(id, fields), [e]) };
    },
    /** Edits the description (not the approval: see `correctApproval`). */
    update(id: string, input: ResourceInput): Validated<ResourceApproval> {
      const r = validateResource(input);
      if (!r.ok) return r;
      if (!readFields(doc, id)) return { ok: false, errors: { description: 'This approval is not on this device.' } };
      // An amount or hours no longer given is cleared (null), not left as it was.
      setFields(doc, id, { amount: null, hours: null, ...r.value });
      return { ok: true, value: withApproval(resourceFromFields(id, { ...readFields(doc, id) }), approvals()) };
    },
    /** A wrong approver or date: a new approval entry that corrects the standing one (which stays in the history). */
    correctApproval(id: string, input: ApprovalInput, note: string, signer: Signer, today = localIsoDate()): Validated<ApprovalEntry> {
      const a = validateApproval(input, today);
      const why = note.trim();
      const errors: Partial<Record<string, string>> = a.ok ? {} : { ...a.errors };
      if (!why) errors['note'] = 'Say what is being corrected and why.';
      else if (why.length > 2000) errors['note'] = 'Keep the note under 2,000 characters.';
      if (!readFields(doc, id)) errors['approvedBy'] ??= 'This approval is not on this device.';
      if (!a.ok || Object.keys(errors).length) return { ok: false, errors };
      const previous = approvalsOf(id, approvals()).at(-1);
      const e = entry(id, a.value, signer, { ...(previous ? { corrects: previous.id } : {}), note: why });
      appendEntry(doc, e);
      return { ok: true, value: e };
    },
    setArchived(id: string, archived: boolean) {
      if (readFields(doc, id)) setFields(doc, id, { archived });
    },
  };
}

export type ResourceStore = ReturnType<typeof createResourceStore>;
