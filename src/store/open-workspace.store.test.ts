import { describe, expect, it } from 'vitest';
import { REGISTERS } from '../ui/registry';
import { openWorkspaceDocs } from './open-workspace';
import { createRecord, readFields } from './records';

describe('workspace documents in IndexedDB', () => {
  it('survive closing and reopening (a reload)', async () => {
    const first = openWorkspaceDocs('ws-persist-test-000001', REGISTERS);
    await first.loaded;
    createRecord(first.docs.people, 'p1', { name: 'Ada', team: 'Ops' });
    // y-indexeddb writes asynchronously; give it a turn before closing.
    await new Promise((r) => setTimeout(r, 50));
    await first.close();

    const second = openWorkspaceDocs('ws-persist-test-000001', REGISTERS);
    await second.loaded;
    expect(readFields(second.docs.people, 'p1')).toEqual({ name: 'Ada', team: 'Ops' });
    expect(readFields(second.docs.checklists, 'p1')).toBeUndefined();
    await second.close();
  });
});
