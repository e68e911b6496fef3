import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { ROLES } from '../domain/permissions';
import { DESCRIPTORS } from './registry';
import { roomRight } from './room-rights';

/*
 * The relay cannot import the descriptors (they bring screens with them), so it reads their room access from
 * server/room-access.json (issue 18). This test is what keeps the two one: it fails when they differ, and
 * `npm run room-access` (this test with ROOM_ACCESS_WRITE=1) writes the file from the descriptors.
 */
/** The descriptors' room access with its defaults (src/ui/register.ts RoomAccess). */
const ROOM_ACCESS = Object.fromEntries(
  DESCRIPTORS.filter((d) => d.document).map((d) => [d.document!.name, { read: d.document!.access?.read ?? ROLES, write: d.document!.access?.write ?? { owner: 'any' }, ...(d.document!.access?.audience ? { audience: d.document!.access.audience } : {}), ...(d.document!.access?.private ? { private: d.document!.access.private } : {}) }]),
);
const file = fileURLToPath(new URL('../../server/room-access.json', import.meta.url));

test('server/room-access.json is what the registers declare (npm run room-access writes it)', () => {
  const stored = JSON.parse(readFileSync(file, 'utf8')) as { about: string; registers: unknown };
  const registers = Object.fromEntries(Object.keys(ROOM_ACCESS).sort().map((name) => [name, ROOM_ACCESS[name]!]));
  if (process.env['ROOM_ACCESS_WRITE'] === '1') {
    const rows = Object.entries(registers).map(([name, row]) => `    ${JSON.stringify(name)}: ${JSON.stringify(row).replace(/,/g, ', ').replace(/:/g, ': ').replace(/\{/g, '{ ').replace(/\}/g, ' }')}`);
    writeFileSync(file, `{\n  "about": ${JSON.stringify(stored.about)},\n  "registers": {\n${rows.join(',\n')}\n  }\n}\n`);
  }
  expect(JSON.parse(readFileSync(file, 'utf8')).registers, 'server/room-access.json is out of date: run npm run room-access').toEqual(registers);
});

test('staff read neither checklists nor briefings, only owners read reviews; every role reads the signed member list', () => {
  expect(roomRight('checklists', 'staff')).toBe('none');
  expect(roomRight('briefings', 'staff')).toBe('none');
  expect(roomRight('checklists', 'manager')).toBe('write');
  expect(roomRight('reviews', 'manager')).toBe('none');
  expect(roomRight('policies', 'staff')).toBe('read');
  expect(roomRight('acknowledgements', 'staff')).toBe('write');
  for (const role of ['owner', 'manager', 'staff'] as const) expect(roomRight('members', role)).toBe('write');
});
