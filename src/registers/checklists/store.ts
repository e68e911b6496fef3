import type * as Y from 'yjs';
import type { Validated } from '../../domain/validation';
import { followUpFields } from '../../domain/follow-up';
import { randomId } from '../../store/device-records';
import { createRecord, patchField, setFields } from '../../store/records';
import { appendSignOff, createSignedRegister, type Signer } from '../../store/signoffs';
import {
  actionField,
  canSignOff,
  type ChecklistActionInput,
  type Checklist,
  checklistFromFields,
  checklistSnapshot,
  checklistStatus,
  type ItemState,
  itemField,
  type NewChecklistInput,
  serializeItems,
  type TemplateItem,
  validateChecklistAction,
  validateNewChecklist,
  validateNote,
} from './model';

/**
 * Monthly checklists, bound to the workspace's "checklists" document.
 *
 * @example
 * const checklists = createChecklistStore(docs.checklists);
 * checklists.create({ team: 'Ops', month: '2026-11' }, template, signer);
 */
export function createChecklistStore(doc: Y.Doc) {
  const base = createSignedRegister(doc, checklistFromFields, (a, b) => b.month.localeCompare(a.month) || a.team.localeCompare(b.team));
  const { all, history } = base;
  return {
    ...base,
    status: (c: Checklist) => checklistStatus(c, history(c.id)),
    create(input: NewChecklistInput, template: readonly TemplateItem[], signer: Signer): Validated<Checklist> {
      const result = validateNewChecklist(input, all());
      if (!result.ok) return result;
      const id = randomId();
      // The items are copied in: later template changes do not rewrite past months.
      createRecord(doc, id, { ...result.value, items: serializeItems(template), createdAt: new Date().toISOString(), createdBy: signer.name });
      return { ok: true, value: checklistFromFields(id, { ...result.value, items: serializeItems(template) }) };
    },
    setItem(id: string, key: string, part: keyof ItemState, value: string): string | undefined {
      if (part === 'note' || part === 'evidence') {
        const error = validateNote(value);
        if (error) return error;
      }
      setFields(doc, id, { [itemField(key, part)]: value });
      return undefined;
    },
    /** A follow-up action for one item (see ChecklistAction for the stored shape). */
    addAction(c: Checklist, input: ChecklistActionInput): Validated<ChecklistActionInput> {
      const result = validateChecklistAction(c, input);
      if (result.ok) setFields(doc, c.id, { [actionField(randomId(8))]: result.value });
      return result;
    },
    /** Ticks an action done or open again; the sign-off does not cover it, so it stays standing. */
    setActionDone(c: Checklist, actionId: string, done: boolean, signer: Signer, today: string): string | undefined {
      const action = c.actions.find((a) => a.id === actionId);
      if (!action || !patchField(doc, c.id, actionField(actionId), { done, ...followUpFields(done, action, signer, today) })) return 'That action is not on this checklist.';
      return undefined;
    },
    removeAction(id: string, actionId: string) {
      patchField(doc, id, actionField(actionId), { deleted: true });
    },
    signOff(c: Checklist, signer: Signer, note: string): string | undefined {
      if (!canSignOff(c)) return 'Answer every item (done, not done or N/A) before signing off.';
      if (!signer.name.trim()) return 'Enter your name in Settings before signing.';
      appendSignOff(doc, c.id, checklistSnapshot(c), signer, note);
      return undefined;
    },
    correct: (c: Checklist, entryId: string, signer: Signer, note: string, withdraws: boolean) =>
      base.correct(c.id, entryId, checklistSnapshot(c), signer, note, withdraws),
  };
}

export type ChecklistStore = ReturnType<typeof createChecklistStore>;
