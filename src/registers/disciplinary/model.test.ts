import { describe, expect, it } from 'vitest';
import { toCsv } from '../../evidence/csv';
import { namedLogCsv, processCsv, redactedLogCsv } from './export';
import {
  accessProblem,
  canManage,
  compareTiers,
  DEFAULT_TIERS,
  type DisciplinaryEntry,
  disciplinarySummary,
  entryFromJson,
  type EntryInput,
  FUTURE_DATE,
  historyOf,
  isOfficer,
  logState,
  moveTier,
  nextTierOrder,
  type Officer,
  officerChangeProblem,
  officerIds,
  redactedRow,
  scrubNames,
  sortTiers,
  type Tier,
  UNKNOWN_TIER,
  validateEntry,
  validateTier,
  type WithdrawalEntry,
} from './model';

const TODAY = '2026-11-25';
const tier = (id: string, name: string, order: number, archived = false): Tier => ({ id, name, appliesWhen: 'When', consequence: 'Then', order, archived, createdAt: '', createdBy: '' });
const TIERS = [tier('t1', 'Accidental error', 1), tier('t2', 'Repeated or negligent', 2), tier('t3', 'Intentional or malicious', 3), tier('old', 'Old tier', 4, true)];
const POLICIES = [{ id: 'pol1', title: 'Acceptable use' }];
const PEOPLE = new Set(['sam', 'mia']);
const ctx = { today: TODAY, tiers: TIERS, policies: POLICIES, personIds: PEOPLE };

const input: EntryInput = {
  personId: 'sam',
  date: '2026-11-20',
  policyId: 'pol1',
  policyOther: '',
  tierId: 't1',
  facts: 'Left the laptop unlocked in the café.',
  outcome: 'Coaching given.',
  decidedById: 'mia',
  evidence: 'HR-2026-014',
};

const entry = (over: Partial<DisciplinaryEntry> = {}): DisciplinaryEntry => ({
  id: 'e1',
  kind: 'entry',
  personId: 'sam',
  date: '2026-11-20',
  policyId: 'pol1',
  policy: 'Acceptable use',
  tierId: 't1',
  tierName: 'Accidental error',
  facts: 'Sam Staff left the laptop unlocked.',
  outcome: 'Coaching given to Sam by Mia Manager.',
  decidedById: 'mia',
  evidence: 'HR-2026-014',
  byName: 'Mia Manager',
  byPersonId: 'mia',
  at: '2026-11-25T10:00:00.000Z',
  deviceId: 'dev-a',
  ...over,
});

describe('validateEntry', () => {
  it('accepts a complete entry and snapshots the tier and policy names', () => {
    const r = validateEntry(input, ctx);
    expect(r).toEqual({ ok: true, value: { personId: 'sam', date: '2026-11-20', policyId: 'pol1', policy: 'Acceptable use', tierId: 't1', tierName: 'Accidental error', facts: input.facts, outcome: input.outcome, decidedById: 'mia', evidence: 'HR-2026-014' } });
  });

  it('refuses empty facts, a future date and an unknown tier, each with its message', () => {
    const r = validateEntry({ ...input, facts: '   ', date: '2026-11-26', tierId: 'nope' }, ctx);
    expect(r).toEqual({
      ok: false,
      errors: { facts: 'Describe the facts: what happened, and how it came to light.', date: FUTURE_DATE, tierId: UNKNOWN_TIER },
    });
  });

  it('accepts today, refuses tomorrow and a malformed date', () => {
    expect(validateEntry({ ...input, date: TODAY }, ctx).ok).toBe(true);
    expect(validateEntry({ ...input, date: '2026-11-26' }, ctx)).toEqual({ ok: false, errors: { date: FUTURE_DATE } });
    expect(validateEntry({ ...input, date: '2026-02-30' }, ctx)).toEqual({ ok: false, errors: { date: 'Enter the date as YYYY-MM-DD, e.g. 2026-11-25.' } });
  });

  it('refuses an archived tier and an empty one', () => {
    expect(validateEntry({ ...input, tierId: 'old' }, ctx)).toEqual({ ok: false, errors: { tierId: UNKNOWN_TIER } });
    expect(validateEntry({ ...input, tierId: '' }, ctx)).toEqual({ ok: false, errors: { tierId: 'Choose the tier from the documented process.' } });
  });

  it('takes the policy from the register or as free text, and needs one of them', () => {
    const free = validateEntry({ ...input, policyId: '', policyOther: ' Clean desk rule ' }, ctx);
    expect(free.ok && [free.value.policyId, free.value.policy]).toEqual(['', 'Clean desk rule']);
    expect(validateEntry({ ...input, policyId: '', policyOther: '' }, ctx)).toEqual({ ok: false, errors: { policyId: 'Choose the policy that was breached, or type it under “Other policy”.' } });
    expect(validateEntry({ ...input, policyId: 'gone' }, ctx).ok).toBe(false);
  });

  it('needs the person and who decided, from People', () => {
    expect(validateEntry({ ...input, personId: '', decidedById: 'stranger' }, ctx)).toEqual({
      ok: false,
      errors: { personId: 'Choose the person this entry is about.', decidedById: 'Choose someone from People.' },
    });
  });
});

describe('entryFromJson', () => {
  it('round-trips an entry and a withdrawal', () => {
    const e = entry({ corrects: 'e0', reason: 'Wrong date' });
    expect(entryFromJson(JSON.stringify(e))).toEqual(e);
    const w: WithdrawalEntry = { id: 'w1', kind: 'withdrawal', corrects: 'e1', reason: 'Wrong person', byName: 'Mia', at: '2026-11-25T11:00:00.000Z', deviceId: 'd' };
    expect(entryFromJson(JSON.stringify(w))).toEqual(w);
  });

  it('gives undefined for anything that is not a whole entry', () => {
    expect(entryFromJson('not json')).toBeUndefined();
    expect(entryFromJson('[]')).toBeUndefined();
    expect(entryFromJson(JSON.stringify({ ...entry(), kind: 'other' }))).toBeUndefined();
    const { facts: _, ...noFacts } = entry();
    expect(entryFromJson(JSON.stringify(noFacts))).toBeUndefined();
    expect(entryFromJson(JSON.stringify({ id: 'w', kind: 'withdrawal', byName: 'x', at: 'x', deviceId: 'x' }))).toBeUndefined();
  });
});

describe('officers: the bootstrap rule', () => {
  const o = (personId: string, designated = true): Officer => ({ personId, designated, byName: '', at: '', deviceId: '' });

  it('lets anyone designate the first officer, then only officers', () => {
    expect(canManage(undefined, [])).toBe(true);
    expect(canManage('sam', [])).toBe(true);
    expect(officerChangeProblem('sam', [], 'mia', true)).toBeUndefined();
    expect(officerChangeProblem(undefined, [], 'mia', true)).toBeUndefined();
    // Once Mia is an officer, Sam (and an unidentified device) can no longer change the list.
    expect(canManage('sam', ['mia'])).toBe(false);
    expect(canManage(undefined, ['mia'])).toBe(false);
    expect(officerChangeProblem('sam', ['mia'], 'sam', true)).toBe('Only a designated officer can change who the officers are.');
    expect(officerChangeProblem('mia', ['mia'], 'sam', true)).toBeUndefined();
    expect(officerChangeProblem('mia', ['mia', 'sam'], 'sam', false)).toBeUndefined();
  });

  it('keeps at least one officer and refuses no-op changes', () => {
    expect(officerChangeProblem('mia', ['mia'], 'mia', false)).toBe('The log needs at least one officer: designate another one first.');
    expect(officerChangeProblem('mia', ['mia'], 'mia', true)).toBe('That person is already an officer.');
    expect(officerChangeProblem('mia', ['mia'], 'sam', false)).toBe('That person is not an officer.');
  });

  it('counts only designated officers who are still active', () => {
    const list = [o('mia'), o('sam', false), o('left')];
    expect(officerIds(list)).toEqual(['left', 'mia']);
    expect(officerIds(list, (id) => id !== 'left')).toEqual(['mia']);
    // The only officer has left: the list is open again, so the log is not locked away for good.
    expect(canManage('sam', officerIds([o('left')], () => false))).toBe(true);
  });

  it('isOfficer needs a known person on the list', () => {
    expect(isOfficer('mia', ['mia'])).toBe(true);
    expect(isOfficer('sam', ['mia'])).toBe(false);
    expect(isOfficer(undefined, ['mia'])).toBe(false);
    expect(isOfficer(undefined, [])).toBe(false);
  });

  it('says why a device may not read the log', () => {
    expect(accessProblem({ name: 'Mia Manager', personId: 'mia' }, ['mia'])).toBeUndefined();
    expect(accessProblem({ name: 'Sam Staff', personId: 'sam' }, ['mia'])).toBe('You are not a designated officer.');
    expect(accessProblem({ name: 'Phone 2' }, ['mia'])).toMatch(/signs as “Phone 2”, and nobody in People has that name/);
    expect(accessProblem({ name: 'Mia Manager', personId: 'mia' }, [])).toMatch(/No officer has been designated yet/);
  });
});

describe('tiers', () => {
  it('orders by position, then name, then id', () => {
    const list = [tier('b', 'B', 2), tier('z', 'A', 2), tier('a', 'A', 2), tier('c', 'C', 1)];
    expect(sortTiers(list).map((t) => t.id)).toEqual(['c', 'a', 'z', 'b']);
    expect([...list].sort(compareTiers)).toEqual(sortTiers(list));
    expect(nextTierOrder(list)).toBe(3);
    expect(nextTierOrder([])).toBe(1);
  });

  it('moves a tier among the active ones and renumbers ties', () => {
    expect(moveTier(TIERS, 't3', -1)).toEqual([{ id: 't1', order: 1 }, { id: 't3', order: 2 }, { id: 't2', order: 3 }]);
    expect(moveTier(TIERS, 't1', -1)).toEqual([]);
    expect(moveTier(TIERS, 't3', 1)).toEqual([]);
    expect(moveTier([tier('x', 'X', 1), tier('y', 'Y', 1)], 'x', 1)).toEqual([{ id: 'y', order: 1 }, { id: 'x', order: 2 }]);
  });

  it('validates the tier form', () => {
    expect(validateTier({ name: '', appliesWhen: '', consequence: '' })).toEqual({
      ok: false,
      errors: { name: 'Name the tier, e.g. Accidental error.', appliesWhen: 'Say when this tier applies.', consequence: 'Say what the consequence is, e.g. coaching or a written warning.' },
    });
    expect(validateTier({ name: 'accidental ERROR', appliesWhen: 'x', consequence: 'y' }, TIERS)).toEqual({ ok: false, errors: { name: 'There is already a tier called Accidental error.' } });
    expect(validateTier({ name: 'Accidental error', appliesWhen: 'x', consequence: 'y' }, TIERS, 't1').ok).toBe(true);
    expect(validateTier({ name: 'Old tier', appliesWhen: 'x', consequence: 'y' }, TIERS).ok).toBe(true);
    for (const t of DEFAULT_TIERS) expect(validateTier(t).ok).toBe(true);
  });
});

describe('redaction', () => {
  const names = ['Sam Staff', 'Mia Manager'];

  it('keeps only id, date, tier, policy and outcome, with names scrubbed', () => {
    const row = redactedRow(entry(), names);
    expect(row).toEqual(['e1', '2026-11-20', 'Accidental error', 'Acceptable use', 'Coaching given to [redacted] by [redacted].']);
    const text = row.join('|');
    for (const secret of ['Sam', 'Staff', 'Mia', 'Manager', 'sam', 'mia', 'dev-a', 'laptop', 'HR-2026-014']) expect(text).not.toContain(secret);
  });

  it('the redacted CSV holds no names and no person ids', () => {
    const csv = toCsv(redactedLogCsv([entry(), entry({ id: 'e2', outcome: 'Warning for Staff, S.', personId: 'sam' })], names, () => undefined, TODAY));
    expect(csv.split('\r\n')[0]).toBe('\uFEFFEntry id,Date,Tier,Policy,Outcome');
    for (const secret of ['Sam', 'Staff', 'Mia', 'Manager', 'sam', 'mia']) expect(csv).not.toContain(secret);
  });

  it('the CSV with names is the full record, and uses current tier names', () => {
    const t = namedLogCsv([entry()], (id) => ({ sam: 'Sam Staff', mia: 'Mia Manager' })[id] ?? '', (id) => (id === 't1' ? 'Accident' : undefined), TODAY);
    expect(t.name).toBe(`muster-disciplinary-with-names-${TODAY}`);
    expect(t.rows[0]?.slice(0, 4)).toEqual(['e1', '2026-11-20', 'Sam Staff', 'Accident']);
  });

  it('scrubs whole words only, case-sensitively, full names first', () => {
    expect(scrubNames('Samantha met Sam Staff and samples', ['Sam Staff'])).toBe('Samantha met [redacted] and samples');
    expect(scrubNames('Ana-Lí Ruiz signed', ['Ana-Lí Ruiz'])).toBe('[redacted] signed');
    expect(scrubNames('Nothing here', [])).toBe('Nothing here');
  });

  it('exports the documented process in order', () => {
    expect(processCsv(sortTiers(TIERS.filter((t) => !t.archived)), TODAY).rows.map((r) => [r[0], r[1]])).toEqual([
      [1, 'Accidental error'],
      [2, 'Repeated or negligent'],
      [3, 'Intentional or malicious'],
    ]);
  });
});

describe('the log as it stands, and the summary for the management review', () => {
  const e1 = entry({ id: 'e1', date: '2026-07-01', tierId: 't1' });
  const e2 = entry({ id: 'e2', date: '2026-09-30', tierId: 't2', tierName: 'Repeated or negligent' });
  const fix = entry({ id: 'e3', date: '2026-10-01', tierId: 't2', tierName: 'Repeated or negligent', corrects: 'e1', reason: 'Wrong tier', at: '2026-11-25T12:00:00.000Z' });
  const e4 = entry({ id: 'e4', date: '2026-08-15', tierId: 't3', tierName: 'Intentional' });
  const out: WithdrawalEntry = { id: 'w', kind: 'withdrawal', corrects: 'e4', reason: 'Wrong person', byName: 'Mia', at: '2026-11-25T13:00:00.000Z', deviceId: 'd' };

  it('a correction supersedes, a withdrawal removes, nothing is lost', () => {
    const s = logState([fix, out, e4, e2, e1]);
    expect(s.all.map((e) => e.id)).toEqual(['e1', 'e4', 'e2', 'e3']);
    expect(s.current.map((e) => e.id)).toEqual(['e2', 'e3']);
    expect(s.correctedBy.get('e1')).toEqual(['e3']);
    expect(s.withdrawnBy.get('e4')?.id).toBe('w');
    expect(historyOf('e3', s.all).map((e) => e.id)).toEqual(['e3', 'e1']);
  });

  it('counts standing entries in the period per tier, boundaries included', () => {
    expect(disciplinarySummary([e1, e2, fix, e4, out], { from: '2026-07-01', to: '2026-09-30' })).toEqual({ count: 1, byTier: { 'Repeated or negligent': 1 } });
    expect(disciplinarySummary([e1, e2, e4], { from: '2026-07-01', to: '2026-09-30' })).toEqual({ count: 3, byTier: { 'Accidental error': 1, 'Repeated or negligent': 1, Intentional: 1 } });
    expect(disciplinarySummary([e1, e2, fix], { from: '2026-10-01', to: '2026-12-31' }, [tier('t2', 'Repeated', 2)])).toEqual({ count: 1, byTier: { Repeated: 1 } });
    const summary = JSON.stringify(disciplinarySummary([e1, e2, fix, e4, out], { from: '2026-01-01', to: '2026-12-31' }));
    for (const secret of ['sam', 'mia', 'Sam', 'Mia']) expect(summary).not.toContain(secret);
  });
});
