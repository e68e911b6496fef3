import type * as Y from 'yjs';
import { followUpFields } from '../../domain/follow-up';
import type { Validated } from '../../domain/validation';
import { randomId } from '../../store/device-records';
import { createRecord, patchField, readFields, setFields } from '../../store/records';
import { appendSignOff, createSignedRegister, type Signer } from '../../store/signoffs';
import {
  actionField,
  type ActionInput,
  attendeeField,
  type Briefing,
  briefingFromFields,
  type BriefingHeader,
  briefingSnapshot,
  briefingStatus,
  topicField,
  validateAction,
  validateBriefingHeader,
  validateTopic,
} from './model';

/**
 * Briefing minutes, bound to the workspace's "briefings" document.
 *
 * @example
 * const briefings = createBriefingStore(docs.briefings);
 * const r = briefings.create({ date: '2026-11-25', team: 'Ops', notes: '' }, signer);
 */
export function createBriefingStore(doc: Y.Doc) {
  const base = createSignedRegister(doc, briefingFromFields, (a, b) => b.date.localeCompare(a.date) || a.team.localeCompare(b.team));
  const { history } = base;
  return {
    ...base,
    signOffState: (b: Briefing) => briefingStatus(b, history(b.id)),
    create(input: BriefingHeader, signer: Signer): Validated<Briefing> {
      const result = validateBriefingHeader(input);
      if (!result.ok) return result;
      const id = randomId();
      const fields = { ...result.value, createdAt: new Date().toISOString(), createdBy: signer.name };
      createRecord(doc, id, fields);
      return { ok: true, value: briefingFromFields(id, fields) };
    },
    /** Saves one header field (date, team or notes) after validating the whole header. */
    setHeader(b: Briefing, field: keyof BriefingHeader, value: string): string | undefined {
      const result = validateBriefingHeader({ date: b.date, team: b.team, notes: b.notes, [field]: value });
      if (!result.ok) return result.errors[field] ?? Object.values(result.errors)[0];
      setFields(doc, b.id, { [field]: result.value[field] });
      return undefined;
    },
    setPresent(id: string, personId: string, present: boolean) {
      setFields(doc, id, { [attendeeField(personId)]: present });
    },
    setTopic(id: string, topic: string, covered: boolean): string | undefined {
      const result = validateTopic(topic);
      if (!result.ok) return result.errors['topic'];
      setFields(doc, id, { [topicField(result.value)]: covered });
      return undefined;
    },
    addAction(id: string, input: ActionInput): Validated<ActionInput> {
      const result = validateAction(input);
      if (result.ok) setFields(doc, id, { [actionField(randomId(8))]: result.value });
      return result;
    },
    /** Edits what was decided (text, owner, due date); the follow-up recorded on it stays. */
    updateAction(id: string, actionId: string, input: ActionInput): Validated<ActionInput> {
      const result = validateAction(input);
      const current = readFields(doc, id)?.[actionField(actionId)];
      if (result.ok) setFields(doc, id, { [actionField(actionId)]: { ...(current && typeof current === 'object' ? current : {}), ...result.value } });
      return result;
    },
    /**
     * Ticks an action done (or not): follow-up, recorded with the day and who
     * ticked it, which does not change what the minutes' sign-off pins.
     */
    setActionDone(b: Briefing, actionId: string, done: boolean, signer: Signer, today: string): string | undefined {
      const action = b.actions.find((a) => a.id === actionId);
      if (!action || !patchField(doc, b.id, actionField(actionId), { done, ...followUpFields(done, action, signer, today) })) return 'That action is not in these minutes.';
      return undefined;
    },
    removeAction(id: string, actionId: string) {
      patchField(doc, id, actionField(actionId), { deleted: true });
    },
    signOff(b: Briefing, signer: Signer, note: string): string | undefined {
      if (!signer.name.trim()) return 'Enter your name in Settings before signing.';
      if (b.attendees.length === 0) return 'Mark who was present before signing the minutes.';
      appendSignOff(doc, b.id, briefingSnapshot(b), signer, note);
      return undefined;
    },
    correct: (b: Briefing, entryId: string, signer: Signer, note: string, withdraws: boolean) =>
      base.correct(b.id, entryId, briefingSnapshot(b), signer, note, withdraws),
  };
}

export type BriefingStore = ReturnType<typeof createBriefingStore>;
