import type { Audience } from './gaps';

/*
 * How an Audience is stored in a record: `everyone`, plus one boolean field per
 * team (`team.<name>`) and per security role (`role.<id>`), so that two devices
 * adding different teams both keep theirs. A member taken out is set to false,
 * never removed, so a concurrent addition elsewhere survives.
 */
export const teamField = (team: string) => `team.${team}`;
export const roleField = (roleId: string) => `role.${roleId}`;

const isMemberField = (k: string) => k.startsWith('team.') || k.startsWith('role.');

/** Fields to write for `a`; with `before` (the stored fields), members no longer chosen become false. */
export function audienceFields(a: Audience, before: Record<string, unknown> = {}): Record<string, boolean> {
  const fields: Record<string, boolean> = { everyone: a.everyone };
  for (const [k, val] of Object.entries(before)) if (isMemberField(k) && val === true) fields[k] = false;
  for (const t of a.teams) fields[teamField(t)] = true;
  for (const r of a.roles) fields[roleField(r)] = true;
  return fields;
}

export function audienceFromFields(f: Record<string, unknown>): Audience {
  const teams: string[] = [];
  const roles: string[] = [];
  for (const [k, val] of Object.entries(f)) {
    if (val !== true) continue;
    if (k.startsWith('team.')) teams.push(k.slice('team.'.length));
    else if (k.startsWith('role.')) roles.push(k.slice('role.'.length));
  }
  teams.sort((a, b) => a.localeCompare(b));
  roles.sort();
  return { everyone: f['everyone'] === true, teams, roles };
}
