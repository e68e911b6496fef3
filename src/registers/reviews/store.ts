import type * as Y from 'yjs';
import { followUpFields } from '../../domain/follow-up';
import type { Validated } from '../../domain/validation';
import { randomId } from '../../store/device-records';
import { createRecord, patchField, readFields, setFields } from '../../store/records';
import { appendSignOff, createSignedRegister, type Signer } from '../../store/signoffs';
import {
  actionField,
  type ActionInput,
  type ActionStatus,
  approvalBlocked,
  approvalState,
  attendeeField,
  type CarriedUpdate,
  carriedField,
  decisionField,
  type ManagementReview,
  type ReviewHeader,
  type ReviewInputs,
  reviewFromFields,
  reviewSnapshot,
  validateAction,
  validateCarried,
  validateDecision,
  validateReviewHeader,
} from './model';

export type NewReviewInput = Pick<ReviewHeader, 'date' | 'periodFrom' | 'periodTo' | 'chairId'>;

/**
 * Management reviews, bound to the workspace's "reviews" document. Every
 * section is its own field (or one field per attendee, decision, action and
 * carried action), so two devices editing different sections both keep theirs.
 *
 * @example
 * const reviews = createReviewStore(docs.reviews);
 * const r = reviews.create({ date: '2026-11-25', periodFrom: '2026-07-01', periodTo: '2026-09-30', chairId: 'p1' }, signer);
 */
export function createReviewStore(doc: Y.Doc) {
  // Newest first for lists; the model orders chronologically where it matters.
  const base = createSignedRegister(doc, reviewFromFields, (a, b) => b.date.localeCompare(a.date) || b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id));
  const { history } = base;
  const header = (r: ManagementReview): ReviewHeader => ({
    date: r.date,
    periodFrom: r.periodFrom,
    periodTo: r.periodTo,
    chairId: r.chairId,
    changes: r.changes,
    auditFindings: r.auditFindings,
    incidents: r.incidents,
  });
  const exists = (id: string) => !!readFields(doc, id);
  /** The follow-up fields after a status change: the day and who set it done, kept while it stays done. */
  const followUp = (previous: Record<string, unknown>, status: ActionStatus, signer: Signer | undefined, today: string | undefined) => {
    const was = { done: previous['status'] === 'done', doneOn: typeof previous['doneOn'] === 'string' ? previous['doneOn'] : '', doneBy: typeof previous['doneBy'] === 'string' ? previous['doneBy'] : '' };
    if (!signer || !today) return status === 'done' ? { doneOn: was.doneOn, doneBy: was.doneBy } : { doneOn: '', doneBy: '' };
    return followUpFields(status === 'done', was, signer, today);
  };
  return {
    ...base,
    approvalState: (r: ManagementReview) => approvalState(r, history(r.id)),
    create(input: NewReviewInput, signer: Signer): Validated<ManagementReview> {
      const result = validateReviewHeader({ ...input, changes: '', auditFindings: '', incidents: '' });
      if (!result.ok) return result;
      const id = randomId();
      const { date, periodFrom, periodTo, chairId } = result.value;
      const fields: Record<string, unknown> = { date, periodFrom, periodTo, chairId, createdAt: new Date().toISOString(), createdBy: signer.name };
      // The chair attends.
      fields[attendeeField(chairId)] = true;
      createRecord(doc, id, fields);
      return { ok: true, value: reviewFromFields(id, fields) };
    },
    /** Saves one header or text section after validating the whole header; returns the message if refused. */
    setHeader(r: ManagementReview, field: keyof ReviewHeader, value: string): string | undefined {
      if (!exists(r.id)) return 'This review is not on this device.';
      const result = validateReviewHeader({ ...header(r), [field]: value });
      if (!result.ok) return result.errors[field] ?? Object.values(result.errors)[0];
      setFields(doc, r.id, { [field]: result.value[field] });
      return undefined;
    },
    setArchived(id: string, archived: boolean) {
      if (exists(id)) setFields(doc, id, { archived });
    },
    setAttendee(id: string, personId: string, present: boolean) {
      if (exists(id)) setFields(doc, id, { [attendeeField(personId)]: present });
    },
    addDecision(id: string, text: string): Validated<string> {
      const result = validateDecision(text);
      if (!result.ok) return result;
      if (!exists(id)) return { ok: false, errors: { text: 'This review is not on this device.' } };
      setFields(doc, id, { [decisionField(randomId(8))]: { text: result.value, at: new Date().toISOString() } });
      return result;
    },
    updateDecision(id: string, decisionId: string, text: string): Validated<string> {
      const result = validateDecision(text);
      const current = readFields(doc, id)?.[decisionField(decisionId)];
      if (!result.ok) return result;
      if (!current || typeof current !== 'object') return { ok: false, errors: { text: 'That decision is not in this review.' } };
      setFields(doc, id, { [decisionField(decisionId)]: { ...current, text: result.value } });
      return result;
    },
    removeDecision(id: string, decisionId: string) {
      patchField(doc, id, decisionField(decisionId), { deleted: true });
    },
    addAction(id: string, input: ActionInput): Validated<ActionInput> {
      const result = validateAction(input);
      if (!result.ok) return result;
      if (!exists(id)) return { ok: false, errors: { text: 'This review is not on this device.' } };
      setFields(doc, id, { [actionField(randomId(8))]: result.value });
      return result;
    },
    /** Edits an action; a change of status is follow-up, recorded with the day and who set it done. */
    updateAction(id: string, actionId: string, input: ActionInput, signer?: Signer, today?: string): Validated<ActionInput> {
      const result = validateAction(input);
      if (!result.ok) return result;
      const current = readFields(doc, id)?.[actionField(actionId)];
      if (!current || typeof current !== 'object') return { ok: false, errors: { text: 'That action is not in this review.' } };
      setFields(doc, id, { [actionField(actionId)]: { ...current, ...result.value, ...followUp(current as Record<string, unknown>, result.value.status, signer, today) } });
      return result;
    },
    removeAction(id: string, actionId: string) {
      patchField(doc, id, actionField(actionId), { deleted: true });
    },
    /** Records, in this review, the status (owner, due date, note) of an action raised in an earlier review. */
    updateCarried(id: string, actionId: string, update: CarriedUpdate, signer?: Signer, today?: string): Validated<Omit<CarriedUpdate, 'doneOn' | 'doneBy'>> {
      const result = validateCarried(update);
      if (!result.ok) return result;
      if (!exists(id)) return { ok: false, errors: { status: 'This review is not on this device.' } };
      const current = readFields(doc, id)?.[carriedField(actionId)];
      // First update of it in this review: done before only if the action came in with a done day.
      const previous = current && typeof current === 'object' ? (current as Record<string, unknown>) : { status: update.doneOn ? 'done' : 'open', doneOn: update.doneOn ?? '', doneBy: update.doneBy ?? '' };
      setFields(doc, id, { [carriedField(actionId)]: { ...result.value, ...followUp(previous, result.value.status, signer, today) } });
      return result;
    },
    /**
     * The chair approves the minutes. The snapshot holds the review and the
     * inputs as shown (`inputs`: KPIs and earlier actions), pinning the figures.
     */
    approve(r: ManagementReview, inputs: ReviewInputs, signer: Signer, chairName: string, note: string): string | undefined {
      const blocked = approvalBlocked(r, signer, chairName);
      if (blocked) return blocked;
      appendSignOff(doc, r.id, reviewSnapshot(r, inputs), signer, note);
      return undefined;
    },
    correct: (r: ManagementReview, inputs: ReviewInputs, entryId: string, signer: Signer, note: string, withdraws: boolean) =>
      base.correct(r.id, entryId, reviewSnapshot(r, inputs), signer, note, withdraws),
  };
}

export type ReviewStore = ReturnType<typeof createReviewStore>;
