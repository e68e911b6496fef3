import { createMemo } from 'solid-js';
import type * as Y from 'yjs';
import type { Validated } from '../../domain/validation';
import { randomId } from '../../store/device-db';
import { createDocView } from '../../store/reactive';
import { createRecord, setFields } from '../../store/records';
import { holderField, type RoleInput, roleFromFields, rolesByPerson, type SecurityRole, validateRole } from './model';

/**
 * Security roles and who holds them, bound to the workspace's "roles" document.
 *
 * @example
 * const roles = createRoleStore(docs.roles);
 * roles.setHolder(roleId, personId, true);
 * roles.rolesOf(personId); // ['isms-manager']
 */
export function createRoleStore(doc: Y.Doc) {
  const view = createDocView(doc);
  const all = createMemo(() => [...view.records()].map(([id, f]) => roleFromFields(id, f)).sort((a, b) => a.name.localeCompare(b.name)));
  const active = createMemo(() => all().filter((r) => !r.archived));
  const byId = createMemo(() => new Map(all().map((r) => [r.id, r])));
  const byPerson = createMemo(() => rolesByPerson(all()));
  return {
    view,
    all,
    active,
    byId,
    byPerson,
    rolesOf: (personId: string) => byPerson().get(personId) ?? [],
    add(input: RoleInput): Validated<SecurityRole> {
      const result = validateRole(input, all());
      if (!result.ok) return result;
      const id = `role-${randomId(8)}`;
      createRecord(doc, id, { ...result.value, archived: false });
      return { ok: true, value: { id, ...result.value, holders: [], archived: false } };
    },
    update(id: string, input: RoleInput): Validated<RoleInput> {
      const result = validateRole(input, all(), id);
      if (result.ok) setFields(doc, id, result.value);
      return result;
    },
    setHolder(roleId: string, personId: string, holds: boolean) {
      setFields(doc, roleId, { [holderField(personId)]: holds });
    },
    setArchived(id: string, archived: boolean) {
      setFields(doc, id, { archived });
    },
  };
}

export type RoleStore = ReturnType<typeof createRoleStore>;
