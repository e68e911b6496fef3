import { createMemo } from 'solid-js';
import type * as Y from 'yjs';
import { localIsoDate } from '../../domain/dates';
import type { Validated } from '../../domain/validation';
import { randomId } from '../../store/device-records';
import { createDocView } from '../../store/reactive';
import { createRecord, readFields, setFields } from '../../store/records';
import {
  type CleanCompetenceInput,
  type Competence,
  competenceFromFields,
  type CompetenceInput,
  COMPETENCE_TYPE,
  type Holding,
  holdingFromFields,
  holdingId,
  holdingIndex,
  type HoldingInput,
  HOLDING_TYPE,
  isCompetenceRecord,
  isHoldingRecord,
  requireField,
  validateCompetence,
  validateHolding,
} from './model';

/**
 * The competency matrix, bound to the workspace's "competency" document:
 * competences (with the level each security role requires) and holdings
 * (the level each person holds).
 *
 * @example
 * const competency = createCompetencyStore(docs.competency);
 * const c = competency.addCompetence({ name: 'Risk assessment', kind: 'skill', courseId: '', required: { 'role-isms-manager': 2 } }, roles.active().map((r) => r.id));
 * if (c.ok) competency.recordHolding({ personId, competenceId: c.value.id, level: 2, evidence: 'Appraisal 2026', assessedOn: '2026-11-25' });
 */
export function createCompetencyStore(doc: Y.Doc) {
  const view = createDocView(doc);
  const competences = createMemo(() =>
    [...view.records()]
      .filter(([, f]) => isCompetenceRecord(f))
      .map(([id, f]) => competenceFromFields(id, f))
      .sort((a, b) => Number(a.archived) - Number(b.archived) || a.name.localeCompare(b.name)),
  );
  const competenceById = createMemo(() => new Map(competences().map((c) => [c.id, c])));
  const holdings = createMemo(() =>
    [...view.records()]
      .filter(([, f]) => isHoldingRecord(f))
      .map(([id, f]) => holdingFromFields(id, f)),
  );
  const holdingsIndex = createMemo(() => holdingIndex(holdings()));

  /** Fields for a saved form: roles no longer requiring it are set to 0, never removed. */
  const competenceFields = (value: CleanCompetenceInput, before: Record<string, unknown> = {}) => {
    const fields: Record<string, unknown> = { name: value.name, kind: value.kind, courseId: value.courseId };
    for (const [k, val] of Object.entries(before)) if (k.startsWith('require.') && val !== 0) fields[k] = 0;
    for (const [roleId, level] of Object.entries(value.required)) fields[requireField(roleId)] = level;
    return fields;
  };

  return {
    view,
    /** Every competence, archived last. */
    competences,
    activeCompetences: createMemo(() => competences().filter((c) => !c.archived)),
    competenceById,
    holdings,
    /** The holding of a person for a competence, if any was recorded. */
    holdingOf: (personId: string, competenceId: string): Holding | undefined => holdingsIndex().get(holdingId(personId, competenceId)),

    /** `activeRoleIds`: the roles that can require it (at least one must). */
    addCompetence(input: CompetenceInput, activeRoleIds: readonly string[]): Validated<Competence> {
      const result = validateCompetence(input, competences(), activeRoleIds);
      if (!result.ok) return result;
      const id = `comp-${randomId(8)}`;
      const fields = { type: COMPETENCE_TYPE, ...competenceFields(result.value), archived: false, createdAt: new Date().toISOString() };
      createRecord(doc, id, fields);
      return { ok: true, value: competenceFromFields(id, fields) };
    },
    updateCompetence(id: string, input: CompetenceInput, activeRoleIds: readonly string[]): Validated<Competence> {
      const before = readFields(doc, id);
      if (!before || !isCompetenceRecord(before)) return { ok: false, errors: { _: 'This competence is not on this device.' } };
      const result = validateCompetence(input, competences(), activeRoleIds, id);
      if (!result.ok) return result;
      setFields(doc, id, competenceFields(result.value, before));
      return { ok: true, value: competenceFromFields(id, readFields(doc, id) ?? {}) };
    },
    /** Sets what one role requires (0 = not required): one field, so edits for different roles merge. */
    setRequirement(competenceId: string, roleId: string, level: number): string | undefined {
      if (!competenceById().has(competenceId)) return 'This competence is not on this device.';
      if (!roleId) return 'Choose a role.';
      if (![0, 1, 2, 3].includes(level)) return 'Choose a level: 1 basic, 2 working or 3 expert.';
      setFields(doc, competenceId, { [requireField(roleId)]: level });
      return undefined;
    },
    setCompetenceArchived(id: string, archived: boolean) {
      if (competenceById().has(id)) setFields(doc, id, { archived });
    },

    /**
     * Records the level a person holds, with evidence and assessment date,
     * under the fixed id of the person+competence pair (one field per part).
     */
    recordHolding(input: HoldingInput, today = localIsoDate()): Validated<Holding> {
      const result = validateHolding(input, today);
      if (!result.ok) return result;
      if (!competenceById().has(result.value.competenceId)) return { ok: false, errors: { competenceId: 'This competence is not on this device.' } };
      const id = holdingId(result.value.personId, result.value.competenceId);
      const before = readFields(doc, id);
      const unchanged = before && (['personId', 'competenceId', 'level', 'evidence', 'assessedOn'] as const).every((k) => before[k] === result.value[k]);
      if (unchanged) return { ok: true, value: holdingFromFields(id, before) };
      const fields = { ...result.value, recordedAt: new Date().toISOString() };
      if (before) setFields(doc, id, fields);
      else createRecord(doc, id, { type: HOLDING_TYPE, ...fields });
      return { ok: true, value: holdingFromFields(id, fields) };
    },
  };
}

export type CompetencyStore = ReturnType<typeof createCompetencyStore>;
