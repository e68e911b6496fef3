import { type MembershipEntry, type MembershipPayload, membershipDraft, membershipId, readMembership } from '../../src/domain/membership';
import type { Role } from '../../src/domain/permissions';
import { signMembershipEntry, verifyMembership } from '../../src/crypto/membership';
import { generateSigningKeyPair, type SigningKeyPair, signingKeyId } from '../../src/crypto/signing';

/*
 * The membership log (issue 17): verifyMembership (every signature, then the
 * fold) and readMembership alone, for logs of 100, 500 and 2,000 entries of a
 * realistic mix (200 people: grants by owners and managers, role changes,
 * officers, invites and their redemptions, removals; now and then two owners
 * writing at once), and the time to append one entry and read again, as a
 * device does on every change. Real Ed25519 keys (ES256 where Node lacks it).
 */

const WS = 'ws-bench';

interface Dev {
  id: string;
  pair: SigningKeyPair;
  keyId: string;
}

async function newDev(id: string): Promise<Dev> {
  const pair = await generateSigningKeyPair();
  return { id, pair, keyId: signingKeyId(pair) };
}

/** A log of `n` valid entries; tips are tracked here, not by reading the log, so building stays linear. */
export async function buildLog(n: number): Promise<{ entries: MembershipEntry[]; tips: string[]; owner: Dev; next: () => Promise<Dev> }> {
  let seq = 0;
  let rnd = 7;
  const rand = (k: number) => ((rnd = (Math.imul(rnd, 1103515245) + 12345) >>> 0) >>> 8) % k;
  const entries: MembershipEntry[] = [];
  let tips: string[] = [];
  let minute = 0;
  const at = () => new Date(Date.UTC(2026, 0, 1) + ++minute * 60_000).toISOString();
  const sign = async (by: Dev, p: MembershipPayload, on = tips) => {
    const e = await signMembershipEntry(membershipDraft(p, { workspace: WS, tips: on, by: by.keyId, at: at() }), by.pair);
    entries.push(e);
    return membershipId(e);
  };
  const add = async (by: Dev, p: MembershipPayload) => {
    tips = [await sign(by, p)];
  };
  const next = () => newDev(`d${++seq}`);
  const keysOf = (d: Dev) => ({ deviceId: d.id, signKey: d.pair.publicKey, alg: d.pair.alg });
  const owner = await next();
  await add(owner, { type: 'genesis', device: keysOf(owner), name: 'Owner', personId: 'p0' });
  const owner2 = await next();
  await add(owner, { type: 'grant', device: keysOf(owner2), name: 'Owner 2', personId: 'p1', role: 'owner' });
  const managers: Dev[] = [];
  const staff: Dev[] = [];
  let person = 2;
  while (entries.length < n) {
    const k = rand(100);
    const signer = rand(2) ? owner : owner2;
    if (entries.length < n - 1 && k < 5) {
      // Two owners at once, on the same tips: a grant each.
      const [a, b] = [await next(), await next()];
      const ta = await sign(owner, { type: 'grant', device: keysOf(a), name: `P${person}`, personId: `p${person++}`, role: 'staff' });
      const tb = await sign(owner2, { type: 'grant', device: keysOf(b), name: `P${person}`, personId: `p${person++}`, role: 'staff' });
      staff.push(a, b);
      tips = [ta, tb].sort();
    } else if (k < 40 || staff.length < 5) {
      const d = await next();
      const role: Role = managers.length < 10 && rand(4) === 0 ? 'manager' : 'staff';
      const by = role === 'staff' && managers.length && rand(2) ? managers[rand(managers.length)]! : signer;
      await add(by, { type: 'grant', device: keysOf(d), name: `P${person % 200}`, personId: `p${person++ % 200}`, role });
      (role === 'manager' ? managers : staff).push(d);
    } else if (k < 55) {
      const d = staff[rand(staff.length)]!;
      await add(signer, { type: 'role', deviceId: d.id, role: rand(2) ? 'manager' : 'staff' });
    } else if (k < 62) {
      const d = staff.splice(rand(staff.length), 1)[0]!;
      await add(signer, { type: 'remove', deviceId: d.id, reason: 'left' });
    } else if (k < 70) {
      await add(signer, { type: 'officer', personId: `p${rand(200)}`, designated: rand(3) > 0 });
    } else if (entries.length < n - 1) {
      const invite = `inv${seq}-${entries.length}`;
      const by = managers.length && rand(2) ? managers[rand(managers.length)]! : signer;
      await add(by, { type: 'invite', invite, name: `P${person % 200}`, personId: `p${person++ % 200}`, role: 'staff', expires: '2027-01-01T00:00:00.000Z' });
      const j = await next();
      await add(j, { type: 'redeem', invite, device: keysOf(j), name: 'Joiner' });
      staff.push(j);
    }
  }
  return { entries, tips, owner, next };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (t0: number) => Math.round((performance.now() - t0) * 10) / 10;

export interface MembershipBenchRow {
  entries: number;
  refused: number;
  /** First verifyMembership: every signature checked, then the fold. */
  verifyCold: number;
  /** verifyMembership again (signatures memoised), median. */
  verifyWarm: number;
  /** readMembership alone, median. */
  fold: number;
  /** Sign one more entry on the tips, then verifyMembership of the whole log, median. */
  append: number;
}

export async function runMembershipBench(sizes = [100, 500, 2_000], runs = 5): Promise<MembershipBenchRow[]> {
  const rows: MembershipBenchRow[] = [];
  for (const size of sizes) {
    const { entries, tips, owner, next } = await buildLog(size);
    let t0 = performance.now();
    const log = await verifyMembership(entries, { workspace: WS });
    const verifyCold = ms(t0);
    const warm: number[] = [];
    const fold: number[] = [];
    const append: number[] = [];
    for (let r = 0; r < runs; r++) {
      t0 = performance.now();
      await verifyMembership(entries, { workspace: WS });
      warm.push(ms(t0));
      t0 = performance.now();
      readMembership(entries, { workspace: WS, sigOk: () => true, keyIdOf: signingKeyId });
      fold.push(ms(t0));
      const d = await next();
      t0 = performance.now();
      const e = await signMembershipEntry(membershipDraft({ type: 'grant', device: { deviceId: d.id, signKey: d.pair.publicKey, alg: d.pair.alg }, name: 'New', role: 'staff' }, { workspace: WS, tips, by: owner.keyId }), owner.pair);
      await verifyMembership([...entries, e], { workspace: WS });
      append.push(ms(t0));
    }
    rows.push({ entries: entries.length, refused: log.refused.length, verifyCold, verifyWarm: median(warm), fold: median(fold), append: median(append) });
  }
  return rows;
}

export function membershipBenchTable(rows: MembershipBenchRow[]): string {
  return [
    '| membership log (Ed25519, 200 people; median of 5 unless said) | verify + fold, first read | verify + fold, again | fold alone | append one entry + read |',
    '|---|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.entries.toLocaleString('en-GB')} entries (${r.refused} refused) | ${r.verifyCold} ms | ${r.verifyWarm} ms | ${r.fold} ms | ${r.append} ms |`),
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(membershipBenchTable(await runMembershipBench()));
}
