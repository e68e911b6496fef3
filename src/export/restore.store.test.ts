import { createRoot } from 'solid-js';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createBriefingStore } from '../registers/briefings/store';
import { createChecklistStore } from '../registers/checklists/store';
import { STANDARD_ITEMS } from '../registers/checklists/model';
import { createPeopleStore } from '../registers/people/store';
import { createRoleStore } from '../registers/roles/store';
import { seedDefaultRoles } from '../registers/roles/seed';
import { createSettingsStore } from '../registers/settings/store';
import { createMemberStore } from '../registers/members/store';
import { openWorkspaceDocs, type WorkspaceDocs } from '../store/open-workspace';
import { createRecord } from '../store/records';
import { REGISTERS } from '../ui/registry';
import type { Signer } from '../store/signoffs';
import { backupJson, buildBackup, MESSAGES, parseBackup, type ParsedBackup } from './backup';
import { applyBackup, isWorkspaceEmpty, planRestore } from './restore';

const mia: Signer = { name: 'Mia Manager', deviceId: 'device-a' };
const settle = () => new Promise((r) => setTimeout(r, 60));

/** Workspace A with people, a signed-off checklist and briefing minutes. */
function workspaceA(): { docs: WorkspaceDocs; dispose: () => void } {
  const docs = Object.fromEntries(REGISTERS.map((r) => [r, new Y.Doc()])) as WorkspaceDocs;
  return createRoot((dispose) => {
    createSettingsStore(docs.settings, 'Acme').initialise('Acme');
    seedDefaultRoles(docs.roles);
    createMemberStore(docs.members).registerSelf({ deviceId: 'device-a', name: 'Mia Manager', publicKey: 'pub-a', roleIfNew: 'owner' });
    const people = createPeopleStore(docs.people);
    const ada = people.add({ name: 'Ada Lovelace', email: 'ada@example.com', team: 'Ops', jobTitle: 'Engineer', startDate: '2026-01-05', managerId: '' } as never);
    people.add({ name: 'Sam Staff', email: '', team: 'Ops', jobTitle: '', startDate: '', managerId: '' } as never);
    expect(ada.ok).toBe(true);
    const checklists = createChecklistStore(docs.checklists);
    const c = checklists.create({ team: 'Ops', month: '2026-11' }, STANDARD_ITEMS, mia);
    if (!c.ok) throw new Error('checklist');
    for (const i of STANDARD_ITEMS) checklists.setItem(c.value.id, i.key, 'status', 'done');
    const fresh = checklists.all().find((x) => x.id === c.value.id)!;
    expect(checklists.signOff(fresh, mia, 'All good')).toBeUndefined();
    const briefings = createBriefingStore(docs.briefings);
    const b = briefings.create({ date: '2026-11-20', team: 'Ops', notes: 'Phishing reminder' }, mia);
    if (!b.ok) throw new Error('briefing');
    // Ada holds the (seeded) CEO role: the restore must keep this although the target has its own seeded CEO role.
    expect(createRoleStore(docs.roles).setHolder('role-ceo', ada.ok ? ada.value.id : '', true)).toBeUndefined();
    return { docs, dispose };
  });
}

const snapshot = (docs: Partial<WorkspaceDocs>) =>
  Object.fromEntries(REGISTERS.map((r) => [r, { records: docs[r]!.getMap('records').toJSON(), entries: docs[r]!.getMap('entries').toJSON() }]));
const bytes = (docs: Partial<WorkspaceDocs>) => REGISTERS.map((r) => Array.from(Y.encodeStateAsUpdate(docs[r]!)).join(','));

function parsedOf(docs: WorkspaceDocs, id: string, orgName = 'Acme'): ParsedBackup {
  const r = parseBackup(backupJson(buildBackup({ docs, workspace: { id, orgName }, createdAt: '2026-11-25T12:00:00Z' })));
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

describe('restore', () => {
  it('restores into an empty workspace with identical records, survives a reload, and restoring twice adds nothing', async () => {
    const a = workspaceA();
    const parsed = parsedOf(a.docs, 'ws-source-000000000001');

    const target = openWorkspaceDocs('ws-target-000000000001', REGISTERS);
    await target.loaded;
    // A new workspace, as the app creates it: its name and the default roles.
    createRecord(target.docs.settings, 'org', { name: 'Acme (restored)' });
    seedDefaultRoles(target.docs.roles);
    // …and its own device, which registers itself on opening.
    createRoot((dispose) => {
      createMemberStore(target.docs.members).registerSelf({ deviceId: 'device-t', name: 'Tom', publicKey: 'pub-t', roleIfNew: 'owner' });
      dispose();
    });
    expect(isWorkspaceEmpty(target.docs)).toBe(true);
    const current = { workspaceId: 'ws-target-000000000001', docs: target.docs };
    const plan = planRestore(parsed, current);
    expect(plan).toEqual({ ok: true, value: { kind: 'fill', summary: parsed.backup.summary } });

    const first = applyBackup(parsed, current);
    expect(first.added.people).toEqual({ records: 2, entries: 0 });
    expect(first.added.checklists).toEqual({ records: 1, entries: 1 });
    expect(first.added.briefings).toEqual({ records: 1, entries: 0 });
    const expected = snapshot(a.docs);
    const got = snapshot(target.docs);
    // Everything identical, except that the workspace keeps its own name and its own devices.
    expect({ ...got, settings: undefined, members: undefined }).toEqual({ ...expected, settings: undefined, members: undefined });
    expect(Object.keys(target.docs.members.getMap('records').toJSON())).toEqual(['device.device-t']);
    expect(target.docs.settings.getMap<Y.Map<unknown>>('records').get('org')!.get('name')).toBe('Acme (restored)');
    expect(isWorkspaceEmpty(target.docs)).toBe(false);

    // Restoring again (the workspace now holds data from the backup's workspace) is allowed and changes nothing.
    const before = bytes(target.docs);
    expect(planRestore(parsed, current)).toMatchObject({ ok: true, value: { kind: 'refill' } });
    expect(applyBackup(parsed, current)).toEqual({ added: {}, changed: [] });
    expect(bytes(target.docs)).toEqual(before);

    // Stores read the restored data.
    createRoot((dispose) => {
      const people = createPeopleStore(target.docs.people);
      expect(people.all().map((p) => p.name)).toEqual(['Ada Lovelace', 'Sam Staff']);
      const checklists = createChecklistStore(target.docs.checklists);
      const c = checklists.all()[0]!;
      expect(checklists.history(c.id)).toHaveLength(1);
      dispose();
    });

    await settle();
    await target.close();
    const reopened = openWorkspaceDocs('ws-target-000000000001', REGISTERS);
    await reopened.loaded;
    expect({ ...snapshot(reopened.docs), settings: undefined, members: undefined }).toEqual({ ...expected, settings: undefined, members: undefined });
    await reopened.close();
    a.dispose();
  });

  it('restoring the same workspace’s backup twice does not duplicate and merges with newer edits', () => {
    const a = workspaceA();
    const parsed = parsedOf(a.docs, 'ws-same-0000000000001');
    // Another device of the same workspace, which already has part of the data plus its own edits.
    const device = Object.fromEntries(REGISTERS.map((r) => [r, new Y.Doc()])) as WorkspaceDocs;
    Y.applyUpdate(device.people, Y.encodeStateAsUpdate(a.docs.people));
    createRecord(device.people, 'local', { name: 'Local Only', team: 'Dev', archived: false });
    const current = { workspaceId: 'ws-same-0000000000001', docs: device };
    expect(planRestore(parsed, current)).toMatchObject({ ok: true, value: { kind: 'merge' } });

    const first = applyBackup(parsed, current);
    expect(first.added.people).toBeUndefined();
    expect(first.added.checklists).toEqual({ records: 1, entries: 1 });
    expect(Object.keys(device.people.getMap('records').toJSON()).sort()).toHaveLength(3);
    const after = bytes(device);
    const again = applyBackup(parsed, current);
    expect(again).toEqual({ added: {}, changed: [] });
    expect(bytes(device)).toEqual(after);
    expect(device.checklists.getMap('entries').size).toBe(1);
    a.dispose();
  });

  it('refused restores leave every document byte-identical', () => {
    const a = workspaceA();
    const target = workspaceA(); // a non-empty, different workspace
    const before = bytes(target.docs);
    const other = parsedOf(a.docs, 'ws-other-000000000001');
    const r = planRestore(other, { workspaceId: 'ws-mine-0000000000001', docs: target.docs });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/another workspace .*Nothing was restored/);
    expect(() => applyBackup(other, { workspaceId: 'ws-mine-0000000000001', docs: target.docs })).toThrow();
    // Bad files never reach the documents: parsing fails first.
    const text = backupJson(buildBackup({ docs: a.docs, workspace: { id: 'ws-mine-0000000000001', orgName: 'Acme' }, createdAt: '2026-11-25T12:00:00Z' }));
    expect(parseBackup(text.slice(0, text.length - 200))).toEqual({ ok: false, error: MESSAGES.truncated });
    expect(parseBackup('hello')).toEqual({ ok: false, error: MESSAGES.notJson });
    expect(bytes(target.docs)).toEqual(before);
    a.dispose();
    target.dispose();
  });

  it('keeps the backup’s version of records a new workspace also starts with (default roles), whichever Yjs picks', () => {
    // Yjs settles a same-key conflict by client id, which is random: repeat to meet both orders.
    for (let i = 0; i < 8; i++) {
      const a = workspaceA();
      const parsed = parsedOf(a.docs, 'ws-roles-00000000000' + i);
      const docs = Object.fromEntries(REGISTERS.map((r) => [r, new Y.Doc()])) as WorkspaceDocs;
      createRecord(docs.settings, 'org', { name: 'New' });
      seedDefaultRoles(docs.roles);
      const current = { workspaceId: 'ws-fresh-00000000000' + i, docs };
      expect(isWorkspaceEmpty(docs)).toBe(true);
      expect(planRestore(parsed, current)).toMatchObject({ ok: true, value: { kind: 'fill' } });
      applyBackup(parsed, current);
      expect(docs.roles.getMap('records').toJSON()).toEqual(a.docs.roles.getMap('records').toJSON());
      const after = bytes(docs);
      expect(applyBackup(parsed, current)).toEqual({ added: {}, changed: [] });
      expect(bytes(docs)).toEqual(after);
      a.dispose();
    }
  });

  it('a workspace with edited default roles, or any record, is not empty', () => {
    const docs = Object.fromEntries(REGISTERS.map((r) => [r, new Y.Doc()])) as WorkspaceDocs;
    createRecord(docs.settings, 'org', { name: 'New' });
    seedDefaultRoles(docs.roles);
    expect(isWorkspaceEmpty(docs)).toBe(true);
    docs.roles.getMap<Y.Map<unknown>>('records').get('role-ceo')!.set('holder.p1', true);
    expect(isWorkspaceEmpty(docs)).toBe(false);
  });
});
