import { describe, expect, it } from 'vitest';
import { type MembershipEntry, type MembershipLog, type MembershipPayload, membershipDraft, membershipId } from '../domain/membership';
import type { Role } from '../domain/permissions';
import { signMembershipEntry, verifyMembership } from './membership';
import { generateSigningKeyPair, type SigningAlg, type SigningKeyPair, signingKeyId } from './signing';

/*
 * The membership log as an attacker meets it: real WebCrypto keys (both
 * algorithms), real signatures, entries made by hand the way a modified client
 * would make them. Each refusal is read as the sentence a person sees.
 */

const WS = 'ws-attack';

interface Dev {
  id: string;
  pair: SigningKeyPair;
  keyId: string;
  keys: { deviceId: string; signKey: string; alg: SigningAlg };
}

async function dev(id: string, alg: SigningAlg): Promise<Dev> {
  const pair = await generateSigningKeyPair(alg);
  return { id, pair, keyId: signingKeyId(pair), keys: { deviceId: id, signKey: pair.publicKey, alg: pair.alg } };
}

/** A log and a clock; `add` signs a payload on top of the current tips (or the tips given). */
class Book {
  entries: MembershipEntry[] = [];
  private minute = 0;
  constructor(readonly root?: string) {}
  now() {
    return new Date(Date.UTC(2026, 0, 1, 9) + ++this.minute * 60_000).toISOString();
  }
  read(list: readonly unknown[] = this.entries): Promise<MembershipLog> {
    return verifyMembership(list, { workspace: WS, ...(this.root ? { root: this.root } : {}) });
  }
  async add(by: Dev, payload: MembershipPayload, opts: { tips?: string[]; ws?: string; at?: string } = {}): Promise<MembershipEntry> {
    const tips = opts.tips ?? (await this.read()).tips;
    const draft = membershipDraft(payload, { workspace: opts.ws ?? WS, tips, by: by.keyId, at: opts.at ?? this.now() });
    const e = await signMembershipEntry(draft, by.pair);
    this.entries.push(e);
    return e;
  }
  /** The refusal reason of one entry, undefined when it is valid. */
  async reason(e: MembershipEntry, list?: readonly unknown[]) {
    const log = await this.read(list);
    return log.refused.find((r) => r.id === idOf(log, e))?.reason;
  }
}

const idOf = (_log: MembershipLog, e: MembershipEntry) => membershipId(e);
const grant = (d: Dev, role: Role, name = d.id): MembershipPayload => ({ type: 'grant', device: d.keys, name, personId: `p-${d.id}`, role });

function shuffled<T>(xs: readonly T[], seed: number): T[] {
  const out = [...xs];
  let s = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Every refusal reads as a sentence: words, lower case start, no code-ish tokens. */
function expectSentences(log: MembershipLog) {
  for (const r of log.refused) {
    expect(r.reason, r.reason).toMatch(/^[a-z][a-z’' ,:()-]+[a-z)]$/i);
    expect(r.reason.split(' ').length, r.reason).toBeGreaterThanOrEqual(4);
  }
}

describe.each(['Ed25519', 'ES256'] as const)('membership log under attack (%s)', (alg) => {
  async function workspace() {
    const owner = await dev('owner', alg);
    const book = new Book();
    await book.add(owner, { type: 'genesis', device: owner.keys, name: 'Olga', personId: 'p-owner' }, { tips: [] });
    return { owner, book };
  }

  it('rights: owner grants any role, manager grants and invites staff only, staff nothing', async () => {
    const { owner, book } = await workspace();
    const [o2, m, s, m2, s2, s3] = await Promise.all(['o2', 'm', 's', 'm2', 's2', 's3'].map((id) => dev(id, alg)));
    for (const [d, role] of [[o2, 'owner'], [m, 'manager'], [s, 'staff']] as const) expect(await book.reason(await book.add(owner, grant(d!, role)))).toBeUndefined();
    expect(await book.reason(await book.add(m!, grant(s2!, 'staff')))).toBeUndefined();
    expect(await book.reason(await book.add(m!, grant(m2!, 'manager')))).toBe('signed by a manager: a manager adds staff only');
    expect(await book.reason(await book.add(s!, grant(s3!, 'staff')))).toBe('signed by a member of staff: staff cannot add members');
    const inv = (invite: string, role: Role): MembershipPayload => ({ type: 'invite', invite, name: invite, role, expires: '2026-02-01T00:00:00.000Z' });
    expect(await book.reason(await book.add(m!, inv('i-staff', 'staff')))).toBeUndefined();
    expect(await book.reason(await book.add(m!, inv('i-mgr', 'manager')))).toBe('signed by a manager: a manager invites staff only');
    expect(await book.reason(await book.add(s!, inv('i-s', 'staff')))).toBe('signed by a member of staff: staff cannot invite');
    expect(await book.reason(await book.add(owner, inv('i-own', 'owner')))).toBeUndefined();
    // Owner-only: role change, removal, officer, recovery set-up.
    const ownerOnly: MembershipPayload[] = [
      { type: 'role', deviceId: 's2', role: 'manager' },
      { type: 'remove', deviceId: 's2' },
      { type: 'officer', personId: 'p-s2', designated: true },
      { type: 'recovery', recoveryKey: owner.keys.signKey, alg, sealed: 'AAAA', salt: 'AAAA' },
    ];
    for (const p of ownerOnly) {
      expect(await book.reason(await book.add(m!, p))).toMatch(/^signed by a manager: only an owner can /);
      expect(await book.reason(await book.add(s!, p))).toMatch(/^signed by a member of staff: only an owner can /);
    }
    expect(await book.reason(await book.add(owner, { type: 'role', deviceId: 's2', role: 'manager' }))).toBeUndefined();
    expect(await book.reason(await book.add(owner, { type: 'officer', personId: 'p-s2', designated: true }))).toBeUndefined();
    // Revoke: owner, or whoever made the invite; nobody else.
    expect(await book.reason(await book.add(o2!, { type: 'revoke', invite: 'i-own' }))).toBeUndefined();
    expect(await book.reason(await book.add(s2!, { type: 'revoke', invite: 'i-staff' }))).toBe('only an owner, or whoever made the invite, can revoke it');
    expect(await book.reason(await book.add(m!, { type: 'revoke', invite: 'i-staff' }))).toBeUndefined();
    const log = await book.read();
    expect(log.current.devices.get('s2')?.role).toBe('manager');
    expect(log.current.officers.has('p-s2')).toBe(true);
    expect(log.current.devices.has('m2')).toBe(false);
    expectSentences(log);
  });

  it('a staff key cannot promote itself to owner nor designate itself officer', async () => {
    const { owner, book } = await workspace();
    const s = await dev('s', alg);
    await book.add(owner, grant(s, 'staff'));
    expect(await book.reason(await book.add(s, { type: 'role', deviceId: 's', role: 'owner' }))).toBe('signed by a member of staff: only an owner can change roles');
    expect(await book.reason(await book.add(s, { type: 'officer', personId: 'p-s', designated: true }))).toBe('signed by a member of staff: only an owner can designate officers');
    // Nor by granting a second device of its own as owner.
    const s2 = await dev('s-second', alg);
    expect(await book.reason(await book.add(s, grant(s2, 'owner')))).toBe('signed by a member of staff: staff cannot add members');
    const log = await book.read();
    expect(log.current.devices.get('s')?.role).toBe('staff');
    expect(log.current.officers.size).toBe(0);
  });

  it('a forged signature, or an entry that names the owner but is signed by another key, is refused', async () => {
    const { owner, book } = await workspace();
    const s = await dev('s', alg);
    await book.add(owner, grant(s, 'staff'));
    const mallory = await dev('mallory', alg);
    // Signed by staff's key but claiming the owner as signer.
    const draft = membershipDraft({ type: 'role', deviceId: 's', role: 'owner' }, { workspace: WS, tips: (await book.read()).tips, by: owner.keyId, at: book.now() });
    const claimed = await signMembershipEntry(draft, s.pair);
    // A good entry whose signature is replaced with junk.
    const junk = { ...(await signMembershipEntry(membershipDraft(grant(mallory, 'owner'), { workspace: WS, tips: (await book.read()).tips, by: owner.keyId }), s.pair)), sig: 'AAAA' };
    const list = [...book.entries, claimed, junk];
    expect(await book.reason(claimed, list)).toBe('its signature does not verify');
    expect(await book.reason(junk as MembershipEntry, list)).toBe('its signature does not verify');
    const log = await book.read(list);
    expect(log.current.devices.get('s')?.role).toBe('staff');
    expect(log.current.devices.has('mallory')).toBe(false);
  });

  it('an entry signed for another workspace means nothing here', async () => {
    const { owner, book } = await workspace();
    const m = await dev('m', alg);
    const e = await book.add(owner, grant(m, 'owner'), { ws: 'ws-elsewhere' });
    expect(await book.reason(e)).toBe('it was signed for another workspace');
    expect((await book.read()).current.devices.has('m')).toBe(false);
  });

  it('a second genesis by another key: refused with a pinned root, and without one the same root wins in every order', async () => {
    const { owner, book } = await workspace();
    const s = await dev('s', alg);
    await book.add(owner, grant(s, 'staff'));
    const mallory = await dev('mallory', alg);
    const evil = await book.add(mallory, { type: 'genesis', device: mallory.keys, name: 'Mallory' }, { tips: [] });
    const pinned = new Book(owner.keyId);
    pinned.entries = book.entries;
    expect(await pinned.reason(evil)).toBe('it is not the root owner this device trusts (another device created this workspace)');
    expect((await pinned.read()).current.devices.has('mallory')).toBe(false);
    // Unpinned: deterministic, whatever the order of arrival.
    const roots = new Set<string | undefined>();
    for (let seed = 1; seed <= 6; seed++) roots.add((await book.read(shuffled(book.entries, seed))).current.root);
    expect(roots.size).toBe(1);
    const log = await book.read();
    expect(log.refused.filter((r) => r.type === 'genesis').map((r) => r.reason)).toEqual(['it is not the root owner this device trusts (another device created this workspace)']);
  });

  it('an invite works once: redeemed twice in turn, the second is refused', async () => {
    const { owner, book } = await workspace();
    await book.add(owner, { type: 'invite', invite: 'inv1', name: 'Jo', personId: 'p-jo', role: 'staff', expires: '2026-02-01T00:00:00.000Z' });
    const [a, b] = await Promise.all([dev('jo-phone', alg), dev('thief', alg)]);
    expect(await book.reason(await book.add(a, { type: 'redeem', invite: 'inv1', device: a.keys, name: 'Jo' }))).toBeUndefined();
    expect(await book.reason(await book.add(b, { type: 'redeem', invite: 'inv1', device: b.keys, name: 'Jo' }))).toBe('the invite was already used: an invite works once');
    const log = await book.read();
    expect(log.current.devices.get('jo-phone')).toMatchObject({ role: 'staff', personId: 'p-jo', via: 'invite' });
    expect(log.current.devices.has('thief')).toBe(false);
  });

  it('two devices redeem one invite at once: exactly one joins, the same one in every order of arrival', async () => {
    const { owner, book } = await workspace();
    await book.add(owner, { type: 'invite', invite: 'inv1', name: 'Jo', role: 'staff', expires: '2026-02-01T00:00:00.000Z' });
    const tips = (await book.read()).tips;
    const [a, b] = await Promise.all([dev('phone-a', alg), dev('phone-b', alg)]);
    await book.add(a, { type: 'redeem', invite: 'inv1', device: a.keys, name: 'Jo' }, { tips });
    await book.add(b, { type: 'redeem', invite: 'inv1', device: b.keys, name: 'Jo' }, { tips });
    const winners = new Set<string>();
    for (let seed = 1; seed <= 8; seed++) {
      const log = await book.read(shuffled(book.entries, seed));
      const joined = ['phone-a', 'phone-b'].filter((d) => log.current.devices.has(d));
      expect(joined).toHaveLength(1);
      winners.add(joined[0]!);
      expect(log.refused.map((r) => r.reason)).toEqual(['another device took up this invite first']);
      expect(log.current.invites.get('inv1')?.redeemedBy).toBe(joined[0]);
    }
    expect(winners.size).toBe(1);
  });

  it('an invite redeemed after it expired, or after it was revoked, is refused', async () => {
    const { owner, book } = await workspace();
    await book.add(owner, { type: 'invite', invite: 'old', name: 'Jo', role: 'staff', expires: '2026-01-01T09:05:00.000Z' });
    await book.add(owner, { type: 'invite', invite: 'gone', name: 'Al', role: 'staff', expires: '2026-02-01T00:00:00.000Z' });
    await book.add(owner, { type: 'revoke', invite: 'gone' });
    const [a, b] = await Promise.all([dev('a', alg), dev('b', alg)]);
    expect(await book.reason(await book.add(a, { type: 'redeem', invite: 'old', device: a.keys, name: 'Jo' }, { at: '2026-01-01T10:00:00.000Z' }))).toBe('the invite had expired');
    expect(await book.reason(await book.add(b, { type: 'redeem', invite: 'gone', device: b.keys, name: 'Al' }))).toBe('the invite was revoked');
    const log = await book.read();
    expect(log.current.devices.size).toBe(1);
  });

  it('replaying an old grant after a removal: the removed key stays out; a fresh grant of its device id or key is refused', async () => {
    const { owner, book } = await workspace();
    const s = await dev('s', alg);
    const old = await book.add(owner, grant(s, 'staff'));
    await book.add(owner, { type: 'remove', deviceId: 's', reason: 'lost' });
    book.entries.push({ ...old });
    let log = await book.read();
    expect(log.current.devices.get('s')?.removed).toBeDefined();
    expect(await book.reason(await book.add(owner, grant(s, 'manager')))).toBe('that device was removed: a removed device never comes back (it joins again with a new key)');
    const sameKey = { ...s, keys: { ...s.keys, deviceId: 's-again' } };
    expect(await book.reason(await book.add(owner, { type: 'grant', device: sameKey.keys, name: 's', role: 'staff' }))).toBe('that key was removed: a removed key never comes back (the device joins again with a new key)');
    // The removed key's own entries are refused.
    const t = await dev('t', alg);
    expect(await book.reason(await book.add(s, grant(t, 'staff')))).toBe('its signer had been removed');
    log = await book.read();
    expect(log.current.devices.has('s-again')).toBe(false);
    expectSentences(log);
  });

  it('an entry whose past has not arrived waits, and counts once it has', async () => {
    const { owner, book } = await workspace();
    const [m, s] = await Promise.all([dev('m', alg), dev('s', alg)]);
    const g = await book.add(owner, grant(m, 'manager'));
    const child = await book.add(m, grant(s, 'staff'));
    const early = book.entries.filter((e) => e !== g);
    let log = await book.read(early);
    expect(log.waiting).toEqual([idOf(log, child)]);
    expect(log.refused.map((r) => r.reason)).toEqual(['it builds on entries that have not arrived yet']);
    expect(log.current.devices.has('s')).toBe(false);
    log = await book.read([...early, g]);
    expect(log.waiting).toEqual([]);
    expect(log.refused).toEqual([]);
    expect(log.current.devices.get('s')?.role).toBe('staff');
    expect(log.valid.size).toBe(3);
  });

  it('the last owner cannot be demoted or removed', async () => {
    const { owner, book } = await workspace();
    const o2 = await dev('o2', alg);
    expect(await book.reason(await book.add(owner, { type: 'role', deviceId: 'owner', role: 'manager' }))).toBe('it would leave the workspace without an owner');
    expect(await book.reason(await book.add(owner, { type: 'remove', deviceId: 'owner' }))).toBe('a device cannot remove itself');
    await book.add(owner, grant(o2, 'owner'));
    expect(await book.reason(await book.add(o2, { type: 'remove', deviceId: 'owner' }))).toBeUndefined();
    expect(await book.reason(await book.add(o2, { type: 'role', deviceId: 'o2', role: 'staff' }))).toBe('it would leave the workspace without an owner');
    const log = await book.read();
    expect(log.current.devices.get('o2')?.role).toBe('owner');
  });

  it('a removed owner: what it signed before stays valid, what it signs after is refused', async () => {
    const { owner, book } = await workspace();
    const [o2, s1, s2] = await Promise.all([dev('o2', alg), dev('s1', alg), dev('s2', alg)]);
    await book.add(owner, grant(o2, 'owner'));
    await book.add(o2, grant(s1, 'staff'));
    await book.add(owner, { type: 'remove', deviceId: 'o2' });
    expect(await book.reason(await book.add(o2, grant(s2, 'staff')))).toBe('its signer had been removed');
    const log = await book.read();
    expect(log.current.devices.get('s1')).toMatchObject({ role: 'staff', grantedBy: o2.keyId });
    expect(log.current.devices.has('s2')).toBe(false);
    expect(log.current.byKey.get(o2.keyId)?.removed).toBeDefined();
  });
});
