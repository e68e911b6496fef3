import { createMemo, createRoot } from 'solid-js';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Source } from '../evidence/context';
import { PackReads } from '../export/pack/context';
import { readChecklists } from '../registers/checklists/model';
import { createLiveSource } from './live-source';
import { createRecord } from './records';

const day = (at: string) => at.slice(0, 10);
const readTeams = (src: Source) => src.records('checklists').map(([, f]) => String(f['team'])).sort();

describe('the live documents read as the pack reads them', () => {
  it('gives the same checklists, parsed and sorted the same way, as the pack from their JSON', () => {
    const docs = { checklists: new Y.Doc() };
    createRecord(docs.checklists, 'c2', { month: '2026-11', team: 'Ops' });
    createRecord(docs.checklists, 'c1', { month: '2026-10', team: 'Sales' });
    createRecord(docs.checklists, 'c3', { month: '2026-10', team: 'Ops' });
    const live = createLiveSource(docs, day);
    const pack = new PackReads({
      organisation: 'Acme', generatedAt: '2026-12-01T00:00:00Z', generatedBy: 'Olga', today: '2026-12-01', period: { from: '2026-01-01', to: '2026-12-31' }, scope: { teams: 'all' },
      registers: { checklists: { records: docs.checklists.getMap('records').toJSON(), entries: {} } },
    });
    expect(live.read(readChecklists).map((c) => c.id)).toEqual(pack.read(readChecklists).map((c) => c.id));
    expect(live.read(readChecklists).map((c) => `${c.month} ${c.team}`)).toEqual(['2026-10 Ops', '2026-10 Sales', '2026-11 Ops']);
  });

  it('reads once per change, and a memo over it follows an edit on any document', () => {
    createRoot((dispose) => {
      const docs = { checklists: new Y.Doc(), people: new Y.Doc() };
      createRecord(docs.checklists, 'c1', { month: '2026-10', team: 'Ops' });
      const live = createLiveSource(docs, day);
      let runs = 0;
      const counted = (src: Source) => (runs++, readTeams(src));
      const teams = createMemo(() => live.read(counted));
      expect(teams()).toEqual(['Ops']);
      expect(live.read(counted)).toEqual(['Ops']);
      expect(runs).toBe(1);
      createRecord(docs.checklists, 'c2', { month: '2026-10', team: 'Sales' });
      expect(teams()).toEqual(['Ops', 'Sales']);
      expect(runs).toBe(2);
      // Another document's change starts a new reading too (a reader may read several).
      createRecord(docs.people, 'p1', { name: 'Ada' });
      expect(live.read(counted)).toEqual(['Ops', 'Sales']);
      expect(runs).toBe(3);
      dispose();
    });
  });
});
