import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { pdfText } from '../../../test/pdftext';
import { ORGANISATION, groupGaps } from './appendix';
import { buildPack } from './build';
import { PackReads as PackContext } from './context';
import { fixtureInput } from './test-fixture';

describe('the gap appendix', () => {
  it('groups gaps by team, then person (longest name first), team gaps and organisation gaps apart', () => {
    const input = fixtureInput();
    input.registers['people']!.records['p-zoe2'] = { name: 'Zoë Ångström Jr', email: '', team: 'Sales', jobTitle: '', startDate: '2024-01-10', managerId: '', archived: false };
    const groups = groupGaps(
      [
        { requirement: 'Training', text: 'Zoë Ångström Jr: Course not done' },
        { requirement: 'Training', text: 'Zoë Ångström: Course not done' },
        { requirement: 'Policies', text: 'Łukasz Żółkiewski: Acceptable use v1.0 not acknowledged' },
        { requirement: 'Checklists', text: 'Ops, 2026-10-15: minutes not signed' },
        { requirement: 'Reviews', text: 'No management review held in the period' },
      ],
      new PackContext(input),
    );
    expect(groups.map((g) => g.team)).toEqual([ORGANISATION, 'Ops', 'Sales']);
    expect(groups[0]!.own.map((l) => l.text)).toEqual(['No management review held in the period']);
    expect(groups[1]!.own.map((l) => l.text)).toEqual(['Ops, 2026-10-15: minutes not signed']);
    expect(groups[1]!.people.map((p) => [p.name, p.gaps.map((g) => g.text)])).toEqual([
      ['Łukasz Żółkiewski', ['Acceptable use v1.0 not acknowledged']],
      ['Zoë Ångström', ['Course not done']],
    ]);
    expect(groups[2]!.people.map((p) => p.name)).toEqual(['Zoë Ångström Jr']);
  });

  it('names in report.pdf every gap of the summary, even when the summary shows only the first six', async () => {
    const input = fixtureInput();
    // Twelve policies nobody acknowledged: twelve gaps per person under one requirement.
    for (let i = 0; i < 12; i++) {
      const id = `pol-${i}`;
      input.registers['policies']!.records[id] = { title: `Rule ${String(i).padStart(2, '0')}`, ownerId: 'p-zoe', everyone: true, nextReviewDate: '2027-06-01', archived: false, createdAt: '2026-01-01T09:00:00.000Z', createdBy: 'Zoë' };
      input.registers['policies']!.entries[`pub-${id}`] = { id: `pub-${id}`, kind: 'publication', policyId: id, version: '1.0', text: 'x', textSha256: 'b'.repeat(64), approvedBy: 'CEO', approvedOn: '2026-01-05', publishedAt: '2026-01-05T10:00:00.000Z', byName: 'Zoë', deviceId: 'device-a' };
    }
    const text = pdfText(unzipSync((await buildPack(input)).zip)['report.pdf']!).replace(/\s+/g, ' ');
    expect(text).not.toMatch(/… and \d+ more/);
    expect(text).toMatch(/\d+ more gaps, all \d+ named in the appendix at the end \(by team and person\)/);
    const appendix = text.slice(text.lastIndexOf('Appendix: every gap, by team and person'));
    for (let i = 0; i < 12; i++) expect(appendix).toContain(`Rule ${String(i).padStart(2, '0')} v1.0 not acknowledged`);
    expect(appendix).toMatch(/Ops \(\d+ gaps\)/);
    expect(appendix).toMatch(/Sales \(\d+ gaps\)/);
  });
});
