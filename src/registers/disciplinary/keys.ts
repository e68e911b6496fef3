import { type Accessor, createMemo } from 'solid-js';
import type * as Y from 'yjs';
import { createRegisterKeyring, type RegisterKeyring } from '../../store/register-keyring';
import type { KeyRecipient } from '../../crypto/register-keys';
import { createDocView } from '../../store/reactive';
import type { Member } from '../members/model';
import { aesGcmCodec, type EntryCodec, plaintextCodec } from './codec';
import { blockedDeviceIds, currentOfficers, officerIds, type SignedOfficers, signedOfficersOf } from './model';

export const DISCIPLINARY_REGISTER = 'disciplinary';

export interface DisciplinaryKeyDeps {
  deviceId: string;
  /** This device's key pair once loaded (session.deviceKeys). */
  deviceKeys: Accessor<{ privateKey: CryptoKey; publicKey: string } | undefined>;
  /** The members register: devices, their person and public key. */
  members: { all: Accessor<readonly Member[]>; keyHoldersOf(personIds?: ReadonlySet<string>): Member[] } & Partial<SignedOfficers>;
  /** People, to tell who has left (an officer who has left no longer counts). */
  people: { byId: Accessor<ReadonlyMap<string, { archived: boolean }>> };
}

export interface DisciplinaryKeys {
  keyring: RegisterKeyring;
  /** The codec new entries are sealed with: AES-GCM under the register key. */
  codec: EntryCodec;
  /** Codecs the log still reads: the base64 entries written before encryption. */
  readOnly: readonly EntryCodec[];
  /** The devices of the officers that count: these, and only these, get the key. */
  officerDevices: Accessor<readonly Member[]>;
  /** Devices an officer refused the key. */
  blocked: Accessor<ReadonlySet<string>>;
}

/**
 * The disciplinary log's encryption, wired to the workspace: the register
 * key is wrapped for every non-removed device (with a public key) of every
 * officer who counts (designated, not marked as left in People), except the
 * devices an officer refused (model.ts, `keyblock.<deviceId>`); every other
 * member device is "revoked", so a current key that reaches one is rotated.
 * Pass the result to createDisciplinaryStore(doc, keys.codec, keys).
 *
 * @example
 * const keys = createDisciplinaryKeys(docs.disciplinary, { deviceId, deviceKeys, members, people });
 * const disciplinary = createDisciplinaryStore(docs.disciplinary, keys.codec, keys);
 * keys.keyring.status(); // 'ready' on an officer's device holding the current key
 */
export function createDisciplinaryKeys(doc: Y.Doc, deps: DisciplinaryKeyDeps): DisciplinaryKeys {
  const view = createDocView(doc);
  const isActive = (personId: string) => deps.people.byId().get(personId)?.archived !== true;
  // A signed workspace: the member list's officers only (a plain record any member could write does not count).
  const officers = createMemo(() => officerIds(currentOfficers(view.records().values(), signedOfficersOf(deps.members.signed && deps.members.log ? (deps.members as SignedOfficers) : undefined)), isActive), undefined, {
    equals: (a, b) => a.length === b.length && a.every((x, i) => x === b[i]),
  });
  const sameSet = (a: ReadonlySet<string>, b: ReadonlySet<string>) => a.size === b.size && [...a].every((x) => b.has(x));
  const blocked = createMemo(() => blockedDeviceIds(view.records().values()), undefined, { equals: sameSet });
  const officerDevices = createMemo(() => deps.members.keyHoldersOf(new Set(officers())).filter((m) => !blocked().has(m.deviceId)));
  const recipients = createMemo<KeyRecipient[]>(() => officerDevices().map((m) => ({ deviceId: m.deviceId, publicKey: m.publicKey! })));
  const revoked = createMemo<ReadonlySet<string>>(() => {
    const allowed = new Set(officerDevices().map((m) => m.deviceId));
    return new Set([...deps.members.all().filter((m) => !allowed.has(m.deviceId)).map((m) => m.deviceId), ...blocked()]);
  });
  const keyring = createRegisterKeyring(doc, { register: DISCIPLINARY_REGISTER, deviceId: deps.deviceId, deviceKeys: deps.deviceKeys, recipients, revoked });
  return { keyring, codec: aesGcmCodec(keyring, DISCIPLINARY_REGISTER), readOnly: [plaintextCodec], officerDevices, blocked };
}
