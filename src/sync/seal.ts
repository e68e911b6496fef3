import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { fromBase64Url, toBase64Url } from '../crypto/base64url';
import { PERSON_FIELDS, personIn } from '../domain/person-of';
import { encodeUpdate, splitUpdate, type Struct } from './update-codec';

export { splitUpdate };

/*
 * THE BLIND RELAY (issue 18, docs/SECURITY.md "What the relay holds").
 *
 * Every update a device sends to a register room is re-encoded with its
 * values and map keys sealed under the workspace's content key, which the
 * relay never has (it travels in join links' fragments, like the secret).
 * The Yjs structure — ids, clocks, origins, deletions — stays as it is, so the
 * relay merges, stores and serves sealed updates like any other, and state
 * vectors are the same on both sides. Received updates are opened before the
 * Yjs provider sees them: a device's documents and IndexedDB hold plain text,
 * the relay only ciphertext.
 *
 *   a value (each element of a ContentAny)  {"~": "<key id>", "b": <IV ‖ AES-GCM of lib0 any, as bytes>}, random IV
 *   a map key (a record id, a field name)   "~<key id>.<AES-GCM>", IV from HMAC(key): the same name
 *                                           seals the same everywhere, so map entries still collide
 *                                           and merge on the relay (equality of names is all it learns)
 * Both are bound to the room (additional data): a value copied to another room does not open.
 *
 * What stays in clear, because the relay's rules read it (server/policy.ts, server/admission.ts):
 *   - the signed member list (root map `membership`): the relay admits devices by it;
 *   - the keys of the evidence maps (`entries`, `sigs`: random ids), an entry's `chain` link
 *     (device id, sequence number, hashes) and a signature's `by` (key id) and whether it vouches:
 *     the relay's own-entries rule for staff.
 * Other content types (text, binary, embeds) are not used by any register and are left as they are.
 */

const enc = new TextEncoder();
const VERSION = 'muster seal v1';
/** Largest update a channel sends in one message: well under the relay's MAX_MESSAGE_BYTES (8 MiB by default). */
export const PART_BYTES = 1024 * 1024;
const RECORDS = 'records';
const ENTRIES = 'entries';
/** The person an entry is of, for the relay (`for` beside the sealed value), '' for no one's. */
const personOf = (v: unknown): string => (isObject(v) ? personIn((f) => v[f]) : '');
/** Root maps the relay reads whole. */
const CLEAR_MAPS: ReadonlySet<string> = new Set(['membership']);
/** Root maps whose keys the relay reads, and per map the value fields it reads. */
const CLEAR_FIELDS: ReadonlyMap<string, readonly string[]> = new Map([
  ['entries', ['chain']],
  ['sigs', ['by']],
]);

export interface SealKey {
  /** Names the key in every sealed value and name: which key of the keyring opens it. */
  id: string;
  value: CryptoKey;
  name: CryptoKey;
  mac: CryptoKey;
  /** Attachment bytes (sealBlob). */
  blob: CryptoKey;
}

/** The workspace's content key (base64url, 256 bits) → its sealing keys (HKDF-SHA-256, bound to the workspace). */
export async function sealKeyOf(workspaceId: string, contentKey: string): Promise<SealKey> {
  const ikm = await crypto.subtle.importKey('raw', new Uint8Array(fromBase64Url(contentKey)), 'HKDF', false, ['deriveBits', 'deriveKey']);
  const params = (what: string) => ({ name: 'HKDF', hash: 'SHA-256', salt: enc.encode('muster/seal'), info: enc.encode(`${VERSION} ${what} ${workspaceId}`) });
  const aes = (what: string) => crypto.subtle.deriveKey(params(what), ikm, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
  const [value, name, mac, id, blob] = await Promise.all([
    aes('value'),
    aes('name'),
    crypto.subtle.deriveKey(params('mac'), ikm, { name: 'HMAC', hash: 'SHA-256', length: 256 }, false, ['sign']),
    crypto.subtle.deriveBits(params('id'), ikm, 48),
    aes('blob'),
  ]);
  return { id: toBase64Url(new Uint8Array(id)), value, name, mac, blob };
}

/** IV ‖ AES-256-GCM of `plain`, bound to `aad`. */
async function sealWithIv(key: CryptoKey, iv: Uint8Array, aad: string, plain: Uint8Array): Promise<Uint8Array> {
  const ct = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv: new Uint8Array(iv), additionalData: enc.encode(aad) }, key, new Uint8Array(plain)));
  const out = new Uint8Array(iv.length + ct.length);
  out.set(iv);
  out.set(ct, iv.length);
  return out;
}

/** With the IV from HMAC of `ivOf`: the same input seals to the same bytes (names, attachments). */
export async function sealDeterministic(key: CryptoKey, mac: CryptoKey, ivOf: string, aad: string, plain: Uint8Array): Promise<Uint8Array> {
  return sealWithIv(key, new Uint8Array(await crypto.subtle.sign('HMAC', mac, enc.encode(ivOf))).subarray(0, 12), aad, plain);
}

/** What sealWithIv made, opened; rejects when a byte, the key or `aad` differs. */
export async function openSealed(key: CryptoKey, aad: string, sealed: Uint8Array): Promise<Uint8Array> {
  const bytes = new Uint8Array(sealed);
  return new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: bytes.subarray(0, 12), additionalData: enc.encode(aad) }, key, bytes.subarray(12)));
}


export class SealError extends Error {}

/**
 * A workspace's content keys, newest first (each rotation on a removal adds one, src/sync/rotation.ts): values are
 * sealed with the newest and opened with whichever their key id names. Names and attachments are always sealed
 * with the oldest, so that one name seals the same across rotations and still merges (docs/SECURITY.md).
 */
export interface Keyring {
  current: SealKey;
  names: SealKey;
  byId: ReadonlyMap<string, SealKey>;
}

export async function keyringOf(workspaceId: string, contentKeys: readonly string[]): Promise<Keyring> {
  if (contentKeys.length === 0) throw new Error('A keyring needs a key.');
  const keys = await Promise.all(contentKeys.map((k) => sealKeyOf(workspaceId, k)));
  return { current: keys[0]!, names: keys[keys.length - 1]!, byId: new Map(keys.map((k) => [k.id, k])) };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
/** A sealed value: `{"~": <key id>, "b": <IV ‖ AES-GCM>}`, bytes as bytes (Yjs stores them as they are: no base64). */
const isSealedValue = (v: unknown): v is { '~': string; b: Uint8Array } => isObject(v) && typeof v['~'] === 'string' && v['b'] instanceof Uint8Array;
/**
 * A signed member list entry, which stays plain: an update that re-sets one (the relay seeding a genesis the room
 * already has) does not say which map it is in. Its signature is what makes it count, not where it came from.
 */
const isSignedMemberEntry = (v: unknown): boolean => isObject(v) && typeof v['sig'] === 'string' && typeof v['ws'] === 'string' && typeof v['type'] === 'string';

function anyBytes(v: unknown): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeAny(e, v as Parameters<typeof encoding.writeAny>[1]);
  return encoding.toUint8Array(e);
}

/**
 * Seals and opens for one room; names are cached both ways (a record's field names repeat in every update).
 * Without a key (a workspace from before sealing, or a device whose link had no content key) it sends as it
 * is and refuses to open anything sealed, so sealed values never land in a document as opaque objects.
 */
export class RoomSealer {
  private readonly sealedNames = new Map<string, Promise<string>>();
  private readonly openNames = new Map<string, Promise<string>>();

  /**
   * Each record's sealed id is tagged `@<personId>/` (`@/`: no one's, e.g. a course) and each entry carries its `for`:
   * in a room whose records are per person (src/ui/register.ts RoomAccess `audience`) the relay sends a member of staff
   * their own and nothing of a colleague's (server/audience.ts); other rooms' tags are not read. `doc`: the room's
   * document, for the person of a record an update creates without naming it. `directory` (People, RoomAccess
   * `audience: 'directory'`): each record is the person its id names (tagged `@<id>/`), and these fields of it are
   * tagged `!`, for the relay to send only to that person's devices (and owners, managers, officers).
   */
  constructor(
    private readonly ring: Keyring | null,
    private readonly room: string,
    private readonly doc?: Y.Doc,
    private readonly directory?: ReadonlySet<string>,
  ) {}

  private get keys(): Keyring {
    if (!this.ring) throw new SealError('sealed, and this device holds no content key');
    return this.ring;
  }

  private sealName(name: string): Promise<string> {
    let got = this.sealedNames.get(name);
    if (!got) {
      const k = this.keys.names;
      got = sealDeterministic(k.name, k.mac, `${this.room}\u0000${name}`, this.room, enc.encode(name)).then((out) => `~${k.id}.${toBase64Url(out)}`);
      this.sealedNames.set(name, got);
    }
    return got;
  }

  private openName(sealed: string): Promise<string> {
    let got = this.openNames.get(sealed);
    if (!got) {
      got = (async () => {
        const { key, blob } = this.keyOf(sealed.slice(1));
        // Like a value (openValue): a name that does not open stays as it is, a key no reader has.
        return openSealed(key.name, this.room, fromBase64Url(blob)).then(
          (plain) => new TextDecoder('utf-8', { fatal: true }).decode(plain),
          () => sealed,
        );
      })();
      this.openNames.set(sealed, got);
      got.catch(() => this.openNames.delete(sealed));
    }
    return got;
  }

  /** The key and blob of `<key id>.<blob>`, or a SealError naming a key this device does not hold. */
  private keyOf(s: string): { key: SealKey; blob: string } {
    const dot = s.indexOf('.');
    const key = dot < 0 ? undefined : this.keys.byId.get(s.slice(0, dot));
    if (!key) throw new SealError(`sealed with a key this device does not hold (${s.slice(0, Math.max(dot, 0))})`);
    return { key, blob: s.slice(dot + 1) };
  }

  private async sealValue(v: unknown, clear: readonly string[], forPerson: boolean): Promise<unknown> {
    const k = this.keys.current;
    const sealed: Record<string, unknown> = { '~': k.id, b: await sealWithIv(k.value, crypto.getRandomValues(new Uint8Array(12)), this.room, anyBytes(v)) };
    if (isObject(v)) for (const f of clear) if (v[f] !== undefined) sealed[f] = v[f];
    if (forPerson) sealed['for'] = personOf(v);
    // The relay refuses an owner's vouch from a staff device: it sees that one is there, not what it says.
    if (clear.includes('by') && isObject(v) && 'vouch' in v) sealed['vouch'] = true;
    return sealed;
  }

  /**
   * A value opened. A key this device does not hold stops the room (SealError: it must not keep a copy with holes it
   * would never fill again); a value that does not open with a key it holds (altered, or moved from another room)
   * is emptied, as if deleted, so that no one can stop a room's sync with one bad value.
   */
  private async openValue(v: unknown): Promise<unknown> {
    if (!isSealedValue(v)) return v;
    const key = this.keys.byId.get(v['~']);
    if (!key) throw new SealError(`sealed with a key this device does not hold (${v['~']})`);
    try {
      return decoding.readAny(decoding.createDecoder(await openSealed(key.value, this.room, v['b'])));
    } catch {
      console.warn(`${this.room}: a sealed value did not open, emptied`);
      return null;
    }
  }

  /** The update sealed, in parts the relay takes (splitUpdate): what the room's channel sends. */
  async parts(update: Uint8Array): Promise<Uint8Array[]> {
    return splitUpdate(await this.seal(update), PART_BYTES);
  }

  /** The update with its values and names sealed. */
  seal(update: Uint8Array): Promise<Uint8Array> {
    if (!this.ring) return Promise.resolve(update);
    // A record's person fields, by the id of its map's item, as the update sets them.
    const personField = new Map<string, Map<string, unknown>>();
    return transform(
      update,
      async (item, rootMap) => {
        if (rootMap !== null && CLEAR_MAPS.has(rootMap)) return;
        const clear = rootMap === null ? undefined : CLEAR_FIELDS.get(rootMap);
        if (item.parentSub !== null && clear === undefined) {
          const name = item.parentSub;
          const sealed = await this.sealName(name);
          const record = rootMap === RECORDS && item.content instanceof Y.ContentType;
          item.parentSub = record ? `@${this.directory ? name : this.recordPerson(item, personField)}/${sealed}` : this.directory?.has(name) && rootMap === null ? `!${sealed}` : sealed;
        }
        if (item.content instanceof Y.ContentAny) {
          item.content = new Y.ContentAny(await Promise.all(item.content.arr.map((v) => this.sealValue(v, clear ?? [], rootMap === ENTRIES))));
        }
      },
      (structs) => {
        for (const s of structs) {
          if (s instanceof Y.Item && (PERSON_FIELDS as readonly (string | null)[]).includes(s.parentSub) && s.parent instanceof Y.ID && s.content instanceof Y.ContentAny) {
            const at = `${s.parent.client}:${s.parent.clock}`;
            personField.set(at, (personField.get(at) ?? new Map()).set(s.parentSub!, s.content.arr[s.content.arr.length - 1]));
          }
        }
      },
    );
  }

  /** The person a record is of (its person field, in the update or else in the room's document), '' for no one's. */
  private recordPerson(item: Y.Item, fromUpdate: ReadonlyMap<string, ReadonlyMap<string, unknown>>): string {
    const inUpdate = fromUpdate.get(`${item.id.client}:${item.id.clock}`);
    if (inUpdate) return personIn((f) => inUpdate.get(f));
    const record = item.parentSub === null ? undefined : this.doc?.getMap(RECORDS).get(item.parentSub);
    return record instanceof Y.Map ? personIn((f) => record.get(f)) : '';
  }

  /** The update opened (what does not open with a key this device holds is emptied, openValue); rejects (SealError) on a key it does not hold. */
  open(update: Uint8Array): Promise<Uint8Array> {
    let sealed = false;
    return transform(update, async (item, rootMap) => {
      const clearMap = rootMap !== null && CLEAR_MAPS.has(rootMap);
      const tagged = item.parentSub ?? '';
      if (tagged.startsWith('~') || tagged.startsWith('@') || tagged.startsWith('!~')) {
        sealed = true;
        // A record's person tag (`@<personId>/`) and a private field's `!` are the relay's to read; the sealed name follows.
        item.parentSub = await this.openName(tagged.startsWith('@') ? tagged.slice(tagged.indexOf('/') + 1) : tagged.startsWith('!') ? tagged.slice(1) : tagged);
      }
      if (!(item.content instanceof Y.ContentAny)) return;
      const arr = item.content.arr;
      // With the key, every value but the member list's is sealed. A plain one (made up by the relay, or sent by a
      // device whose link had no key) is emptied, not taken as a member's: the item stays, so the document's
      // structure and every device's copy still agree, and nothing else of the room is lost.
      const plain = this.ring && !clearMap ? arr.map((v) => !isSealedValue(v) && !isSignedMemberEntry(v)) : [];
      if (plain.some(Boolean)) console.warn(`${this.room}: ${plain.filter(Boolean).length} plain value(s) in a sealed room, emptied`);
      if (arr.some(isSealedValue) || plain.some(Boolean)) {
        sealed = true;
        item.content = new Y.ContentAny(await Promise.all(arr.map((v, i) => (plain[i] ? null : this.openValue(v)))));
      }
    }).then((opened) => (sealed ? opened : update));
  }
}

/**
 * Decodes a v1 update, lets `change` rewrite each item's key and content (same length: ids and clocks do not
 * move), and encodes it again with the same structs and delete set. `rootMap`: the root type an item is a
 * direct child of, when the update names it (null: nested, or it continues an item of another update).
 */
async function transform(update: Uint8Array, change: (item: Y.Item, rootMap: string | null) => Promise<void>, prepare?: (structs: readonly Struct[]) => void): Promise<Uint8Array> {
  const { structs, ds } = Y.decodeUpdate(update);
  prepare?.(structs as Struct[]);
  await Promise.all(structs.map((s) => (s instanceof Y.Item ? change(s, typeof s.parent === 'string' ? s.parent : null) : undefined)));
  return encodeUpdate(structs as Struct[], ds);
}

