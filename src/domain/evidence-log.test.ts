import { describe, expect, it } from 'vitest';
import { buildLogSection, chainEntry, entryHash, type LogHead, type LogSection, linkOf, summariseLog, verifyLog } from './evidence-log';
import { sha256HexSync } from './sha256';
import { canonicalJson } from './signoff';

type Entry = Record<string, unknown> & { id: string };

/** A device writing entries into registers, as appendEntry does (one chain per register and device). */
function writer(device: string, byName = 'Ada Lovelace') {
  const heads = new Map<string, LogHead>();
  let n = 0;
  return (register: string, fields: Record<string, unknown> = {}): Entry => {
    n++;
    const entry = { id: `${device}-${register}-${n}`, kind: 'completion', byName, deviceId: device, at: `2026-11-${String(n).padStart(2, '0')}T10:00:00Z`, note: `entry ${n}`, ...fields };
    const chained = chainEntry(entry, device, heads.get(register));
    heads.set(register, { seq: chained.chain.seq, hash: chained.chain.hash });
    return chained as Entry;
  };
}

const everything = (registers: Record<string, readonly unknown[]>) => buildLogSection(registers, () => true);
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

describe('entryHash and chainEntry', () => {
  it('hashes the canonical JSON without chain.hash, so the hash covers content, device, seq and prev', () => {
    const e = chainEntry({ id: 'a', note: 'x', b: 1 }, 'dev1', undefined);
    expect(e.chain).toMatchObject({ device: 'dev1', seq: 1, prev: null });
    expect(e.chain.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(entryHash(e)).toBe(e.chain.hash);
    expect(e.chain.hash).toBe(sha256HexSync(canonicalJson({ b: 1, chain: { device: 'dev1', prev: null, seq: 1 }, id: 'a', note: 'x' })));
    // Key order does not matter; content, seq and prev do.
    expect(entryHash({ note: 'x', id: 'a', b: 1, chain: { seq: 1, prev: null, device: 'dev1', hash: 'whatever' } })).toBe(e.chain.hash);
    expect(entryHash({ ...e, note: 'y' })).not.toBe(e.chain.hash);
    expect(entryHash({ ...e, chain: { ...e.chain, seq: 2 } })).not.toBe(e.chain.hash);
    const next = chainEntry({ id: 'b', note: 'z' }, 'dev1', { seq: 1, hash: e.chain.hash });
    expect(next.chain).toMatchObject({ seq: 2, prev: e.chain.hash });
    expect(linkOf(next)).toEqual(next.chain);
    expect(linkOf({ id: 'old' })).toBeUndefined();
  });
});

describe('verifyLog', () => {
  it('verifies an untouched log and counts what it checked', () => {
    const w = writer('device-A');
    const registers = { training: [w('training'), w('training'), w('training')], acknowledgements: [w('acknowledgements')] };
    const summary = summariseLog(registers);
    expect(summary).toMatchObject({ entries: 4, chained: 4, unchained: 0 });
    expect(summary.heads['training']!['device-A']!.seq).toBe(3);
    const r = verifyLog(everything(registers), summary);
    expect(r).toEqual({ ok: true, problems: [], checked: 4, unchained: 0, stubs: 0 });
  });

  it('names the entry when one byte of it was altered', () => {
    const w = writer('device-A');
    const registers = { training: [w('training'), w('training', { personId: 'p-7' }), w('training')] };
    const summary = summariseLog(registers);
    const section = clone(everything(registers));
    const victim = section.entries['training']![1] as Entry;
    victim['personId'] = 'p-8'; // one byte
    const r = verifyLog(section, summary);
    expect(r.ok).toBe(false);
    expect(r.problems).toEqual([
      expect.objectContaining({ kind: 'altered', register: 'training', entryId: victim.id, seq: 2, message: `Training entry ${victim.id} was altered after it was written: its content no longer matches its hash.` }),
    ]);
  });

  it('names an altered entry whose hash was recomputed, through the entry that follows it', () => {
    const w = writer('device-A');
    const registers = { acknowledgements: [w('acknowledgements'), w('acknowledgements'), w('acknowledgements')] };
    const summary = summariseLog(registers);
    const section = clone(everything(registers));
    const victim = section.entries['acknowledgements']![1] as Entry & { chain: { hash: string } };
    victim['typedName'] = 'Someone Else';
    victim.chain.hash = entryHash(victim);
    const r = verifyLog(section, summary);
    expect(r.ok).toBe(false);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ kind: 'altered', entryId: victim.id, seq: 2 });
    expect(r.problems[0]!.message).toMatch(new RegExp(`^Acknowledgements entry ${victim.id} \\(number 2 of device device-A \\(Ada Lovelace\\)\\) was altered or replaced`));
  });

  it('names the gap when an entry was removed, and the tail when the last ones were', () => {
    const w = writer('device-A');
    const list = Array.from({ length: 6 }, () => w('training'));
    const summary = summariseLog({ training: list });

    const gap = verifyLog(everything({ training: list.filter((_, i) => i !== 2) }), summary);
    expect(gap.ok).toBe(false);
    expect(gap.problems.map((p) => p.message)).toEqual(['Training: entry 3 of device device-A (Ada Lovelace) is missing (removed from the pack or the history).']);
    expect(gap.problems[0]).toMatchObject({ kind: 'removed', device: 'device-A', seq: 3 });

    const range = verifyLog(everything({ training: list.filter((_, i) => i !== 1 && i !== 2) }), summary);
    expect(range.problems.map((p) => p.message)).toEqual(['Training: entries 2 to 3 of device device-A (Ada Lovelace) are missing (removed from the pack or the history).']);

    const tail = verifyLog(everything({ training: list.slice(0, 4) }), summary);
    expect(tail.ok).toBe(false);
    expect(tail.problems.map((p) => p.message)).toEqual([
      'Training: the last 2 entries of device device-A (Ada Lovelace) (numbers 5 to 6) are missing (removed from the pack or the history).',
    ]);

    const none = verifyLog(everything({ training: [] }), summary);
    expect(none.problems.map((p) => p.message)).toEqual(['Training: all 6 entries of device device-A are missing (removed from the pack or the history).']);
  });

  it('verifies two devices that wrote offline at the same time, whatever the merged order', () => {
    const a = writer('device-A', 'Ada');
    const b = writer('device-B', 'Bob');
    // Both start from the same empty register, each extends only its own chain.
    const written = [a('training'), b('training'), b('training'), a('training'), a('training'), b('training')];
    const merged = [written[3], written[1], written[5], written[0], written[4], written[2]] as Entry[];
    const summary = summariseLog({ training: written });
    expect(summariseLog({ training: merged })).toEqual(summary);
    expect(Object.keys(summary.heads['training']!).sort()).toEqual(['device-A', 'device-B']);
    const r = verifyLog(everything({ training: merged }), summary);
    expect(r).toMatchObject({ ok: true, problems: [], checked: 6 });
  });

  it('follows the links of entries left out of an export (stubs)', () => {
    const w = writer('device-A');
    const list = Array.from({ length: 5 }, (_, i) => w('training', { completedOn: `2025-0${i + 1}-10` }));
    const summary = summariseLog({ training: list });
    const inPeriod = (_register: string, e: Record<string, unknown>) => String(e['completedOn']) >= '2025-03-01';
    const section = buildLogSection({ training: list }, inPeriod);
    expect(section.entries['training']).toHaveLength(3);
    expect(section.stubs).toHaveLength(2);
    expect(section.stubs[0]).toEqual({ register: 'training', id: list[0]!.id, chain: list[0]!['chain'] });
    expect(section.stubs[0]).not.toHaveProperty('note');
    expect(verifyLog(section, summary)).toEqual({ ok: true, problems: [], checked: 3, unchained: 0, stubs: 2 });

    // A stub that was dropped leaves a gap; a stub whose link was changed breaks the next link.
    const dropped = clone(section);
    dropped.stubs.splice(1, 1);
    expect(verifyLog(dropped, summary).problems.map((p) => p.kind)).toEqual(['removed']);
    const forged = clone(section);
    forged.stubs[1]!.chain.hash = sha256HexSync('forged');
    const f = verifyLog(forged, summary);
    expect(f.ok).toBe(false);
    expect(f.problems[0]).toMatchObject({ kind: 'altered', entryId: list[1]!.id });
  });

  it('counts entries written before the log existed, without failing on them', () => {
    const w = writer('device-A');
    const legacy = [{ id: 'old-1', kind: 'signoff', byName: 'Ada' }, { id: 'old-2', kind: 'signoff', byName: 'Ada' }];
    const registers = { checklists: [...legacy, w('checklists'), w('checklists')] };
    const summary = summariseLog(registers);
    expect(summary).toMatchObject({ entries: 4, chained: 2, unchained: 2 });
    expect(verifyLog(everything(registers), summary)).toEqual({ ok: true, problems: [], checked: 2, unchained: 2, stubs: 0 });
    // An unchained entry slipped in after the export is not accepted as "legacy".
    const added = verifyLog(everything({ checklists: [...registers.checklists, { id: 'new', kind: 'signoff' }] }), summary);
    expect(added.ok).toBe(false);
    expect(added.problems[0]!.message).toMatch(/^The pack holds 3 entries without a chain link, but only 2 such entries/);
  });

  it('reports two writers on one device (a fork) as such, not as tampering', () => {
    const w = writer('device-A');
    const first = w('training');
    // Two tabs of device-A both extend entry 1.
    const tab1 = chainEntry({ id: 'tab1', note: 'from tab 1', deviceId: 'device-A' }, 'device-A', { seq: 1, hash: linkOf(first)!.hash });
    const tab2 = chainEntry({ id: 'tab2', note: 'from tab 2', deviceId: 'device-A' }, 'device-A', { seq: 1, hash: linkOf(first)!.hash });
    const after = chainEntry({ id: 'after', note: 'later', deviceId: 'device-A' }, 'device-A', { seq: 2, hash: tab2.chain.hash });
    const registers = { training: [first, tab1, tab2, after] };
    const summary = summariseLog(registers);
    const r = verifyLog(everything(registers), summary);
    expect(r.ok).toBe(true);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ kind: 'fork', register: 'training', device: 'device-A', seq: 2 });
    expect(r.problems[0]!.message).toContain('tab1, tab2');
    expect(r.problems[0]!.message).toContain('this is not a sign of tampering');
    // Removing the branch that nothing builds on is still caught: the head pins every tip.
    const cut = verifyLog(everything({ training: [first, tab2, after] }), summary);
    expect(cut.ok).toBe(false);
    expect(cut.problems.map((p) => p.kind)).toEqual(['head-mismatch']);
  });

  it('reports entries added after the pack was made, a duplicated entry and a damaged summary', () => {
    const w = writer('device-A');
    const list = [w('resources'), w('resources')];
    const summary = summariseLog({ resources: list });
    const later = w('resources');
    const added = verifyLog(everything({ resources: [...list, later] }), summary);
    expect(added.problems.map((p) => p.message)).toEqual(['Resources: entry 3 of device device-A (Ada Lovelace) was not in the log when the pack was made: it was added afterwards.']);
    const other = writer('device-Z', 'Zed')('resources');
    const newDevice = verifyLog(everything({ resources: [...list, other] }), summary);
    expect(newDevice.problems[0]).toMatchObject({ kind: 'head-mismatch', device: 'device-Z' });

    const twice = verifyLog({ entries: { resources: [...list] }, stubs: [{ register: 'resources', id: list[0]!.id, chain: linkOf(list[0])! }] }, summary);
    expect(twice.problems.map((p) => p.message)).toEqual([`Resources entry ${list[0]!.id} appears more than once in the pack.`]);

    const damaged = clone(summary);
    damaged.heads['resources']!['device-A']!.seq = 1;
    const d = verifyLog(everything({ resources: list }), damaged);
    expect(d.problems[0]).toMatchObject({ kind: 'head-mismatch', register: 'manifest' });
  });

  it('says which link is damaged rather than throwing on malformed input', () => {
    const w = writer('device-A');
    const list = [w('training'), w('training')];
    const summary = summariseLog({ training: list });
    const section = clone(everything({ training: list }));
    (section.entries['training']![0] as Entry)['chain'] = { device: 'device-A', seq: 'one' };
    const r = verifyLog(section, summary);
    expect(r.ok).toBe(false);
    expect(r.problems[0]!.message).toBe(`Training entry ${list[0]!.id} has a damaged chain link (no valid number), so it cannot be checked.`);
    expect(() => verifyLog({ entries: { training: 'nope' } as unknown as LogSection['entries'], stubs: [null as never] }, summary)).not.toThrow();
  });
});
