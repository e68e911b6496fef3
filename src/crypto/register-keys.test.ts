import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { generateDeviceKeyPair } from './device-keys';
import { createRegisterKey, readKeyring, shareRegisterKey, unwrapHeldKeys } from '../store/register-keyring';
import {
  currentKeys,
  type KeyringView,
  keyFromFields,
  keyIdOfSealed,
  MissingKeyError,
  newRegisterKey,
  nextKeyringStep,
  openWithRegisterKeys,
  type RegisterKeyMeta,
  type RegisterKeyWrap,
  sealingKeyId,
  sealWithRegisterKey,
  unwrapRegisterKey,
  wrapFromFields,
  wrapRegisterKey,
} from './register-keys';

const meta = (keyId: string, generation: number): RegisterKeyMeta => ({ keyId, generation, createdAt: '2026-01-01T00:00:00.000Z', createdBy: 'd', reason: 'first' });
const wrap = (keyId: string, deviceId: string, to = `pk-${deviceId}`): RegisterKeyWrap => ({ keyId, deviceId, to, envelope: { v: 1, epk: 'x', ct: 'y' }, wrappedBy: 'd', at: '' });
const r = (deviceId: string) => ({ deviceId, publicKey: `pk-${deviceId}` });
const none = new Set<string>();

async function device(id: string) {
  const pair = await generateDeviceKeyPair();
  return { deviceId: id, ...pair, recipient: { deviceId: id, publicKey: pair.publicKey } };
}

describe('which key seals, and what a device does next (pure)', () => {
  it('creates the first key only on a recipient device', () => {
    const empty: KeyringView = { keys: [], wraps: [] };
    expect(nextKeyringStep(empty, { self: 'a', recipients: [r('a'), r('b')], revoked: none, held: none })).toEqual({ kind: 'create', reason: 'first' });
    expect(nextKeyringStep(empty, { self: 'x', recipients: [r('a')], revoked: none, held: none })).toBeUndefined();
    // A device listed as revoked never acts, even if it is in the recipient list by mistake.
    expect(nextKeyringStep(empty, { self: 'a', recipients: [r('a')], revoked: new Set(['a']), held: none })).toBeUndefined();
  });

  it('wraps every key it holds for a recipient that lacks it, oldest history included; never for anyone else', () => {
    const view: KeyringView = { keys: [meta('k1', 1), meta('k2', 2)], wraps: [wrap('k1', 'a'), wrap('k2', 'a'), wrap('k1', 'c')] };
    const s = { self: 'a', recipients: [r('a'), r('b')], revoked: new Set(['c', 's']), held: new Set(['k1', 'k2']) };
    expect(nextKeyringStep(view, s)).toEqual({ kind: 'wrap', keyId: 'k2', to: [r('b')] });
    view.wraps.push(wrap('k2', 'b'));
    expect(nextKeyringStep(view, s)).toEqual({ kind: 'wrap', keyId: 'k1', to: [r('b')] });
    view.wraps.push(wrap('k1', 'b'));
    // c holds k1 (an old key, from before a rotation): no new rotation, and nothing is wrapped for c or s.
    expect(nextKeyringStep(view, s)).toBeUndefined();
    // A recipient with a new key pair needs a new wrap.
    expect(nextKeyringStep(view, { ...s, recipients: [r('a'), { deviceId: 'b', publicKey: 'pk-b-new' }] })).toMatchObject({ kind: 'wrap', keyId: 'k2', to: [{ deviceId: 'b', publicKey: 'pk-b-new' }] });
    // A key this device does not hold cannot be shared by it.
    expect(nextKeyringStep({ ...view, wraps: [wrap('k1', 'a'), wrap('k2', 'a')] }, { ...s, held: new Set(['k1']) })).toEqual({ kind: 'wrap', keyId: 'k1', to: [r('b')] });
  });

  it('rotates when a current key is wrapped to a revoked device', () => {
    const view: KeyringView = { keys: [meta('k1', 1)], wraps: [wrap('k1', 'a'), wrap('k1', 'b')] };
    expect(nextKeyringStep(view, { self: 'a', recipients: [r('a')], revoked: new Set(['b']), held: new Set(['k1']) })).toMatchObject({ kind: 'rotate', revoked: ['b'] });
    // Any remaining recipient rotates, even one still waiting for the old key.
    expect(nextKeyringStep(view, { self: 'c', recipients: [r('a'), r('c')], revoked: new Set(['b']), held: none })).toMatchObject({ kind: 'rotate' });
    // Once a newer generation exists without b, nothing more to rotate.
    const rotated: KeyringView = { keys: [meta('k1', 1), meta('k2', 2)], wraps: [...view.wraps, wrap('k2', 'a')] };
    expect(nextKeyringStep(rotated, { self: 'a', recipients: [r('a')], revoked: new Set(['b']), held: new Set(['k1', 'k2']) })).toBeUndefined();
  });

  it('chooses the sealing key deterministically; never a superseded key', () => {
    const keys = [meta('kA', 1), meta('kB', 1)];
    expect(currentKeys(keys).map((k) => k.keyId)).toEqual(['kB', 'kA']);
    expect(sealingKeyId(keys, new Set(['kA', 'kB']))).toBe('kB');
    expect(sealingKeyId([...keys].reverse(), new Set(['kB', 'kA']))).toBe('kB');
    // Holding only the sibling of the same generation: seal with it (made at the same time, for the same officers).
    expect(sealingKeyId(keys, new Set(['kA']))).toBe('kA');
    // After a rotation, a device holding only generation 1 cannot seal.
    expect(sealingKeyId([...keys, meta('k0', 2)], new Set(['kA', 'kB']))).toBeUndefined();
    expect(sealingKeyId([...keys, meta('k0', 2)], new Set(['kA', 'k0']))).toBe('k0');
  });

  it('reads only well-formed records stored under their own id', () => {
    expect(keyFromFields('key.k1', { type: 'register-key', keyId: 'k1', generation: 1 })).toMatchObject({ keyId: 'k1', generation: 1 });
    expect(keyFromFields('key.k2', { type: 'register-key', keyId: 'k1', generation: 1 })).toBeUndefined();
    expect(keyFromFields('key.k1', { type: 'register-key', keyId: 'k1', generation: 0 })).toBeUndefined();
    expect(keyFromFields('key.k.1', { type: 'register-key', keyId: 'k.1', generation: 1 })).toBeUndefined();
    const env = JSON.stringify({ v: 1, epk: 'e', ct: 'c' });
    expect(wrapFromFields('wrap.k1.d1', { type: 'register-key-wrap', keyId: 'k1', deviceId: 'd1', envelope: env })).toMatchObject({ keyId: 'k1', deviceId: 'd1' });
    expect(wrapFromFields('wrap.k1.d2', { type: 'register-key-wrap', keyId: 'k1', deviceId: 'd1', envelope: env })).toBeUndefined();
    expect(wrapFromFields('wrap.k1.d1', { type: 'register-key-wrap', keyId: 'k1', deviceId: 'd1', envelope: '{' })).toBeUndefined();
  });
});

describe('register keys: wrapping and sealing (WebCrypto)', () => {
  it('a wrap opens only on its device, for its register and key', async () => {
    const a = await device('a');
    const b = await device('b');
    const held = await newRegisterKey();
    const env = await wrapRegisterKey('disciplinary', held, a.recipient);
    const key = await unwrapRegisterKey('disciplinary', held.keyId, env, a);
    const sealed = await sealWithRegisterKey(held, 'hello', 'x');
    expect(await openWithRegisterKeys(() => key, sealed, 'x')).toBe('hello');
    await expect(unwrapRegisterKey('disciplinary', held.keyId, env, b)).rejects.toThrow();
    await expect(unwrapRegisterKey('speak-up', held.keyId, env, a)).rejects.toThrow();
    await expect(unwrapRegisterKey('disciplinary', 'otherKey', env, a)).rejects.toThrow();
  });

  it('the sealed form names its key; wrong key, other aad, relabelled key id and a changed byte are refused', async () => {
    const k1 = await newRegisterKey();
    const k2 = await newRegisterKey();
    const keys = new Map([[k1.keyId, k1.key], [k2.keyId, k2.key]]);
    const sealed = await sealWithRegisterKey(k1, 'Verbal warning for Zoë Quintana about tailgating', 'entry e1');
    expect(keyIdOfSealed(sealed)).toBe(k1.keyId);
    // Whole words: a two-letter needle turns up in random base64 about once in a hundred runs.
    expect(sealed).not.toMatch(/Zoë|Quintana|tailgating/);
    expect(await openWithRegisterKeys((id) => keys.get(id), sealed, 'entry e1')).toBe('Verbal warning for Zoë Quintana about tailgating');
    await expect(openWithRegisterKeys((id) => keys.get(id), sealed, 'entry e2')).rejects.toThrow();
    // Claims to be sealed with k2: opens with neither.
    await expect(openWithRegisterKeys((id) => keys.get(id), sealed.replace(k1.keyId, k2.keyId), 'entry e1')).rejects.toThrow();
    // The right id but the wrong key material.
    await expect(openWithRegisterKeys(() => k2.key, sealed, 'entry e1')).rejects.toThrow();
    const body = sealed.lastIndexOf('.') + 20;
    const flipped = sealed.slice(0, body) + (sealed[body] === 'A' ? 'B' : 'A') + sealed.slice(body + 1);
    await expect(openWithRegisterKeys((id) => keys.get(id), flipped, 'entry e1')).rejects.toThrow();
    const missing = await openWithRegisterKeys(() => undefined, sealed, 'entry e1').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(MissingKeyError);
    expect((missing as MissingKeyError).keyId).toBe(k1.keyId);
    await expect(openWithRegisterKeys((id) => keys.get(id), 'plain text', 'entry e1')).rejects.toThrow('Not a text sealed with a register key.');
  });
});

describe('register keys in a Y.Doc: rotation', () => {
  it('a removed officer device keeps the old key but cannot open what is sealed after; the others open both', async () => {
    const [a, b, c] = await Promise.all([device('dev-a'), device('dev-b'), device('dev-c')]);
    const doc = new Y.Doc();
    const first = await createRegisterKey(doc, { register: 'disciplinary', deviceId: a.deviceId, recipients: [a.recipient, b.recipient, c.recipient], reason: 'first' });
    const before = await sealWithRegisterKey(first, 'written before the rotation', 'entry 1');

    // C's officer is removed: A rotates, the new key is wrapped only to A and B.
    const next = await createRegisterKey(doc, { register: 'disciplinary', deviceId: a.deviceId, recipients: [a.recipient, b.recipient], reason: 'rotation: 1 device no longer allowed' });
    const view = readKeyring(doc);
    expect(view.keys.map((k) => k.generation)).toEqual([1, 2]);
    expect(view.wraps.filter((w) => w.keyId === next.keyId).map((w) => w.deviceId).sort()).toEqual(['dev-a', 'dev-b']);
    const sealingId = sealingKeyId(view.keys, new Set([first.keyId, next.keyId]));
    expect(sealingId).toBe(next.keyId);
    const after = await sealWithRegisterKey(next, 'written after the rotation', 'entry 2');

    // What each device can open, from the document alone.
    const heldBy = async (d: typeof a) => unwrapHeldKeys(doc, { register: 'disciplinary', ...d });
    const [ha, hb, hc] = await Promise.all([heldBy(a), heldBy(b), heldBy(c)]);
    for (const held of [ha, hb]) {
      expect(await openWithRegisterKeys((id) => held.get(id), before, 'entry 1')).toBe('written before the rotation');
      expect(await openWithRegisterKeys((id) => held.get(id), after, 'entry 2')).toBe('written after the rotation');
    }
    expect([...hc.keys()]).toEqual([first.keyId]);
    // Documented: the removed device keeps what it already had…
    expect(await openWithRegisterKeys((id) => hc.get(id), before, 'entry 1')).toBe('written before the rotation');
    // …and cannot open anything sealed after.
    await expect(openWithRegisterKeys((id) => hc.get(id), after, 'entry 2')).rejects.toBeInstanceOf(MissingKeyError);
    // C cannot seal with a key that is no longer current.
    expect(sealingKeyId(view.keys, new Set(hc.keys()))).toBeUndefined();
  });

  it('sharing a held key gives a new officer device the history', async () => {
    const [a, n] = await Promise.all([device('dev-a'), device('dev-new')]);
    const doc = new Y.Doc();
    const k = await createRegisterKey(doc, { register: 'disciplinary', deviceId: a.deviceId, recipients: [a.recipient], reason: 'first' });
    const old = await sealWithRegisterKey(k, 'history', 'entry h');
    expect((await unwrapHeldKeys(doc, { register: 'disciplinary', ...n })).size).toBe(0);
    expect(await shareRegisterKey(doc, { register: 'disciplinary', held: k, recipients: [n.recipient], byDeviceId: a.deviceId })).toBe(1);
    const held = await unwrapHeldKeys(doc, { register: 'disciplinary', ...n });
    expect(await openWithRegisterKeys((id) => held.get(id), old, 'entry h')).toBe('history');
    expect(readKeyring(doc).wraps.find((w) => w.deviceId === 'dev-new')).toMatchObject({ wrappedBy: 'dev-a', to: n.publicKey });
  });
});
