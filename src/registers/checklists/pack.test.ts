import { describe, expect, it } from 'vitest';
import { pdfText } from '../../../test/pdftext';
import { buildSectionPdf } from '../../export/pack/build';
import { PackReads as PackContext } from '../../export/pack/context';
import { fixtureInput } from '../../export/pack/test-fixture';
import { pack } from './pack';

describe('monthly checklists in the pack', () => {
  it('prints every answer with a note, an evidence reference or not "Done", and counts the rest', async () => {
    const input = fixtureInput();
    Object.assign(input.registers['checklists']!.records['cl-ops-oct']!, { 'item.compliance.evidence': 'LMS export October', 'item.lead.status': 'not-done', 'item.lead.note': 'Manager on leave' });
    const text = pdfText((await buildSectionPdf(input, 'checklists')).bytes).replace(/\s+/g, ' ');
    expect(text).toContain('Checklist answers');
    // The fixture's formula-looking note is printed as typed (the CSV neutralises it).
    expect(text).toContain('=cmd|calc');
    expect(text).toContain('LMS export October');
    expect(text).toContain('Lead by example Not done');
    expect(text).toContain('Manager on leave');
    expect(text).toContain('3 answers shown: those with a note, an evidence reference or a follow-up, or not "Done". The other 1 answers are "Done" with nothing added');
    // The CSV keeps every answer.
    const table = pack.build(new PackContext(input)).tables.find((t) => t.file === 'checklists')!;
    expect(table.rows).toHaveLength(4);
  });
});
