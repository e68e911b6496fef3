import type { Role } from '../domain/permissions';
import type { RegisterName } from '../store/registers';
import { DESCRIPTORS } from './descriptors';

/**
 * What `role` may do with a register's relay room (issue 18): 'none' (closed to it), 'read' or 'write', from its
 * descriptor's `document.access` (read: every role; write: owners). The relay holds devices to the same table,
 * server/room-access.json (written from the descriptors: `npm run room-access`). Off Home's path: the signed
 * member list applies it once it has verified this device's role (src/registers/members/signed.ts).
 */
export function roomRight(register: RegisterName, role: Role): 'none' | 'read' | 'write' {
  const a = DESCRIPTORS.find((d) => d.document?.name === register)?.document!.access;
  return a?.read && !a.read.includes(role) ? 'none' : (a?.write ?? { owner: 'any' })[role] ? 'write' : 'read';
}
