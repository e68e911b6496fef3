import { createMemo } from 'solid-js';
import type * as Y from 'yjs';
import { createDocView } from '../../store/reactive';
import { createRecord, readFields, setFields } from '../../store/records';
import { keyHolders, type Member, memberFromFields, memberRecordId, type MemberRole } from './model';

export interface SelfRegistration {
  deviceId: string;
  name: string;
  publicKey: string;
  personId?: string;
  /** Role the record gets if this device has none yet. */
  roleIfNew: MemberRole;
}

/**
 * The members register, bound to its "members" document.
 *
 * @example
 * const members = createMemberStore(docs.members);
 * members.registerSelf({ deviceId, name, publicKey, roleIfNew: 'owner' });
 * members.keyHoldersOf(new Set([personId])); // devices to wrap a key for
 */
export function createMemberStore(doc: Y.Doc) {
  const view = createDocView(doc);
  const all = createMemo(() =>
    [...view.records()].map(([id, f]) => memberFromFields(id, f)).filter((m): m is Member => !!m).sort((a, b) => a.joinedAt.localeCompare(b.joinedAt)),
  );
  const byDevice = createMemo(() => new Map(all().map((m) => [m.deviceId, m])));
  return {
    all,
    active: createMemo(() => all().filter((m) => !m.removed)),
    byDevice,
    /** Non-removed devices with a public key, optionally only those of the given people. */
    keyHoldersOf: (personIds?: ReadonlySet<string>) => keyHolders(all(), personIds),
    /**
     * Makes sure this device is listed with its current name, person and public
     * key. Never changes its role once set: only an owner does that.
     */
    registerSelf(self: SelfRegistration): void {
      const id = memberRecordId(self.deviceId);
      const fields = { name: self.name, publicKey: self.publicKey, ...(self.personId ? { personId: self.personId } : {}) };
      if (!readFields(doc, id)) {
        createRecord(doc, id, { type: 'device', ...fields, role: self.roleIfNew, joinedAt: new Date().toISOString(), removed: false });
      } else {
        setFields(doc, id, fields);
      }
    },
  };
}

export type MemberStore = ReturnType<typeof createMemberStore>;
