import { createRoot } from 'solid-js';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { buildLogSection, type ChainLink, entryHash, summariseLog, verifyLog } from '../domain/evidence-log';
import { createTrainingStore } from '../registers/training/store';
import { appendEntry, chainHead, entriesOf } from './records';

const entriesOfDoc = (doc: Y.Doc) => [...entriesOf(doc).values()] as Array<Record<string, unknown> & { id: string; chain?: ChainLink }>;
const sync = (a: Y.Doc, b: Y.Doc) => {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
};
const verifyDoc = (doc: Y.Doc, register = 'training') => {
  const registers = { [register]: entriesOfDoc(doc) };
  return verifyLog(buildLogSection(registers, () => true), summariseLog(registers));
};
const signoff = (id: string, deviceId: string, note = '') => ({ id, kind: 'signoff', recordId: 'r1', byName: 'Ada', at: '2026-11-25T10:00:00Z', deviceId, note, snapshot: '{}' });

describe('appendEntry: the evidence log at write time', () => {
  it('links every entry into its device’s chain, and two devices merging still verify', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    expect(appendEntry(a, signoff('a1', 'device-A'))).toBe(true);
    sync(a, b);
    // Offline on both: each device extends only its own chain.
    appendEntry(a, signoff('a2', 'device-A'));
    appendEntry(b, signoff('b1', 'device-B'));
    appendEntry(b, signoff('b2', 'device-B'));
    appendEntry(a, signoff('a3', 'device-A'));
    sync(a, b);
    appendEntry(b, signoff('b3', 'device-B'));
    sync(a, b);

    for (const doc of [a, b]) {
      const byId = new Map(entriesOfDoc(doc).map((e) => [e.id, e]));
      expect(byId.size).toBe(6);
      const links = (ids: string[]) => ids.map((id) => byId.get(id)!.chain!);
      expect(links(['a1', 'a2', 'a3']).map((l) => [l.device, l.seq])).toEqual([['device-A', 1], ['device-A', 2], ['device-A', 3]]);
      expect(links(['b1', 'b2', 'b3']).map((l) => [l.device, l.seq])).toEqual([['device-B', 1], ['device-B', 2], ['device-B', 3]]);
      expect(byId.get('a1')!.chain!.prev).toBeNull();
      expect(byId.get('a2')!.chain!.prev).toBe(byId.get('a1')!.chain!.hash);
      for (const e of byId.values()) expect(entryHash(e)).toBe(e.chain!.hash);
      expect(verifyDoc(doc, 'checklists')).toMatchObject({ ok: true, problems: [], checked: 6 });
    }
    // The same content is stored on both devices: the same summary root.
    expect(summariseLog({ checklists: entriesOfDoc(a) }).root).toBe(summariseLog({ checklists: entriesOfDoc(b) }).root);
    // Appending an id twice writes nothing.
    expect(appendEntry(a, signoff('a1', 'device-A', 'again'))).toBe(false);
    expect(chainHead(a, 'device-A')?.seq).toBe(3);
  });

  it('chains entries without a deviceId under the device given (sealed entries), and continues after a reload', () => {
    const a = new Y.Doc();
    appendEntry(a, { id: 's1', kind: 'sealed', codec: 'c', sealed: 'x' } as { id: string }, 'device-A');
    appendEntry(a, { id: 's2', kind: 'sealed', codec: 'c', sealed: 'y' } as { id: string }, 'device-A');
    expect(entriesOfDoc(a).map((e) => e.chain!.device)).toEqual(['device-A', 'device-A']);
    // A fresh document with the same content (a reload): the chain goes on from what is stored.
    const reloaded = new Y.Doc();
    Y.applyUpdate(reloaded, Y.encodeStateAsUpdate(a));
    appendEntry(reloaded, { id: 's3', kind: 'sealed', codec: 'c', sealed: 'z' } as { id: string }, 'device-A');
    const s3 = entriesOfDoc(reloaded).find((e) => e.id === 's3')!;
    expect(s3.chain).toMatchObject({ device: 'device-A', seq: 3, prev: entriesOfDoc(a).find((e) => e.id === 's2')!.chain!.hash });
    expect(verifyDoc(reloaded, 'disciplinary')).toMatchObject({ ok: true, checked: 3 });
  });

  it('follows entries another tab of the same device wrote once they arrive, and reports a race as a fork', () => {
    const tab1 = new Y.Doc();
    const tab2 = new Y.Doc();
    appendEntry(tab1, signoff('t1', 'device-A'));
    sync(tab1, tab2);
    appendEntry(tab2, signoff('t2', 'device-A'));
    sync(tab1, tab2); // tab 1 sees entry 2 arrive (observer), so it continues at 3
    appendEntry(tab1, signoff('t3', 'device-A'));
    expect(entriesOfDoc(tab1).find((e) => e.id === 't3')!.chain!.seq).toBe(3);
    expect(verifyDoc(tab1, 'checklists')).toMatchObject({ ok: true, problems: [] });

    // Both tabs offline at once: both write number 4. Reported as a fork, not tampering.
    sync(tab1, tab2);
    appendEntry(tab1, signoff('race-1', 'device-A'));
    appendEntry(tab2, signoff('race-2', 'device-A'));
    sync(tab1, tab2);
    appendEntry(tab1, signoff('t5', 'device-A'));
    const r = verifyDoc(tab1, 'checklists');
    expect(r.ok).toBe(true);
    expect(r.problems.map((p) => p.kind)).toEqual(['fork']);
    expect(r.problems[0]!.message).toMatch(/wrote 2 entries numbered 4 \((race-1, race-2|race-2, race-1)\).*not a sign of tampering/);
    expect(entriesOfDoc(tab1).find((e) => e.id === 't5')!.chain!.seq).toBe(5);
  });

  it('writes 10,000 training completions in one go, all chained, without rescanning per append', () =>
    createRoot((dispose) => {
      const doc = new Y.Doc();
      const training = createTrainingStore(doc);
      const course = training.addAnnualAwareness('Ada');
      if (!course.ok) throw new Error('course');
      const people = Array.from({ length: 10_000 }, (_, i) => `person-${i}`);
      const signer = { name: 'Ada Lovelace', deviceId: 'device-A' };
      const t0 = performance.now();
      const r = training.recordForTeam('Everyone', people, { courseId: course.value.id, completedOn: '2026-11-20', provider: '', evidence: '', expiresOn: '' }, signer, '2026-11-25');
      const writeMs = performance.now() - t0;
      expect(r.ok).toBe(true);
      const entries = entriesOfDoc(doc);
      expect(entries).toHaveLength(10_000);
      expect(new Set(entries.map((e) => e.chain!.seq)).size).toBe(10_000);
      expect(chainHead(doc, 'device-A')?.seq).toBe(10_000);
      const t1 = performance.now();
      const v = verifyDoc(doc);
      const verifyMs = performance.now() - t1;
      expect(v).toMatchObject({ ok: true, problems: [], checked: 10_000 });
      // A second batch continues the chain at 10,001 (from the cache, not a rescan).
      const again = training.recordForTeam('Everyone', ['late-joiner'], { courseId: course.value.id, completedOn: '2026-11-20', provider: '', evidence: '', expiresOn: '' }, signer, '2026-11-25');
      expect(again.ok).toBe(true);
      expect(entriesOfDoc(doc).find((e) => e['personId'] === 'late-joiner')!.chain!.seq).toBe(10_001);
      console.info(`evidence log: 10,000 chained appends in ${writeMs.toFixed(0)} ms (training store, one transaction); verify ${verifyMs.toFixed(0)} ms`);
      dispose();
    }), 60_000);
});
