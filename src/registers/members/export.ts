import type { CsvTable } from '../../evidence/csv';
import { type Invite, INVITE_STATE_LABELS, inviteState, type Member, ROLE_LABELS } from './model';

/** Devices and invites in one table: who holds access, who was invited, who was removed. No keys or secrets. */
export function membersCsv(members: readonly Member[], invites: readonly Invite[], nameOf: (personId: string) => string, stamp: string): CsvTable {
  const deviceName = (id: string) => members.find((m) => m.deviceId === id)?.name ?? '';
  return {
    name: `muster-members-${stamp}`,
    columns: ['Kind', 'Name', 'Person', 'Role', 'Status', 'Joined or created', 'Last seen', 'Removed or revoked', 'Used by', 'Id'],
    rows: [
      ...members.map((m) => [
        'Device', m.name, m.personId ? nameOf(m.personId) : '', ROLE_LABELS[m.role], m.removed ? 'Removed' : 'Active', m.joinedAt, m.lastSeen ?? '', m.removedAt ?? '', '', m.deviceId,
      ]),
      ...invites.map((i) => [
        'Invite', i.name, i.personId ? nameOf(i.personId) : '', ROLE_LABELS[i.role], INVITE_STATE_LABELS[inviteState(i)], i.createdAt, '', i.revokedAt ?? '',
        i.uses.map((u) => deviceName(u.deviceId) || u.deviceId).join('; '), i.id,
      ]),
    ],
  };
}
