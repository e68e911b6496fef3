import { describe, expect, it } from 'vitest';
import { pdfPages, pdfText } from '../../../test/pdftext';
import { briefingMinutesPdf } from './minutes-pdf';
import type { Briefing } from './model';

const briefing: Briefing = {
  id: 'br-1',
  date: '2026-10-15',
  team: 'Ops',
  attendees: ['p1', 'p2', 'p3'],
  topics: ['Phishing', 'Screen locking'],
  notes: 'We went through the phishing report\nand the speak-up channel.',
  actions: [{ id: 'a1', text: 'Turn on screen lock on the shared laptop', ownerId: 'p2', due: '2026-10-31', done: false, doneOn: '', doneBy: '' }],
  createdAt: '2026-10-15T09:00:00.000Z',
  createdBy: 'Zoë',
};
const names: Record<string, string> = { p1: 'Zoë Ångström', p2: 'Łukasz Żółkiewski', p3: '李小龍' };

describe('one briefing’s minutes as PDF', () => {
  it('fits on one page with who was present, topics, notes, actions and the sign-off', async () => {
    const bytes = await briefingMinutesPdf({
      organisation: 'Acmé Ltd',
      briefing,
      nameOf: (id) => names[id] ?? '',
      signOff: { state: 'signed', entry: { id: 's', recordId: 'br-1', kind: 'signoff', byName: 'Zoë Ångström', at: '2026-10-15T10:00:00.000Z', deviceId: 'd', note: '', snapshot: '' } },
      generatedAt: '2026-11-25T14:00:00.000Z',
      generatedBy: 'Zoë Ångström',
    });
    expect(pdfPages(bytes)).toBe(1);
    const text = pdfText(bytes).replace(/\s+/g, ' ');
    expect(text).toContain('Acmé Ltd · Briefing minutes');
    expect(text).toContain('Ops briefing, 15 Oct 2026');
    expect(text).toContain('Present (3) Łukasz Żółkiewski, Zoë Ångström, 李小龍');
    expect(text).toContain('Phishing, Screen locking');
    expect(text).toContain('We went through the phishing report and the speak-up channel.');
    expect(text).toContain('Turn on screen lock on the shared laptop');
    expect(text).toContain('31 Oct 2026');
    expect(text).toMatch(/Signed off by Zoë Ångström on 15 Oct 2026 \d\d:00/);
    expect(text).toContain('Page 1 of 1');
  });
});
