import { createMemo } from 'solid-js';
import type * as Y from 'yjs';
import type { Validated } from '../../domain/validation';
import { randomId } from '../../store/device-records';
import { createDocView } from '../../store/reactive';
import { createRecord, setFields } from '../../store/records';
import { type Person, personFromFields, type PersonInput, teamsOf, validatePerson } from './model';

/**
 * People of the workspace, bound to its "people" document.
 *
 * @example
 * const people = createPeopleStore(docs.people);
 * const result = people.add({ name: 'Ada', team: 'Ops', ... });
 */
export function createPeopleStore(doc: Y.Doc) {
  const view = createDocView(doc);
  const all = createMemo(() =>
    [...view.records()].map(([id, f]) => personFromFields(id, f)).sort((a, b) => a.name.localeCompare(b.name)),
  );
  const byId = createMemo(() => new Map(all().map((p) => [p.id, p])));
  return {
    all,
    active: createMemo(() => all().filter((p) => !p.archived)),
    teams: createMemo(() => teamsOf(all())),
    byId,
    nameOf: (id: string) => byId().get(id)?.name ?? '',
    add(input: PersonInput): Validated<Person> {
      const result = validatePerson(input);
      if (!result.ok) return result;
      const id = randomId();
      createRecord(doc, id, { ...result.value, archived: false, createdAt: new Date().toISOString() });
      return { ok: true, value: { id, ...result.value, archived: false } };
    },
    update(id: string, input: PersonInput): Validated<PersonInput> {
      const result = validatePerson(input, id);
      if (result.ok) setFields(doc, id, result.value);
      return result;
    },
    setArchived(id: string, archived: boolean) {
      setFields(doc, id, { archived });
    },
  };
}

export type PeopleStore = ReturnType<typeof createPeopleStore>;
