import { createRoot, createSignal } from 'solid-js';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { EVERYONE } from '../../domain/gaps';
import { createAgreementStore } from '../agreements/store';
import { createBriefingStore } from '../briefings/store';
import { createChecklistStore } from '../checklists/store';
import { createMemberStore } from '../members/store';
import { STANDARD_ITEMS } from '../checklists/model';
import { createPeopleStore } from '../people/store';
import { createPolicyStore } from '../policies/store';
import { createReviewStore } from '../reviews/store';
import { createRoleStore } from '../roles/store';
import { createTrainingStore } from '../training/store';
import { applyBadge, type BadgeNavigator, createBadgeSync, createDueBadge } from './badge';
import { liveReviewInput as managementReviewInput } from '../reviews/due';
import { register as reviews } from '../reviews/register';
import { createDue, type DueSession } from './collect';

const mia = { name: 'Mia Manager', deviceId: 'device-a' };

/** A navigator with the Badging API that records what it was asked to show. */
function fakeNavigator() {
  const calls: Array<number | 'clear'> = [];
  const nav: BadgeNavigator = {
    setAppBadge: async (n?: number) => void calls.push(n ?? 0),
    clearAppBadge: async () => void calls.push('clear'),
  };
  return { nav, calls };
}

function session(): DueSession {
  return {
    people: createPeopleStore(new Y.Doc()),
    checklists: createChecklistStore(new Y.Doc()),
    policies: createPolicyStore(new Y.Doc()),
    training: createTrainingStore(new Y.Doc()),
    roles: createRoleStore(new Y.Doc()),
    agreements: createAgreementStore(new Y.Doc()),
    reviews: createReviewStore(new Y.Doc()),
    briefings: createBriefingStore(new Y.Doc()),
    members: createMemberStore(new Y.Doc()),
  };
}

const person = (name: string, team: string) => ({ name, email: '', team, jobTitle: '', startDate: '', managerId: '' });

describe('the app badge', () => {
  // Reviews' part of Due loads with its store, after Home (src/registers/reviews/register.ts), as the session does.
  beforeAll(async () => {
    for (const e of reviews.stores ?? []) if (e.when === 'later') await e.load();
  });
  beforeEach(() => {
    // 10 November 2026, noon local time: this month's checklists are due in 20 days ("this month").
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date(2026, 10, 10, 12, 0));
  });
  afterEach(() => vi.useRealTimers());

  it('shows overdue + this week, and follows the registers as they change', () => {
    const s = createRoot(() => session());
    const { nav, calls } = fakeNavigator();
    // Effects run once the root is set up, as in the shell.
    const { count, dispose } = createRoot((d) => ({ count: createDueBadge(s, nav), dispose: d }));
    // No management review on record: the first is due today.
    expect(count()).toBe(1);
    expect(calls).toEqual([1]);

    // Teams' checklists are due on 30 November: not this week, so no change.
    s.people.add(person('Mia Manager', 'Ops'));
    s.people.add(person('Lee Sales', 'Sales'));
    expect(count()).toBe(1);
    expect(calls).toEqual([1]);

    // A policy whose review date has passed: overdue.
    const p = s.policies.create({ title: 'Acceptable use', ownerId: s.people.all()[0]!.id, audience: EVERYONE, nextReviewDate: '2026-11-01' }, mia);
    expect(p.ok).toBe(true);
    expect(count()).toBe(2);
    expect(calls).toEqual([1, 2]);

    // A management review held in September: the next is due in December, not this week.
    const r = s.reviews.create({ date: '2026-09-15', periodFrom: '2026-04-01', periodTo: '2026-06-30', chairId: s.people.all()[0]!.id }, mia);
    expect(r.ok).toBe(true);
    expect(managementReviewInput(s, '2026-11-10')).toEqual({ lastReviewDate: '2026-09-15' });
    expect(count()).toBe(1);
    expect(calls).toEqual([1, 2, 1]);
    dispose();
    // Stopped with the shell: later changes leave the badge alone.
    s.policies.create({ title: 'Clear desk', ownerId: s.people.all()[0]!.id, audience: EVERYONE, nextReviewDate: '2026-10-01' }, mia);
    expect(calls).toEqual([1, 2, 1]);
  });

  it('clears the badge at zero and only calls the API when the number changes', () => {
    const { nav, calls } = fakeNavigator();
    const [n, setN] = createSignal(3);
    const dispose = createRoot((d) => {
      createBadgeSync(n, nav);
      return d;
    });
    setN(3);
    setN(0);
    setN(2);
    expect(calls).toEqual([3, 'clear', 2]);
    dispose();
  });

  it('does nothing where the browser has no Badging API, and ignores a refusal', async () => {
    await createRoot(async (dispose) => {
      const s = session();
      expect(createDueBadge(s, {})()).toBe(0);
      expect(createDueBadge(s, undefined)()).toBe(0);
      const refusing: BadgeNavigator = { setAppBadge: () => Promise.reject(new DOMException('no', 'NotAllowedError')), clearAppBadge: () => Promise.resolve() };
      await expect(applyBadge(refusing, 4)).resolves.toBeUndefined();
      dispose();
    });
  });

  it('a checklist sign-off marks this month’s duty done at once, pointing at that checklist', () =>
    createRoot((dispose) => {
      const s = session();
      s.people.add(person('Mia Manager', 'Ops'));
      const duties = createDue(s, () => '2026-11-10');
      expect(duties().find((d) => d.id === 'checklist:Ops:2026-11')?.status).toBe('this-month');
      const c = s.checklists.create({ team: 'Ops', month: '2026-11' }, STANDARD_ITEMS, mia);
      if (!c.ok) throw new Error('not created');
      for (const i of STANDARD_ITEMS) s.checklists.setItem(c.value.id, i.key, 'status', 'done');
      expect(s.checklists.signOff(s.checklists.byId().get(c.value.id)!, mia, '')).toBeUndefined();
      expect(duties().find((d) => d.id === 'checklist:Ops:2026-11')).toMatchObject({ status: 'done', href: `#/checklists/${c.value.id}` });
      dispose();
    }));
});
