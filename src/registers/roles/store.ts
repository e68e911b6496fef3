import { createMemo } from 'solid-js';
import type * as Y from 'yjs';
import type { Validated } from '../../domain/validation';
import { randomId } from '../../store/device-records';
import { createDocView } from '../../store/reactive';
import { createRecord, recordsOf, setFields } from '../../store/records';
import {
  ACTIVITY_TYPE,
  type ActivityInput,
  activityFromFields,
  byPosition,
  holderField,
  isActivityRecord,
  type RaciActivity,
  type RaciValue,
  raciField,
  type RoleInput,
  roleFromFields,
  rolesByPerson,
  type SecurityRole,
  STANDARD_ACTIVITIES,
  standardActivityId,
  validateActivity,
  validateRaciValue,
  validateRole,
} from './model';

/**
 * Security roles, who holds them, and the RACI matrix of security activities,
 * bound to the workspace's "roles" document.
 *
 * @example
 * const roles = createRoleStore(docs.roles);
 * roles.setHolder(roleId, personId, true);
 * roles.rolesOf(personId); // ['role-isms-manager']
 * const a = roles.addActivity({ name: 'Run the risk assessment' });
 * if (a.ok) roles.setRaci(a.value.id, 'role-ceo', 'A');
 */
export function createRoleStore(doc: Y.Doc) {
  const view = createDocView(doc);
  const all = createMemo(() =>
    [...view.records()]
      .filter(([, f]) => !isActivityRecord(f))
      .map(([id, f]) => roleFromFields(id, f))
      .sort((a, b) => a.name.localeCompare(b.name)),
  );
  const active = createMemo(() => all().filter((r) => !r.archived));
  const byId = createMemo(() => new Map(all().map((r) => [r.id, r])));
  const byPerson = createMemo(() => rolesByPerson(all()));
  const activities = createMemo(() =>
    [...view.records()]
      .filter(([, f]) => isActivityRecord(f))
      .map(([id, f]) => activityFromFields(id, f))
      .sort(byPosition),
  );
  const activeActivities = createMemo(() => activities().filter((a) => !a.archived));
  const activityById = createMemo(() => new Map(activities().map((a) => [a.id, a])));
  const nextPosition = () => activities().reduce((max, a) => Math.max(max, a.position), -1) + 1;

  return {
    view,
    all,
    active,
    byId,
    byPerson,
    rolesOf: (personId: string) => byPerson().get(personId) ?? [],
    nameOf: (roleId: string) => byId().get(roleId)?.name ?? '',
    add(input: RoleInput): Validated<SecurityRole> {
      const result = validateRole(input, all());
      if (!result.ok) return result;
      const id = `role-${randomId(8)}`;
      createRecord(doc, id, { ...result.value, archived: false });
      return { ok: true, value: { id, ...result.value, holders: [], archived: false } };
    },
    update(id: string, input: RoleInput): Validated<RoleInput> {
      if (!byId().has(id)) return { ok: false, errors: { _: 'This role is not on this device.' } };
      const result = validateRole(input, all(), id);
      if (result.ok) setFields(doc, id, result.value);
      return result;
    },
    /** Assigns or unassigns a holder; returns an error message (and writes nothing) for an unknown role or empty person. */
    setHolder(roleId: string, personId: string, holds: boolean): string | undefined {
      if (!byId().has(roleId)) return 'This role is not on this device.';
      if (!personId) return 'Choose a person.';
      setFields(doc, roleId, { [holderField(personId)]: holds });
      return undefined;
    },
    setArchived(id: string, archived: boolean) {
      if (byId().has(id)) setFields(doc, id, { archived });
    },

    // ---------- RACI ----------
    /** Every activity, archived included, in matrix order. */
    activities,
    activeActivities,
    activityById,
    addActivity(input: ActivityInput): Validated<RaciActivity> {
      const result = validateActivity(input, activities());
      if (!result.ok) return result;
      const id = `activity-${randomId(8)}`;
      const position = nextPosition();
      createRecord(doc, id, { type: ACTIVITY_TYPE, name: result.value.name, position, archived: false });
      return { ok: true, value: { id, name: result.value.name, position, raci: {}, archived: false } };
    },
    updateActivity(id: string, input: ActivityInput): Validated<ActivityInput> {
      if (!activityById().has(id)) return { ok: false, errors: { _: 'This activity is not on this device.' } };
      const result = validateActivity(input, activities(), id);
      if (result.ok) setFields(doc, id, result.value);
      return result;
    },
    setActivityArchived(id: string, archived: boolean) {
      if (activityById().has(id)) setFields(doc, id, { archived });
    },
    /** Sets one cell of the matrix ('' clears it); returns an error message and writes nothing on bad input. */
    setRaci(activityId: string, roleId: string, value: RaciValue | ''): string | undefined {
      if (!activityById().has(activityId)) return 'This activity is not on this device.';
      if (!byId().has(roleId)) return 'This role is not on this device.';
      const err = validateRaciValue(value);
      if (err) return err;
      setFields(doc, activityId, { [raciField(roleId)]: value });
      return undefined;
    },
    /**
     * Adds the standard activities that are not there yet, with suggested
     * letters for the default roles that are still active. Fixed ids, so two
     * devices tapping it offline do not end up with every activity twice.
     * Returns how many were added.
     */
    addStandardActivities(): number {
      const roles = byId();
      const records = recordsOf(doc);
      let position = nextPosition();
      const names = new Set(activeActivities().map((a) => a.name.toLowerCase()));
      let added = 0;
      doc.transact(() => {
        for (const a of STANDARD_ACTIVITIES) {
          const id = standardActivityId(a.key);
          if (records.has(id) || names.has(a.name.toLowerCase())) continue;
          const fields: Record<string, unknown> = { type: ACTIVITY_TYPE, name: a.name, position: position++, archived: false };
          for (const [roleId, letter] of Object.entries(a.raci)) if (roles.get(roleId) && !roles.get(roleId)!.archived) fields[raciField(roleId)] = letter;
          createRecord(doc, id, fields);
          added++;
        }
      });
      return added;
    },
  };
}

export type RoleStore = ReturnType<typeof createRoleStore>;
