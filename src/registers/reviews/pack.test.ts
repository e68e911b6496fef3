import { describe, expect, it } from 'vitest';
import { pdfText } from '../../../test/pdftext';
import { buildSectionPdf } from '../../export/pack/build';
import { fixtureInput } from '../../export/pack/test-fixture';

describe('management reviews in the pack', () => {
  it('prints each review\'s minutes: inputs (changes, audit findings, incidents), decisions and actions', async () => {
    const input = fixtureInput();
    Object.assign(input.registers['reviews']!.records['rev-1']!, {
      changes: 'Moved to a new cloud provider',
      auditFindings: 'Internal audit: two laptops without encryption',
      incidents: 'One phishing click, contained',
      'decision.d1': { text: 'Encrypt every laptop by January', at: '2026-10-01T10:00:00.000Z' },
      'action.a1': { text: 'Roll out disk encryption', ownerId: 'p-zoe', due: '2027-01-15', status: 'open', at: '2026-10-01T10:00:00.000Z' },
    });
    const text = pdfText((await buildSectionPdf(input, 'reviews')).bytes).replace(/\s+/g, ' ');
    expect(text).toContain('Minutes of the review of 1 Oct 2026');
    expect(text).toContain('Changes affecting the ISMS Moved to a new cloud provider');
    expect(text).toContain('Audit findings Internal audit: two laptops without encryption');
    expect(text).toContain('Incidents One phishing click, contained');
    expect(text).toContain('Decisions Encrypt every laptop by January');
    expect(text).toMatch(/Actions Roll out disk encryption \(owner: Zo.? .ngstr.?m\) due 2027-01-15/);
  });
});
