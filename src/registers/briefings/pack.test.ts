import { describe, expect, it } from 'vitest';
import { pdfText } from '../../../test/pdftext';
import { buildSectionPdf } from '../../export/pack/build';
import { fixtureInput } from '../../export/pack/test-fixture';

describe('briefing minutes in the pack', () => {
  it('prints the notes and topics of each briefing, not only in the CSV', async () => {
    const text = pdfText((await buildSectionPdf(fixtureInput(), 'briefings')).bytes).replace(/\s+/g, ' ');
    expect(text).toContain('Discussed phishing, screen locks and the speak-up channel.');
    expect(text).toMatch(/Topics Notes/);
    expect(text).toContain('Phishing');
  });
});
