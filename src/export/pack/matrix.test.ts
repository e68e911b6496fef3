import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { pdfText } from '../../../test/pdftext';
import { buildPack } from './build';
import { PackReads as PackContext } from './context';
import { ackMatrix } from '../../registers/acknowledgements/standing';
import { trainingMatrix } from '../../registers/training/standing';
import { fixtureInput } from './test-fixture';

describe('person × policy and person × course matrices', () => {
  it('give every active person a cell per policy: the day acknowledged, or Missing', () => {
    const m = ackMatrix(new PackContext(fixtureInput()));
    expect(m.columns).toEqual(['Person', 'Team', 'Acceptable use v1.0']);
    expect(m.rows.map((r) => [r[0], r[2]])).toEqual([
      ['Ada Lovelace, "Countess"', '2026-03-03'],
      ['Łukasz Żółkiewski', 'Missing'],
      // The first acknowledgement of the current version and text (a year before the period).
      ['Zoë Ångström', '2025-01-01'],
      ['=HYPERLINK("x")', '2026-03-02'],
      ['李小龍', '2026-03-01'],
    ]);
  });

  it('give every person a cell per course: completion day, Missing, or when it expired', () => {
    const input = fixtureInput({ today: '2027-06-15', period: { from: '2026-06-16', to: '2027-06-15' } });
    const m = trainingMatrix(new PackContext(input));
    const cell = (name: string) => m.rows.find((r) => r[0] === name)?.[2];
    expect(cell('Zoë Ångström')).toBe('Expired 2027-06-01');
    expect(cell('李小龍')).toBe('Expiring 2027-07-01');
    expect(cell('Ada Lovelace, "Countess"')).toBe('Missing');
    expect(trainingMatrix(new PackContext(fixtureInput())).rows.find((r) => r[0] === '李小龍')?.[2]).toBe('2026-07-01');
  });

  it('draws a wide matrix in bands of ten columns with the person repeated, and the logs cut with where the rest is', async () => {
    const input = fixtureInput();
    for (let i = 0; i < 13; i++) {
      const id = `pol-${i}`;
      input.registers['policies']!.records[id] = { title: `Rule ${String(i).padStart(2, '0')}`, ownerId: 'p-zoe', everyone: true, nextReviewDate: '2027-06-01', archived: false, createdAt: '2026-01-01T09:00:00.000Z', createdBy: 'Zoë' };
      input.registers['policies']!.entries[`pub-${id}`] = { id: `pub-${id}`, kind: 'publication', policyId: id, version: '2.0', text: 'x', textSha256: 'b'.repeat(64), approvedBy: 'CEO', approvedOn: '2026-01-05', publishedAt: '2026-01-05T10:00:00.000Z', byName: 'Zoë', deviceId: 'device-a' };
    }
    const files = unzipSync((await buildPack(input)).zip);
    const text = pdfText(files['report.pdf']!).replace(/\s+/g, ' ');
    expect(text).toContain('Every person × policy: day the current version was acknowledged: columns 1–10 of 14');
    expect(text).toContain('Every person × policy: day the current version was acknowledged: columns 11–14 of 14');
    // Łukasz appears once per band, and in the CSV with every column.
    expect(text.match(/Łukasz Żółkiewski Ops Missing/g)?.length ?? text.match(/Lukasz Zólkiewski Ops Missing/g)?.length).toBe(2);
    expect(new TextDecoder().decode(files['csv/acknowledgements-matrix.csv']!).split('\n')[0]).toContain('Rule 12 v2.0');
  });
});
