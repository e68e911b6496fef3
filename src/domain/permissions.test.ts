import { SECTION_RULES } from '../app/sections';
import { describe, expect, it } from 'vitest';
import { can, effectiveRole, invitableRoles, NO_TEAM, teamRefusal, visiblePeople, visibleTeams, why } from './permissions';

const person = (id: string, team: string, managerId = '') => ({ id, name: id, team, managerId });
const ada = person('ada', 'Ops');
const ben = person('ben', 'Ops');
const cy = person('cy', 'Sales', 'ada');
const dee = person('dee', 'Sales');
const eve = person('eve', '');
const PEOPLE = [ada, ben, cy, dee, eve];

describe('sections', () => {
  it('staff open Home, My policies, Training, Speak up, Settings; not People, Checklists or owner-only registers', () => {
    for (const s of ['home', 'my-policies', 'training', 'speakup', 'settings', 'more']) expect(can('staff', `open:${s}`, SECTION_RULES), s).toBe(true);
    for (const s of ['people', 'checklists', 'briefings', 'policies', 'members', 'agreements', 'reviews', 'export', 'roles', 'due'])
      expect(can('staff', `open:${s}`, SECTION_RULES), s).toBe(false);
  });
  it('managers add their teams’ registers; owners open everything, including sections no table names', () => {
    for (const s of ['checklists', 'briefings', 'people', 'training', 'policies', 'members']) expect(can('manager', `open:${s}`, SECTION_RULES), s).toBe(true);
    for (const s of ['agreements', 'reviews', 'resources', 'export', 'competency', 'roles', 'due', 'a-new-section']) expect(can('manager', `open:${s}`, SECTION_RULES), s).toBe(false);
    for (const s of ['agreements', 'members', 'a-new-section']) expect(can('owner', `open:${s}`, SECTION_RULES), s).toBe(true);
  });
  it('says why, naming who may and what this device is; nothing when allowed', () => {
    expect(why('staff', 'open:people', SECTION_RULES)).toBe('Only owners and managers can open People. This device has a member of staff’s access. Your own record shows in Home, My policies and Training.');
    expect(why('manager', 'open:agreements', SECTION_RULES)).toBe('Only an owner can open Agreements. This device has a manager’s access. Ask an owner if you need it.');
    expect(why('staff', 'open:checklists', SECTION_RULES)).toBe('Only owners and managers can open Checklists. This device has a member of staff’s access. Ask an owner if you need it.');
    expect(why('owner', 'open:agreements', SECTION_RULES)).toBeUndefined();
    expect(why('manager', 'open:people', SECTION_RULES)).toBeUndefined();
  });
});

describe('actions', () => {
  it('only owners manage members and hand out the plain link', () => {
    expect([can('owner', 'manage-members'), can('manager', 'manage-members'), can('staff', 'manage-members')]).toEqual([true, false, false]);
    expect([can('owner', 'add-device'), can('manager', 'add-device'), can('staff', 'add-device')]).toEqual([true, false, false]);
    expect(why('manager', 'manage-members')).toBe('Only an owner can change roles or remove devices. This device has a manager’s access.');
  });
  it('managers invite staff only; owners any role; staff nobody', () => {
    expect(invitableRoles('owner')).toEqual(['owner', 'manager', 'staff']);
    expect(invitableRoles('manager')).toEqual(['staff']);
    expect(invitableRoles('staff')).toEqual([]);
    expect(why('manager', 'invite:owner')).toMatch(/^Only an owner can invite someone as an owner\./);
    expect(why('staff', 'invite:staff')).toBe('Only owners and managers can invite people. This device has a member of staff’s access.');
  });
  it('explains the people filter per role', () => {
    expect(why('staff', 'see-everyone')).toMatch(/only your own records/);
    expect(why('manager', 'see-everyone')).toMatch(/your team and those who report to you/);
    expect(why('owner', 'see-everyone')).toBeUndefined();
  });
});

describe('visiblePeople', () => {
  it('owners see everyone', () => {
    expect(visiblePeople('owner', undefined, PEOPLE).map((p) => p.id)).toEqual(['ada', 'ben', 'cy', 'dee', 'eve']);
  });
  it('managers see their team and their direct reports in other teams', () => {
    expect(visiblePeople('manager', ada, PEOPLE).map((p) => p.id)).toEqual(['ada', 'ben', 'cy']);
    expect(visiblePeople('manager', dee, PEOPLE).map((p) => p.id)).toEqual(['cy', 'dee']);
  });
  it('a manager without a team sees only themselves and their reports; without a person, nobody', () => {
    expect(visiblePeople('manager', eve, PEOPLE).map((p) => p.id)).toEqual(['eve']);
    expect(visiblePeople('manager', undefined, PEOPLE)).toEqual([]);
  });
  it('staff see only themselves; a device not linked to a person sees nobody', () => {
    expect(visiblePeople('staff', ben, PEOPLE)).toEqual([ben]);
    expect(visiblePeople('staff', undefined, PEOPLE)).toEqual([]);
  });
});

describe('effectiveRole', () => {
  it('an invite not yet seen means staff, even in a workspace with no owner', () => {
    expect(effectiveRole({ ownRole: 'owner', hasOwner: false, awaitingInvite: true })).toBe('staff');
  });
  it('no active owner: everyone acts as owner (bootstrap)', () => {
    expect(effectiveRole({ ownRole: 'staff', hasOwner: false, awaitingInvite: false })).toBe('owner');
  });
  it('otherwise the device’s own role, staff when it has none yet', () => {
    expect(effectiveRole({ ownRole: 'manager', hasOwner: true, awaitingInvite: false })).toBe('manager');
    expect(effectiveRole({ hasOwner: true, awaitingInvite: false })).toBe('staff');
  });
});

describe('visibleTeams', () => {
  const people = [
    { id: 'm', team: 'Ops' },
    { id: 's', team: 'Ops' },
    { id: 'r', team: 'Sales', managerId: 'm' },
    { id: 'x', team: 'Finance' },
  ];
  it('owners see every team, managers their own and their reports’, staff none without a person', () => {
    expect(visibleTeams('owner', people[0], people)).toBeUndefined();
    expect([...visibleTeams('manager', people[0], people)!].sort()).toEqual(['Ops', 'Sales']);
    expect([...visibleTeams('manager', undefined, people)!]).toEqual([]);
    expect([...visibleTeams('staff', people[1], people)!]).toEqual(['Ops']);
  });
});

describe('teams a device may choose', () => {
  const all = ['Ops', 'Sales'];
  it('accepts an offered team or none; refuses another team with a sentence naming the manager’s own', () => {
    expect(teamRefusal('manager', 'Ops', ['Ops'], all)).toBeUndefined();
    expect(teamRefusal('manager', '', ['Ops'], all)).toBeUndefined();
    expect(teamRefusal('manager', 'Sales', ['Ops'], all)).toBe('You manage Ops, not Sales: choose one of your teams. Only a manager of Sales or an owner can choose it.');
    expect(teamRefusal('manager', 'Sales', ['Ops', 'Support', 'HR'], all)).toMatch(/^Your teams are Ops, Support and HR, not Sales/);
    expect(teamRefusal('manager', 'Sales', [], all)).toBe(`${NO_TEAM} You cannot choose Sales.`);
  });
  it('refuses a team nobody is in, for owners too', () => {
    expect(teamRefusal('owner', 'Sales', all, all)).toBeUndefined();
    expect(teamRefusal('owner', 'Nope', all, all)).toBe('There is no team called Nope in People. Choose a team from the list.');
    expect(teamRefusal('manager', 'Nope', ['Ops'], all)).toBe('There is no team called Nope in People. Choose a team from the list.');
  });
});
