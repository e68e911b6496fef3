import { describe, expect, it } from 'vitest';
import {
  ackOverdue,
  canManage,
  DEFAULT_PROCESS,
  EMPTY_REPORT,
  formatReceipt,
  parsePublicLink,
  parseReceipt,
  processSections,
  publicLinkUrl,
  speakupCounts,
  speakupSummary,
  type ThreadMessage,
  threadState,
  validateProcess,
  validateReport,
} from './model';

const TODAY = '2026-03-14';

describe('the report form', () => {
  it('says what is missing, field by field', () => {
    const r = validateReport(EMPTY_REPORT, TODAY);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual({
      category: 'Choose what kind of problem this is.',
      what: 'Describe what happened.',
      date: 'Enter the date it happened, or tick “I don’t know the exact date”.',
    });
  });

  it('refuses a future date, a too-short description, and an empty rough date', () => {
    const r = validateReport({ ...EMPTY_REPORT, category: 'data-leak', date: '2026-03-15', what: 'Too short' }, TODAY);
    expect(!r.ok && r.errors).toEqual({ date: 'The date cannot be in the future.', what: 'Say a little more about what happened (at least 10 characters).' });
    const rough = validateReport({ ...EMPTY_REPORT, category: 'data-leak', roughlyOnly: true, what: 'A laptop with customer data was lost.' }, TODAY);
    expect(!rough.ok && rough.errors).toEqual({ roughly: 'Say roughly when, for example “early March” or “last week”.' });
  });

  it('accepts a day or a rough time, trimmed', () => {
    const r = validateReport({ ...EMPTY_REPORT, category: 'other', roughlyOnly: true, roughly: ' last week ', date: 'ignored', where: ' Lab ', what: ' Someone propped the door open. ' }, TODAY);
    expect(r).toEqual({ ok: true, value: { v: 1, category: 'other', when: { roughly: 'last week' }, where: 'Lab', what: 'Someone propped the door open.' } });
  });
});

describe('receipts', () => {
  it('groups digits and accepts what people type', () => {
    expect(formatReceipt('1234567890123456')).toBe('1234 5678 9012 3456');
    expect(parseReceipt('1234 5678-9012.3456')).toEqual({ ok: true, value: '1234567890123456' });
    expect(parseReceipt('1234 5678 9012 345')).toEqual({ ok: false, errors: { receipt: 'A receipt has 16 digits; you entered 15.' } });
    expect(parseReceipt('1234 5678 9012 345x')).toEqual({ ok: false, errors: { receipt: 'A receipt has digits only.' } });
  });
});

const msg = (m: Partial<ThreadMessage>): ThreadMessage => ({ v: 1, id: 'x', from: 'recipient', kind: 'reply', text: '', day: TODAY, seq: 1, verified: true, ...m });

describe('a thread', () => {
  it('is new until a recipient acknowledges; their latest status and outcome count', () => {
    expect(threadState([], { requireVerified: true }).status).toBe('new');
    expect(threadState([msg({ from: 'reporter', verified: false })], { requireVerified: true }).status).toBe('new');
    expect(threadState([msg({ kind: 'reply' })], { requireVerified: true }).status).toBe('received');
    const t = threadState(
      [
        msg({ id: 'b', kind: 'status', status: 'closed', seq: 3, day: '2026-04-02' }),
        msg({ id: 'a', kind: 'status', status: 'under-review', seq: 2 }),
        msg({ id: 'c', kind: 'outcome', text: 'MFA restored; CFO briefed.', seq: 3 }),
      ],
      { requireVerified: true },
    );
    expect(t).toEqual({ status: 'closed', statusDay: '2026-04-02', outcome: 'MFA restored; CFO briefed.' });
  });

  it('on a recipient’s device ignores unverified “recipient” messages', () => {
    expect(threadState([msg({ kind: 'status', status: 'closed', verified: false })], { requireVerified: true }).status).toBe('new');
    expect(threadState([msg({ kind: 'status', status: 'closed', verified: false })], { requireVerified: false }).status).toBe('closed');
  });

  it('flags an acknowledgement overdue after the configured days', () => {
    expect(ackOverdue('2026-03-01', 'new', '2026-03-08', DEFAULT_PROCESS)).toBe(false);
    expect(ackOverdue('2026-03-01', 'new', '2026-03-09', DEFAULT_PROCESS)).toBe(true);
    expect(ackOverdue('2026-03-01', 'received', '2026-05-09', DEFAULT_PROCESS)).toBe(false);
  });
});

describe('settings and the documented process', () => {
  it('holds the EU directive’s limits', () => {
    const r = validateProcess({ ackDays: '10', feedbackMonths: '6', statement: ' ', nextSteps: '', external: '' });
    expect(!r.ok && Object.keys(r.errors).sort()).toEqual(['ackDays', 'feedbackMonths', 'statement']);
    expect(validateProcess({ ackDays: '5', feedbackMonths: '2', statement: 'No retaliation.', nextSteps: '', external: '' })).toEqual({
      ok: true,
      value: { ackDays: 5, feedbackMonths: 2, statement: 'No retaliation.', nextSteps: '', external: '' },
    });
  });

  it('names the recipients, the timelines and the statement', () => {
    const text = JSON.stringify(processSections({ ...DEFAULT_PROCESS, ackDays: 5, orgName: 'Acme', recipients: ['Rita Reyes', 'Bo Berg'], linkOn: true, external: 'The national authority: example.org' }));
    for (const s of ['Rita Reyes and Bo Berg.', 'within 5 days', 'within 3 months', 'retaliation', 'speak-up link', 'national authority']) expect(text).toContain(s);
  });

  it('owners manage; with no owner anyone may', () => {
    const m = (deviceId: string, role: string, removed = false) => ({ deviceId, role, removed });
    expect(canManage([m('a', 'staff')], 'a')).toBe(true);
    expect(canManage([m('a', 'staff'), m('o', 'owner')], 'a')).toBe(false);
    expect(canManage([m('a', 'staff'), m('o', 'owner')], 'o')).toBe(true);
    expect(canManage([m('a', 'staff'), m('o', 'owner', true)], 'a')).toBe(true);
  });
});

describe('counts for the management review', () => {
  const rows = [{ receivedOn: '2026-01-05', closedOn: '2026-02-01' }, { receivedOn: '2026-03-30' }, { receivedOn: '2026-04-02', closedOn: '2026-04-20' }];
  it('counts received and closed in a period, inclusive', () => {
    expect(speakupCounts(rows, { from: '2026-01-01', to: '2026-03-31' })).toEqual({ received: 2, closed: 1 });
    expect(speakupCounts(rows, { from: '2026-04-01', to: '2026-06-30' })).toEqual({ received: 1, closed: 1 });
  });
  it('summarises per quarter with what was open at the end', () => {
    expect(speakupSummary(rows)).toEqual([
      { period: '2026-Q1', from: '2026-01-01', to: '2026-03-31', received: 2, closed: 1, openAtEnd: 1 },
      { period: '2026-Q2', from: '2026-04-01', to: '2026-06-30', received: 1, closed: 1, openAtEnd: 1 },
    ]);
    expect(speakupSummary([])).toEqual([]);
  });
});

describe('the public link', () => {
  it('round-trips and refuses a truncated link', () => {
    const l = { workspaceId: 'abcdefghijklmnop', token: 'T'.repeat(43), fingerprint: 'F'.repeat(43) };
    const url = publicLinkUrl('https://muster.example', l);
    expect(url).toBe(`https://muster.example/#speakup?w=abcdefghijklmnop&t=${'T'.repeat(43)}&r=${'F'.repeat(43)}`);
    expect(parsePublicLink(new URL(url).hash)).toEqual(l);
    expect(parsePublicLink('#speakup?w=abcdefghijklmnop&t=short')).toHaveProperty('error');
    expect(parsePublicLink('#/speakup')).toBeUndefined();
  });
});
