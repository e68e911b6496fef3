import { render } from 'solid-js/web';
import { describe, expect, it } from 'vitest';
import { EVERYONE } from '../domain/gaps';
import type { Policy, Publication } from '../registers/policies/model';
import type { SecurityRole } from '../registers/roles/model';
import type { RegisterDescriptor } from './register';
import type { Session } from './session';
import { contributions, slotPanels } from './slots';

const role = { id: 'r1', name: 'Data protection lead' } as SecurityRole;
const panel = (text: string) => async () => ({ default: (p: { role: SecurityRole }) => <p data-testid="panel">{text} {p.role.name}</p> });
const descriptor = (name: string, contributes?: RegisterDescriptor['contributes']): RegisterDescriptor => ({ name, label: name, ...(contributes ? { contributes } : {}) });

describe('slots', () => {
  it('the real registers fill the policy and role detail slots, each once', () => {
    expect(contributions('policy-detail')).toHaveLength(1);
    expect(contributions('policy-rate')).toHaveLength(1);
    expect(contributions('role-detail')).toHaveLength(1);
  });

  it('the rate acknowledgements contributes counts current acknowledgements over the people this device sees', () => {
    const [rater] = contributions('policy-rate');
    const people = [{ id: 'p1', name: 'Ann', team: 'Ops', archived: false }, { id: 'p2', name: 'Bo', team: 'Ops', archived: false }];
    const policy: Policy = { id: 'pol', title: 'Passwords', ownerId: '', audience: EVERYONE, nextReviewDate: '', archived: false, createdAt: '2026-01-01T00:00:00.000Z', createdBy: 'd' };
    const pub = { id: 'v1', kind: 'publication', policyId: 'pol', version: '1.0', text: 'x', textSha256: 'abc', approvedBy: 'Mia', approvedOn: '2026-01-01', publishedAt: '2026-01-01T00:00:00.000Z', byName: 'Mia', deviceId: 'd' } satisfies Publication;
    const ack = { id: 'a1', kind: 'acknowledgement', personId: 'p1', policyId: 'pol', version: '1.0', textSha256: 'abc', typedName: 'Ann', at: '2026-01-02T00:00:00.000Z', deviceId: 'd' };
    // Only what the rate reads of the session.
    const s = { access: { visiblePeople: () => people }, policies: { publications: () => [pub] }, acknowledgements: { all: () => [ack] }, roles: { byPerson: () => new Map() } };
    expect(rater!(s as unknown as Session)(policy)).toMatchObject({ done: 1, total: 2 });
    expect(rater!({ ...s, access: { visiblePeople: () => people.slice(1) } } as unknown as Session)(policy)).toMatchObject({ done: 0, total: 1 });
  });

  it('shows what each register contributes, in the order of their names, and nothing for a register without', async () => {
    const from = [descriptor('zeta', { 'role-detail': panel('Z') }), descriptor('alpha', { 'role-detail': panel('A') }), descriptor('plain')];
    const sorted = [...from].sort((a, b) => a.name.localeCompare(b.name));
    const Panels = slotPanels('role-detail', sorted);
    const el = document.createElement('div');
    const dispose = render(() => <section><h2>Before</h2><Panels role={role} /><h2>After</h2></section>, el);
    // The rest of the screen does not wait for the panels.
    expect(el.textContent).toBe('BeforeAfter');
    await new Promise((r) => setTimeout(r, 10));
    expect([...el.querySelectorAll('[data-testid=panel]')].map((p) => p.textContent)).toEqual(['A Data protection lead', 'Z Data protection lead']);
    expect(el.textContent).toBe('BeforeA Data protection leadZ Data protection leadAfter');
    dispose();
  });

  it('renders nothing when no register fills the slot', async () => {
    const Panels = slotPanels('role-detail', [descriptor('plain')]);
    const el = document.createElement('div');
    const dispose = render(() => <Panels role={role} />, el);
    await new Promise((r) => setTimeout(r, 10));
    expect(el.innerHTML).toBe('');
    dispose();
  });
});
