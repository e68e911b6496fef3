import { createRoot } from 'solid-js';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { EVERYONE } from '../../domain/gaps';
import { entriesOf } from '../../store/records';
import { ackStatus } from '../acknowledgements/model';
import { createAcknowledgementStore } from '../acknowledgements/store';
import type { Person } from '../people/model';
import { createPolicyStore } from './store';

const mia = { name: 'Mia Manager', deviceId: 'device-a' };
const samPhone = { name: 'Sam', deviceId: 'device-b' };
const sam: Person = { id: 'sam', name: 'Sam Staff', email: '', team: 'Ops', jobTitle: '', startDate: '', managerId: '', archived: false };
const TODAY = '2026-11-25';
const V1 = 'Lock your screen.\nReport incidents.';
const V2 = 'Lock your screen.\nReport incidents within one hour.';

function device() {
  const policiesDoc = new Y.Doc();
  const acksDoc = new Y.Doc();
  return { policiesDoc, acksDoc, policies: createPolicyStore(policiesDoc), acks: createAcknowledgementStore(acksDoc) };
}
type Device = ReturnType<typeof device>;

/** Two devices' stores, created under a Solid root (their memos are disposed with it). */
const devices = () => createRoot((dispose) => ({ a: device(), b: device(), dispose }));

/** Exchanges both documents' updates between two devices, as the relay would. */
function sync(a: Device, b: Device) {
  for (const [x, y] of [[a.policiesDoc, b.policiesDoc], [a.acksDoc, b.acksDoc]] as const) {
    Y.applyUpdate(y, Y.encodeStateAsUpdate(x, Y.encodeStateVector(y)));
    Y.applyUpdate(x, Y.encodeStateAsUpdate(y, Y.encodeStateVector(x)));
  }
}

const created = <T,>(r: { ok: true; value: T } | { ok: false; errors: Partial<Record<string, string>> }): T => {
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
};

describe('policy and acknowledgement stores', () => {
  it('an acknowledgement made offline on device B goes stale when A publishes v2, after merging', async () => {
    const { a, b, dispose } = devices();
    const policy = created(a.policies.create({ title: 'Acceptable use', ownerId: 'mia', audience: EVERYONE, nextReviewDate: '2027-11-01' }, mia));
    const v1 = created(await a.policies.publish(policy.id, { version: '1.0', text: V1, approvedBy: 'Cleo CEO', approvedOn: TODAY }, mia, TODAY));
    expect(v1.textSha256).toMatch(/^[0-9a-f]{64}$/);
    sync(a, b);

    // B is offline: reads v1 and acknowledges.
    const onB = b.policies.current(policy.id)!;
    expect(onB.version).toBe('1.0');
    const ack = created(await b.acks.acknowledge({ person: sam, policy: b.policies.byId().get(policy.id)!, publication: onB, shownText: onB.text, typedName: 'sam staff' }, samPhone));
    expect(ack).toMatchObject({ kind: 'acknowledgement', personId: 'sam', policyId: policy.id, version: '1.0', textSha256: v1.textSha256, typedName: 'sam staff', deviceId: 'device-b', byName: 'Sam' });
    expect(ackStatus(sam, policy, b.policies.current(policy.id), b.acks.all(), [])).toBe('current');

    // Meanwhile A publishes v2.
    const v2 = created(await a.policies.publish(policy.id, { version: '2.0', text: V2, approvedBy: 'Cleo CEO', approvedOn: TODAY }, mia, TODAY));
    expect(v2.textSha256).not.toBe(v1.textSha256);
    expect(ackStatus(sam, policy, a.policies.current(policy.id), a.acks.all(), [])).toBe('missing');

    sync(a, b);
    for (const d of [a, b]) {
      expect(d.policies.versionsOf(policy.id).map((p) => p.version)).toEqual(['1.0', '2.0']);
      expect(d.policies.current(policy.id)?.version).toBe('2.0');
      expect(d.acks.all()).toEqual([ack]);
      expect(ackStatus(sam, policy, d.policies.current(policy.id), d.acks.all(), [])).toBe('stale');
    }
    dispose();
  });

  it('acknowledgements are append-only: later acknowledgements and versions never change earlier ones', async () => {
    const { a, dispose } = devices();
    const policy = created(a.policies.create({ title: 'Acceptable use', ownerId: 'mia', audience: EVERYONE, nextReviewDate: '2027-11-01' }, mia));
    const v1 = created(await a.policies.publish(policy.id, { version: '1.0', text: V1, approvedBy: 'Cleo', approvedOn: TODAY }, mia, TODAY));
    const first = created(await a.acks.acknowledge({ person: sam, policy, publication: v1, shownText: V1, typedName: 'Sam Staff' }, mia));
    const stored = JSON.stringify(entriesOf(a.acksDoc).get(first.id));

    // The same version again is refused, and writes nothing.
    const before = Y.encodeStateAsUpdate(a.acksDoc);
    const again = await a.acks.acknowledge({ person: sam, policy, publication: v1, shownText: V1, typedName: 'Sam Staff' }, mia);
    expect(again.ok ? '' : again.errors['_']).toBe('Sam Staff has already acknowledged version 1.0.');
    expect(Y.encodeStateAsUpdate(a.acksDoc)).toEqual(before);

    const v2 = created(await a.policies.publish(policy.id, { version: '2.0', text: V2, approvedBy: 'Cleo', approvedOn: TODAY }, mia, TODAY));
    const second = created(await a.acks.acknowledge({ person: sam, policy, publication: v2, shownText: V2, typedName: 'Sam Staff' }, mia));
    expect(a.acks.all().map((x) => x.id)).toEqual([first.id, second.id]);
    expect(JSON.stringify(entriesOf(a.acksDoc).get(first.id))).toBe(stored);
    expect(entriesOf(a.acksDoc).size).toBe(2);
    // v1 is still there, unchanged, as history.
    expect(a.policies.versionsOf(policy.id)[0]).toEqual(v1);
    dispose();
  });

  it('refuses bad input and stores nothing', async () => {
    const { a, dispose } = devices();
    const none = a.policies.create({ title: '', ownerId: '', audience: { everyone: false, teams: [], roles: [] }, nextReviewDate: '' }, mia);
    expect(none.ok).toBe(false);
    expect(a.policies.all()).toHaveLength(0);

    const policy = created(a.policies.create({ title: 'Acceptable use', ownerId: 'mia', audience: { everyone: false, teams: ['Ops'], roles: [] }, nextReviewDate: '2027-11-01' }, mia));
    const v1 = created(await a.policies.publish(policy.id, { version: '1.0', text: V1, approvedBy: 'Cleo', approvedOn: TODAY }, mia, TODAY));
    const policiesBefore = Y.encodeStateAsUpdate(a.policiesDoc);
    const acksBefore = Y.encodeStateAsUpdate(a.acksDoc);

    const dup = await a.policies.publish(policy.id, { version: '1.0', text: 'other', approvedBy: 'Cleo', approvedOn: TODAY }, mia, TODAY);
    expect(dup.ok ? '' : dup.errors['version']).toBe('Version 1.0 is already published: choose a new version number.');
    expect((await a.policies.publish(policy.id, { version: '2.0', text: ' ', approvedBy: '', approvedOn: 'x' }, mia, TODAY)).ok).toBe(false);
    expect((await a.policies.publish('nope', { version: '2.0', text: 'x', approvedBy: 'C', approvedOn: TODAY }, mia, TODAY)).ok).toBe(false);
    expect(a.policies.recordReview(policy.id, { reviewedOn: '2026-11-26', reviewedBy: 'Ivy', outcome: 'ok', nextReviewDate: '2027-11-26' }, mia, TODAY).ok).toBe(false);
    expect(a.policies.update(policy.id, { title: ' ', ownerId: 'mia', audience: EVERYONE, nextReviewDate: '2027-11-01' }).ok).toBe(false);

    const base = { person: sam, policy, publication: v1, shownText: V1 };
    const empty = await a.acks.acknowledge({ ...base, typedName: '' }, mia);
    expect(empty.ok ? {} : empty.errors).toEqual({ typedName: 'Type your full name to acknowledge.' });
    const wrong = await a.acks.acknowledge({ ...base, typedName: 'Mia Manager' }, mia);
    expect(wrong.ok ? '' : wrong.errors['typedName']).toMatch(/^That is not the name of the person acknowledging/);
    const tampered = await a.acks.acknowledge({ ...base, shownText: `${V1} (edited)`, typedName: 'Sam Staff' }, mia);
    expect(tampered.ok ? '' : tampered.errors['text']).toMatch(/^The text on screen is not the published text of version 1\.0/);
    const big = await a.acks.acknowledge({ ...base, typedName: 'Sam Staff', signature: `data:image/png;base64,${'A'.repeat(210_000)}` }, mia);
    expect(big.ok ? '' : big.errors['signature']).toMatch(/^The signature is too large/);
    const left = await a.acks.acknowledge({ ...base, person: { ...sam, archived: true }, typedName: 'Sam Staff' }, mia);
    expect(left.ok).toBe(false);

    expect(Y.encodeStateAsUpdate(a.policiesDoc)).toEqual(policiesBefore);
    expect(Y.encodeStateAsUpdate(a.acksDoc)).toEqual(acksBefore);
    dispose();
  });

  it('merges audience changes from two devices and records reviews as evidence', async () => {
    const { a, b, dispose } = devices();
    const policy = created(a.policies.create({ title: 'Access control', ownerId: 'mia', audience: { everyone: false, teams: ['Ops'], roles: [] }, nextReviewDate: '2027-11-01' }, mia));
    sync(a, b);
    const input = (teams: string[], roles: string[]) => ({ title: 'Access control', ownerId: 'mia', audience: { everyone: false, teams, roles }, nextReviewDate: '2027-11-01' });
    expect(a.policies.update(policy.id, input(['Ops', 'Sales'], [])).ok).toBe(true);
    expect(b.policies.update(policy.id, input(['Ops'], ['role-isms'])).ok).toBe(true);
    // A third edit takes Ops out on A only.
    expect(a.policies.update(policy.id, input(['Sales'], [])).ok).toBe(true);
    sync(a, b);
    for (const d of [a, b]) expect(d.policies.byId().get(policy.id)!.audience).toEqual({ everyone: false, teams: ['Sales'], roles: ['role-isms'] });

    expect(a.policies.reviewOverdue(a.policies.byId().get(policy.id)!, TODAY)).toBe(true);
    const r = created(a.policies.recordReview(policy.id, { reviewedOn: TODAY, reviewedBy: 'Ivy ISMS', outcome: 'No change needed', nextReviewDate: '2027-06-01' }, mia, TODAY));
    sync(a, b);
    for (const d of [a, b]) {
      expect(d.policies.reviewsOf(policy.id)).toEqual([r]);
      expect(d.policies.byId().get(policy.id)!.nextReviewDate).toBe('2027-06-01');
      expect(d.policies.reviewOverdue(d.policies.byId().get(policy.id)!, TODAY)).toBe(false);
    }
    dispose();
  });
});
