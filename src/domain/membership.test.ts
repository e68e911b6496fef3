import { describe, expect, it } from 'vitest';
import {
  type DeviceKeys,
  type MembershipEntry,
  type MembershipLog,
  type MembershipPayload,
  type MembershipState,
  membershipDraft,
  membershipId,
  readMembership,
} from './membership';
import type { Role } from './permissions';

/*
 * The fold on its own (no WebCrypto: every signature is taken as good, a key's
 * id is its name), so hundreds of random logs run in well under a second.
 * The attacks with real keys are in src/crypto/membership.test.ts.
 */

const WS = 'ws-fold';
const keyIdOf = (k: { publicKey: string }) => `key-${k.publicKey}`;
const read = (list: readonly unknown[], root?: string): MembershipLog => readMembership(list, { workspace: WS, sigOk: () => true, keyIdOf, ...(root ? { root } : {}) });
const keys = (deviceId: string): DeviceKeys => ({ deviceId, signKey: deviceId, alg: 'Ed25519' });
const kid = (deviceId: string) => keyIdOf({ publicKey: deviceId });

/** A seeded PRNG (mulberry32): the same seed, the same run. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return { next, int, pick: <T>(xs: readonly T[]): T => xs[int(xs.length)]!, shuffle: <T>(xs: readonly T[]): T[] => {
    const out = [...xs];
    for (let i = out.length - 1; i > 0; i--) {
      const j = int(i + 1);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  } };
}

/** One device's view of the log: what it has, its tips, a clock. */
class Phone {
  constructor(public log: MembershipEntry[], readonly clock = { t: 0 }) {}
  tips() {
    return read(this.log).tips;
  }
  add(by: string, payload: MembershipPayload, tips = this.tips()): MembershipEntry {
    const at = new Date(Date.UTC(2026, 0, 1) + ++this.clock.t * 60_000).toISOString();
    const e = { ...membershipDraft(payload, { workspace: WS, tips, by: kid(by), at }), sig: 's' } as MembershipEntry;
    this.log = [...this.log, e];
    return e;
  }
  fork() {
    return new Phone([...this.log], this.clock);
  }
}

const grant = (d: string, role: Role): MembershipPayload => ({ type: 'grant', device: keys(d), name: d, personId: `p-${d}`, role });
const reasonOf = (log: MembershipLog, e: MembershipEntry) => log.refused.find((r) => r.id === membershipId(e))?.reason;

/** The state as plain sorted data, to compare two reads. */
function snapshot(s: MembershipState) {
  const sorted = <V>(m: ReadonlyMap<string, V>) => [...m].sort(([a], [b]) => (a < b ? -1 : 1));
  return JSON.stringify({ root: s.root, devices: sorted(s.devices), officers: sorted(s.officers), invites: sorted(s.invites), recovery: sorted(s.recoveryKeys) });
}

function shared() {
  const p = new Phone([]);
  p.add('A', { type: 'genesis', device: keys('A'), name: 'A', personId: 'p-A' }, []);
  p.add('A', grant('B', 'owner'));
  for (const [d, role] of [['m1', 'manager'], ['m2', 'manager'], ['s1', 'staff'], ['s2', 'staff'], ['s3', 'staff']] as const) p.add('A', grant(d, role));
  p.add('A', { type: 'invite', invite: 'shared-inv', name: 'Jo', personId: 'p-jo', role: 'staff', expires: '2027-01-01T00:00:00.000Z' });
  return p;
}

/** A random change an owner might make offline, given what its phone knows. */
function randomChange(rng: ReturnType<typeof prng>, phone: Phone, owner: string, tag: string, n: number) {
  const state = read(phone.log).current;
  const members = [...state.devices.values()].filter((d) => !d.removed && d.deviceId !== owner).map((d) => d.deviceId);
  const roles: Role[] = ['owner', 'manager', 'staff'];
  const kind = rng.pick(['grant', 'role', 'remove', 'officer', 'invite', 'redeem'] as const);
  const fresh = `${tag}-${n}`;
  switch (kind) {
    case 'grant':
      return phone.add(owner, grant(fresh, rng.pick(roles)));
    case 'role':
      return members.length ? phone.add(owner, { type: 'role', deviceId: rng.pick(members), role: rng.pick(roles) }) : undefined;
    case 'remove':
      return members.length ? phone.add(owner, { type: 'remove', deviceId: rng.pick(members) }) : undefined;
    case 'officer':
      return phone.add(owner, { type: 'officer', personId: `p-${rng.pick([...members, owner])}`, designated: rng.next() < 0.6 });
    case 'invite':
      return phone.add(owner, { type: 'invite', invite: `inv-${fresh}`, name: fresh, role: rng.pick(roles), expires: '2027-01-01T00:00:00.000Z' });
    case 'redeem': {
      const open = [...state.invites.values()].filter((i) => !i.redeemedBy && !i.revoked);
      if (!open.length) return undefined;
      const joiner = `j-${fresh}`;
      return phone.add(joiner, { type: 'redeem', invite: rng.pick(open).id, device: keys(joiner), name: joiner });
    }
  }
}

describe('convergence: two owners offline, the union read in any order', () => {
  it('gives the same devices, roles, removals, officers, invites and tips in 200 random orders', () => {
    let refusedSomething = 0;
    let removedSomething = 0;
    for (let run = 1; run <= 40; run++) {
      const rng = prng(run);
      const base = shared();
      const a = base.fork();
      const b = base.fork();
      for (let n = 0; n < 10; n++) {
        randomChange(rng, a, 'A', 'a', n);
        randomChange(rng, b, 'B', 'b', n);
      }
      const union = [...new Map([...a.log, ...b.log].map((e) => [membershipId(e), e])).values()];
      const first = read(union);
      const want = snapshot(first.current);
      const wantTips = JSON.stringify(first.tips);
      const wantRefused = JSON.stringify(first.refused.map((r) => r.id).sort());
      refusedSomething += first.refused.length;
      removedSomething += [...first.current.devices.values()].filter((d) => d.removed).length;
      for (let order = 0; order < 5; order++) {
        const again = read(rng.shuffle(union));
        expect(snapshot(again.current)).toBe(want);
        expect(JSON.stringify(again.tips)).toBe(wantTips);
        expect(JSON.stringify(again.refused.map((r) => r.id).sort())).toBe(wantRefused);
      }
      // Both phones, once each has the other's entries, agree: a new entry on either builds on the same tips.
      expect(read(rng.shuffle(union)).tips).toEqual(first.tips);
    }
    // The runs did exercise conflicts, not only quiet logs.
    expect(refusedSomething).toBeGreaterThan(0);
    expect(removedSomething).toBeGreaterThan(0);
  });

  it('a removal wins over a concurrent role change, and over a concurrent grant of the removed key', () => {
    const base = shared();
    const a = base.fork();
    const b = base.fork();
    a.add('A', { type: 'remove', deviceId: 's1' });
    b.add('B', { type: 'role', deviceId: 's1', role: 'manager' });
    const g = b.add('B', { type: 'grant', device: { ...keys('s1'), deviceId: 's1-new-phone' }, name: 's1', role: 'owner' });
    for (const list of [[...a.log, ...b.log], [...b.log, ...a.log]]) {
      const log = read(list);
      expect(log.current.devices.get('s1')?.removed).toBeDefined();
      expect(log.current.devices.has('s1-new-phone')).toBe(false);
      expect(reasonOf(log, g)).toBe('that key already belongs to a member');
    }
  });

  it('two concurrent role changes of one device: the lesser role wins, in either order', () => {
    const base = shared();
    const a = base.fork();
    const b = base.fork();
    a.add('A', { type: 'role', deviceId: 's2', role: 'owner' });
    b.add('B', { type: 'role', deviceId: 's2', role: 'manager' });
    a.add('A', { type: 'role', deviceId: 'm1', role: 'staff' });
    b.add('B', { type: 'role', deviceId: 'm1', role: 'owner' });
    for (const list of [[...a.log, ...b.log], [...b.log, ...a.log]]) {
      const log = read(list);
      expect(log.current.devices.get('s2')?.role).toBe('manager');
      expect(log.current.devices.get('m1')?.role).toBe('staff');
    }
    // A later change that has seen both decides.
    const merged = new Phone([...a.log, ...b.log.slice(base.log.length)]);
    merged.add('A', { type: 'role', deviceId: 's2', role: 'owner' });
    expect(read(merged.log).current.devices.get('s2')?.role).toBe('owner');
  });

  it('two concurrent officer entries of one person: undesignation wins', () => {
    const base = shared();
    base.add('A', { type: 'officer', personId: 'p-s3', designated: true });
    const a = base.fork();
    const b = base.fork();
    a.add('A', { type: 'officer', personId: 'p-s3', designated: false });
    b.add('B', { type: 'officer', personId: 'p-s3', designated: true });
    expect(read([...a.log, ...b.log]).current.officers.has('p-s3')).toBe(false);
    expect(read([...b.log, ...a.log]).current.officers.has('p-s3')).toBe(false);
  });
});

describe('at(tips): the state at a point of the log', () => {
  it('a device granted later is absent; a role changed later shows its earlier role; a later removal is not yet there', () => {
    const p = shared();
    const before = p.tips();
    p.add('A', { type: 'role', deviceId: 's1', role: 'manager' });
    const middle = p.tips();
    p.add('A', grant('late', 'staff'));
    p.add('A', { type: 'remove', deviceId: 's1' });
    const log = read(p.log);
    expect(log.current.devices.get('s1')?.removed).toBeDefined();
    expect(log.current.devices.has('late')).toBe(true);
    const then = log.at(before);
    expect(then.devices.get('s1')).toMatchObject({ role: 'staff' });
    expect(then.devices.get('s1')?.removed).toBeUndefined();
    expect(then.devices.has('late')).toBe(false);
    expect(log.at(middle).devices.get('s1')?.role).toBe('manager');
    expect(log.at(middle).devices.get('s1')?.roleSince).toBe(p.log.find((e) => e.type === 'role')!.at);
    // Unknown ids are skipped: the state of nothing.
    expect(log.at(['f'.repeat(64)]).devices.size).toBe(0);
  });

  it('at the tips of one branch, the other branch is not seen', () => {
    const base = shared();
    const a = base.fork();
    const b = base.fork();
    a.add('A', grant('only-a', 'staff'));
    b.add('B', { type: 'remove', deviceId: 's2' });
    const log = read([...a.log, ...b.log]);
    const atA = log.at(read(a.log).tips);
    expect(atA.devices.has('only-a')).toBe(true);
    expect(atA.devices.get('s2')?.removed).toBeUndefined();
    expect(log.current.devices.get('s2')?.removed).toBeDefined();
  });
});
