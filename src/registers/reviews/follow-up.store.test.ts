import { createRoot } from 'solid-js';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { buildLogSection, summariseLog, verifyLog } from '../../domain/evidence-log';
import { canonicalJson } from '../../domain/signoff';
import { appendEntry, createRecord, entriesOf } from '../../store/records';
import { actionField, attendeeField, previousActions, reviewKpiActions } from './model';
import { createReviewStore } from './store';

const cleo = { name: 'Cleo Chair', deviceId: 'device-c', personId: 'cleo' };

describe('follow-up of review actions', () => {
  it('an approval made the old way (status in its snapshot) still stands when only the status changed; the log verifies', () =>
    createRoot((dispose) => {
      const doc = new Y.Doc();
      const fields = {
        date: '2026-10-05', periodFrom: '2026-07-01', periodTo: '2026-09-30', chairId: 'cleo', changes: '', auditFindings: '', incidents: '',
        createdAt: '2026-10-05T09:00:00.000Z', createdBy: 'Cleo Chair', [attendeeField('cleo')]: true,
        [actionField('a1')]: { text: 'Roll out MFA', ownerId: 'cleo', due: '2026-11-15', status: 'open' },
      };
      createRecord(doc, 'r1', fields);
      // The snapshot as 7fb5941 made it: the review's content with each action's status, and the inputs shown.
      const review = {
        date: '2026-10-05', periodFrom: '2026-07-01', periodTo: '2026-09-30', chairId: 'cleo', attendees: ['cleo'], changes: '', auditFindings: '', incidents: '',
        decisions: [], actions: [{ id: 'a1', text: 'Roll out MFA', ownerId: 'cleo', due: '2026-11-15', status: 'open' }], carried: {},
      };
      const inputs = { previousActions: [], kpis: { from: '2026-07-01', to: '2026-09-30' } };
      const oldEntry = { id: 'e1', recordId: 'r1', kind: 'signoff', byName: 'Cleo Chair', byPersonId: 'cleo', at: '2026-10-05T11:00:00.000Z', deviceId: 'device-c', note: '', snapshot: canonicalJson({ review, inputs }) };
      appendEntry(doc, oldEntry);
      const s = createReviewStore(doc);
      const r = () => s.byId().get('r1')!;
      expect(s.approvalState(r()).state).toBe('signed');

      s.updateAction('r1', 'a1', { text: 'Roll out MFA', ownerId: 'cleo', due: '2026-11-15', status: 'done' }, cleo, '2026-11-10');
      expect(r().actions[0]).toMatchObject({ status: 'done', doneOn: '2026-11-10', doneBy: 'Cleo Chair' });
      expect(s.approvalState(r()).state).toBe('signed');
      const registers = { reviews: [...entriesOf(doc).values()] };
      expect(verifyLog(buildLogSection(registers, () => true), summariseLog(registers))).toMatchObject({ ok: true, checked: 1 });

      s.updateAction('r1', 'a1', { text: 'Roll out MFA to everyone', ownerId: 'cleo', due: '2026-11-15', status: 'done' }, cleo, '2026-11-11');
      expect(r().actions[0]).toMatchObject({ doneOn: '2026-11-10' });
      expect(s.approvalState(r()).state).toBe('changed');
      dispose();
    }));

  it('a later review updating an earlier action records when it was done; the KPI reads it as open before that day', () =>
    createRoot((dispose) => {
      const s = createReviewStore(new Y.Doc());
      const first = s.create({ date: '2026-07-05', periodFrom: '2026-04-01', periodTo: '2026-06-30', chairId: 'cleo' }, cleo);
      const second = s.create({ date: '2026-10-05', periodFrom: '2026-07-01', periodTo: '2026-09-30', chairId: 'cleo' }, cleo);
      if (!first.ok || !second.ok) throw new Error('create failed');
      s.addAction(first.value.id, { text: 'Buy EDR', ownerId: 'cleo', due: '2026-08-31', status: 'open' });
      const actionId = s.byId().get(first.value.id)!.actions[0]!.id;
      const r2 = () => s.byId().get(second.value.id)!;
      expect(s.approve(r2(), { previousActions: previousActions(s.all(), r2()), kpis: {} as never }, cleo, 'Cleo Chair', '')).toBeUndefined();
      s.updateCarried(second.value.id, actionId, { status: 'done', ownerId: 'cleo', due: '2026-08-31', note: '' }, cleo, '2026-10-20');
      expect(r2().carried[actionId]).toMatchObject({ status: 'done', doneOn: '2026-10-20', doneBy: 'Cleo Chair' });
      expect(s.approvalState(r2()).state).toBe('signed');
      // A note on the update is something the review recorded: that is an edit.
      s.updateCarried(second.value.id, actionId, { status: 'done', ownerId: 'cleo', due: '2026-08-31', note: 'Bought in October' }, cleo, '2026-10-21');
      expect(r2().carried[actionId]).toMatchObject({ doneOn: '2026-10-20' });
      expect(s.approvalState(r2()).state).toBe('changed');
      // Due 31 Aug, done 20 Oct: open at the end of Q3 (30 Sep), done by the end of Q4.
      expect(reviewKpiActions(s.all(), r2())).toEqual([{ due: '2026-08-31', done: true, doneOn: '2026-10-20', raisedOn: '2026-07-05' }]);
      dispose();
    }));
});
