import { expect, test } from 'vitest';
import * as Y from 'yjs';
import { createRecord, readFields } from '../store/records';
import { type Attachment, attach, attachmentField, attachmentsOf, detach } from './record';

const h = (c: string) => c.repeat(64);
const photo = (over: Partial<Attachment> = {}): Attachment => ({
  hash: h('a'),
  name: 'whiteboard.jpg',
  type: 'image/jpeg',
  size: 345_678,
  addedBy: 'Ana Silva',
  addedAt: '2026-11-25T09:15:00.000Z',
  deviceId: 'dev-1',
  ...over,
});

function briefingDoc() {
  const doc = new Y.Doc();
  createRecord(doc, 'b1', { date: '2026-11-25', team: 'Ops' });
  return doc;
}

test('attach writes one field per attachment; attachmentsOf reads them back, oldest first', () => {
  const doc = briefingDoc();
  expect(attach(doc, 'b1', photo())).toBeUndefined();
  expect(attach(doc, 'b1', photo({ hash: h('b'), name: 'contract.pdf', type: 'application/pdf', size: 1000, addedAt: '2026-11-25T08:00:00.000Z' }))).toBeUndefined();
  const fields = readFields(doc, 'b1')!;
  expect(fields[attachmentField(h('a'))]).toEqual({ name: 'whiteboard.jpg', type: 'image/jpeg', size: 345_678, addedBy: 'Ana Silva', addedAt: '2026-11-25T09:15:00.000Z', deviceId: 'dev-1' });
  expect(attachmentsOf(fields).map((a) => [a.hash, a.name])).toEqual([
    [h('b'), 'contract.pdf'],
    [h('a'), 'whiteboard.jpg'],
  ]);
  // The rest of the record is untouched.
  expect(fields['team']).toBe('Ops');
});

test('bad input writes nothing and says why', () => {
  const doc = briefingDoc();
  const before = Y.encodeStateAsUpdate(doc);
  const cases: Array<[Partial<Attachment>, RegExp]> = [
    [{ hash: 'abc' }, /SHA-256/],
    [{ hash: h('A') }, /SHA-256/],
    [{ type: 'text/html' }, /Only photos/],
    [{ size: 0 }, /empty/],
    [{ size: 6 * 1024 * 1024 }, /5 MB/],
    [{ name: '  ' }, /name/],
    [{ addedBy: '' }, /Enter your name in Settings/],
    [{ addedAt: 'yesterday' }, /time/],
  ];
  for (const [over, message] of cases) expect(attach(doc, 'b1', photo(over)), JSON.stringify(over)).toMatch(message);
  expect(attach(doc, 'nope', photo())).toBe('That record is not on this device.');
  expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
});

test('two devices attaching different files offline both keep theirs; the same file twice is one attachment', () => {
  const a = briefingDoc();
  const b = new Y.Doc();
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
  attach(a, 'b1', photo({ hash: h('1'), name: 'left.jpg' }));
  attach(b, 'b1', photo({ hash: h('2'), name: 'right.jpg', addedBy: 'Ben' }));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
  for (const doc of [a, b]) expect(attachmentsOf(readFields(doc, 'b1')).map((x) => x.name).sort()).toEqual(['left.jpg', 'right.jpg']);

  const sv = Y.encodeStateVector(a);
  expect(attach(a, 'b1', photo({ hash: h('1'), name: 'again.jpg' }))).toBeUndefined();
  // Nothing written the second time.
  expect(Y.encodeStateAsUpdate(a, sv).length).toBeLessThan(4);
  expect(attachmentsOf(readFields(a, 'b1')).find((x) => x.hash === h('1'))?.name).toBe('left.jpg');
});

test('detach marks an attachment removed (the field stays); attaching it again brings it back', () => {
  const doc = briefingDoc();
  attach(doc, 'b1', photo());
  expect(detach(doc, 'b1', h('a'), 'Ben', '2026-11-26T10:00:00.000Z')).toBeUndefined();
  expect(attachmentsOf(readFields(doc, 'b1'))).toEqual([]);
  expect(attachmentsOf(readFields(doc, 'b1'), { includeRemoved: true })).toEqual([{ ...photo(), removed: true, removedBy: 'Ben', removedAt: '2026-11-26T10:00:00.000Z' }]);
  expect(detach(doc, 'b1', h('f'), 'Ben')).toBe('That file is not attached to this record.');
  expect(detach(doc, 'b1', h('a'), ' ')).toMatch(/Enter your name/);
  attach(doc, 'b1', photo({ addedBy: 'Cleo' }));
  expect(attachmentsOf(readFields(doc, 'b1')).map((a) => [a.addedBy, a.removed])).toEqual([['Cleo', undefined]]);
});

test('attachmentsOf ignores other fields and malformed values', () => {
  expect(
    attachmentsOf({
      team: 'Ops',
      'attendee.p1': true,
      [attachmentField('xyz')]: { type: 'image/jpeg', size: 1 },
      [attachmentField(h('c'))]: 'not an object',
      [attachmentField(h('d'))]: { name: 'n.pdf', size: 'big' },
      [attachmentField(h('e'))]: { name: 'ok.pdf', type: 'application/pdf', size: 10, addedBy: 'A', addedAt: '2026-01-01T00:00:00.000Z' },
    }).map((a) => a.name),
  ).toEqual(['ok.pdf']);
  expect(attachmentsOf(undefined)).toEqual([]);
});

test('a part of a record (a checklist item) has its own attachments; the evidence pack sees every scope', () => {
  const doc = new Y.Doc();
  createRecord(doc, 'c1', { team: 'Ops' });
  expect(attach(doc, 'c1', photo({ name: 'desk.jpg' }), 'item.lead.')).toBeUndefined();
  expect(Object.keys(readFields(doc, 'c1')!)).toContain(`item.lead.${attachmentField(h('a'))}`);
  expect(attachmentsOf(readFields(doc, 'c1'), { scope: '' })).toEqual([]);
  expect(attachmentsOf(readFields(doc, 'c1'), { scope: 'item.lead.' }).map((a) => a.name)).toEqual(['desk.jpg']);
  expect(attachmentsOf(readFields(doc, 'c1'), { scope: 'item.brief.' })).toEqual([]);
  expect(attachmentsOf(readFields(doc, 'c1')).map((a) => a.hash)).toEqual([h('a')]);
  expect(detach(doc, 'c1', h('a'), 'Mia', undefined, 'item.lead.')).toBeUndefined();
  expect(attachmentsOf(readFields(doc, 'c1'), { scope: 'item.lead.' })).toEqual([]);
});
