import { readFileSync } from 'node:fs';
import { ROLES, type Role } from '../src/domain/permissions.ts';
import { type AccessRow, accessRows, type RoleWrite, type RoomPolicy } from './policy.ts';

/**
 * Who may read and write each register's room, by the device's role in the signed member list (issue 18;
 * docs/RELAY.md "Room access by role"). The table is server/room-access.json, written from the registers'
 * descriptors (`npm run room-access`); this file only reads and checks it, and makes rows of server/policy.ts's
 * table of it. A malformed file stops the relay at start: a relay that cannot read its table must not guess.
 *
 *   { "registers": { "<register>": { "read": [roles], "write": { "<role>": "any" | "own-entries" }, "audience"?: "person" | "person-only" | "directory", "private"?: [fields] } } }
 *
 * `audience`: staff devices receive only their own person's records and entries of the room, and with "person"
 * also no one's; "directory" (People): every record, but of another person's not the `private` fields
 * (server/audience.ts).
 */

export const ROOM_ACCESS_FILE = new URL('./room-access.json', import.meta.url);

export type RoomAccessTable = Record<string, AccessRow>;

const REGISTER = /^[a-z][a-z0-9-]{0,31}$/;
const isRole = (v: unknown): v is Role => typeof v === 'string' && (ROLES as readonly string[]).includes(v);

/** The table in `json`, or throws naming what is wrong. */
export function parseRoomAccess(json: unknown): RoomAccessTable {
  const bad = (what: string) => new Error(`server/room-access.json: ${what}`);
  const registers = (json as { registers?: unknown } | null)?.registers;
  if (typeof registers !== 'object' || registers === null || Array.isArray(registers)) throw bad('no "registers" object');
  const out: RoomAccessTable = {};
  for (const [register, row] of Object.entries(registers as Record<string, unknown>)) {
    if (!REGISTER.test(register)) throw bad(`"${register}" is not a register name`);
    const { read, write, audience, private: hidden } = (row ?? {}) as { read?: unknown; write?: unknown; audience?: unknown; private?: unknown };
    if (audience !== undefined && audience !== 'person' && audience !== 'person-only' && audience !== 'directory') throw bad(`${register}.audience must be "person", "person-only", "directory" or absent`);
    if (hidden !== undefined && (audience !== 'directory' || !Array.isArray(hidden) || !hidden.every((f) => typeof f === 'string' && f !== ''))) throw bad(`${register}.private must list field names, with "audience": "directory"`);
    if (!Array.isArray(read) || !read.every(isRole)) throw bad(`${register}.read must list roles`);
    if (typeof write !== 'object' || write === null || Array.isArray(write)) throw bad(`${register}.write must be an object`);
    const rights: Partial<Record<Role, RoleWrite>> = {};
    for (const [role, right] of Object.entries(write)) {
      if (!isRole(role)) throw bad(`${register}.write names "${role}", not a role`);
      if (right !== 'any' && right !== 'own-entries') throw bad(`${register}.write.${role} must be "any" or "own-entries"`);
      if (!read.includes(role)) throw bad(`${register}.write.${role}: a role that may write must be able to read`);
      rights[role] = right;
    }
    out[register] = { read: [...read], write: rights, ...(audience !== undefined ? { audience } : {}), ...(hidden ? { private: [...(hidden as string[])] } : {}) };
  }
  return out;
}

export function loadRoomAccess(file: URL | string = ROOM_ACCESS_FILE): RoomAccessTable {
  return parseRoomAccess(JSON.parse(readFileSync(file, 'utf8')));
}

/** The policy rows of the table: server/relay.ts adds its other rows (speak-up) to them. */
export const roomAccessRows = (table: RoomAccessTable = loadRoomAccess()): Record<string, RoomPolicy> => accessRows(table);
