import { createRoot } from 'solid-js';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createDisciplinaryStore } from '../../registers/disciplinary/store';
import type { Session } from '../../ui/session';
import { disciplinaryForPack } from './disciplinary-access';

const mia = { name: 'Mia Manager', deviceId: 'device-a', personId: 'mia' };
const sam = { name: 'Sam Staff', deviceId: 'device-c', personId: 'sam' };
const ctx = { today: '2026-11-25', policies: [{ id: 'pol1', title: 'Acceptable use' }], personIds: new Set(['mia', 'sam']) };

/** A log with one decision recorded by officer Mia; the store as a device that never opened the disciplinary screen. */
async function logWithOneDecision() {
  const doc = new Y.Doc();
  const writer = createDisciplinaryStore(doc);
  writer.addDefaultTiers({ signer: mia });
  writer.setOfficer('mia', true, { signer: mia });
  writer.unlock();
  const r = await writer.record({ personId: 'sam', date: '2026-11-20', policyId: 'pol1', policyOther: '', tierId: writer.tiers()[0]!.id, facts: 'Secret facts', outcome: 'Coaching.', decidedById: 'mia', evidence: '' }, ctx, { signer: mia });
  expect(r.ok).toBe(true);
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  return createDisciplinaryStore(copy);
}

const session = (d: ReturnType<typeof createDisciplinaryStore>, signer: typeof mia) =>
  ({ disciplinary: d, signer: () => signer, people: { byId: () => new Map([['mia', { archived: false }], ['sam', { archived: false }]]) } }) as unknown as Session;

describe('the disciplinary log for an export', () => {
  it("opens the log on an officer's device that never opened the screen, and closes it again", () =>
    createRoot(async (dispose) => {
      const d = await logWithOneDecision();
      expect(d.unlocked()).toBe(false);
      const { opened, access } = await disciplinaryForPack(session(d, mia));
      expect(access).toEqual({ officer: true, waitingForKey: 0, unreadable: 0 });
      expect((opened as Array<{ outcome: string }>).map((e) => e.outcome)).toEqual(['Coaching.']);
      expect(d.unlocked()).toBe(false);
      dispose();
    }));

  it('keeps the log open when a screen had opened it', () =>
    createRoot(async (dispose) => {
      const d = await logWithOneDecision();
      d.unlock();
      await disciplinaryForPack(session(d, mia));
      expect(d.unlocked()).toBe(true);
      dispose();
    }));

  it("never opens the log on a non-officer's device, and says why", () =>
    createRoot(async (dispose) => {
      const d = await logWithOneDecision();
      let unlocks = 0;
      const watched = { ...d, unlock: () => unlocks++ } as typeof d;
      const r = await disciplinaryForPack(session(watched, sam));
      expect(r).toEqual({ access: { officer: false, waitingForKey: 0, unreadable: 0 } });
      expect(unlocks).toBe(0);
      dispose();
    }));
});
