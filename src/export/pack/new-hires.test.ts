import { describe, expect, it } from 'vitest';
import { pdfText } from '../../../test/pdftext';
import { buildPack, buildSectionPdf } from './build';
import { PackReads as PackContext } from './context';
import { newHireRows, newHiresPack } from './new-hires';
import { fixtureInput } from './test-fixture';
import type { PackInput } from '../../evidence/types';
import { strFromU8, unzipSync } from 'fflate';

/** The fixture plus three people who started in the period: a CEO with nothing done, an engineer with everything, a contractor whose contract expired. */
function withHires(): PackInput {
  const input = fixtureInput();
  const people = input.registers['people']!.records;
  people['p-ceo'] = { name: 'Morgan Chief', email: '', team: 'Ops', jobTitle: 'Chief Executive Officer', startDate: '2026-09-01', managerId: '', archived: false };
  people['p-new'] = { name: 'Nia New', email: '', team: 'Sales', jobTitle: 'Engineer', startDate: '2026-05-01', managerId: '', archived: false };
  people['p-con'] = { name: 'Cal Contractor', email: '', team: 'Ops', jobTitle: 'Contractor', startDate: '2026-04-01', managerId: '', archived: false };
  const ag = input.registers['agreements']!.records;
  const agreement = (person: string, extra: Record<string, unknown>) => ({ partyPersonId: person, partyName: '', type: 'employment', signedOn: '2026-04-20', expiresOn: '', securityClauses: true, policyRefs: '', documentRef: '', notes: '', archived: false, createdAt: '2026-04-20T00:00:00.000Z', createdBy: 'HR', ...extra });
  ag['ag-new'] = agreement('p-new', {});
  ag['ag-con'] = agreement('p-con', { type: 'contractor', expiresOn: '2026-10-31', securityClauses: false });
  const acks = input.registers['acknowledgements']!.entries;
  acks['ack-new'] = { id: 'ack-new', kind: 'acknowledgement', personId: 'p-new', policyId: 'pol-aup', version: '1.0', textSha256: 'a'.repeat(64), typedName: 'Nia New', at: '2026-05-02T10:00:00.000Z', deviceId: 'device-a', byName: 'Nia New' };
  const training = input.registers['training']!.entries;
  training['tc-new'] = { id: 'tc-new', kind: 'completion', personId: 'p-new', courseId: 'course-aw', completedOn: '2026-05-03', provider: 'In-house', evidence: '', expiresOn: '2027-05-03', source: '', byName: 'Zoë', at: '2026-05-03T12:00:00.000Z', deviceId: 'device-a' };
  return input;
}

describe('new hires in the evidence pack', () => {
  it('checks agreement, each policy at its current version and initial training for everyone who started in the period, naming the gaps', () => {
    const rows = newHireRows(new PackContext(withHires()));
    expect(rows.map((r) => r.person.name)).toEqual(['Cal Contractor', 'Nia New', 'Morgan Chief']);
    const [con, nia, ceo] = rows;
    expect(nia!.gaps).toEqual([]);
    expect(ceo!.gaps).toEqual(['No employment or contractor agreement on file', 'No policy acknowledged (0 of 1): Acceptable use v1.0', 'No initial training done (0 of 1): Annual security awareness']);
    expect(con!.gaps).toEqual(['Contractor agreement expired on 31 Oct 2026', 'Contractor agreement without security clauses', 'No policy acknowledged (0 of 1): Acceptable use v1.0', 'No initial training done (0 of 1): Annual security awareness']);
    // People who started before the period are not new hires.
    expect(rows.some((r) => r.person.name === 'Zoë Ångström')).toBe(false);
  });

  it('gives them their own section and a row of the summary, executives named', async () => {
    const { zip } = await buildPack(withHires());
    const files = unzipSync(zip);
    const text = pdfText(files['report.pdf']!).replace(/\s+/g, ' ');
    expect(text).toContain('New hires: agreement, policies and initial training');
    expect(text).toContain('3 people started in the period, executives included: 1 with a signed agreement');
    expect(text).toContain('Neither a policy acknowledged nor any training done: Cal Contractor (Contractor, Ops); Morgan Chief (Chief Executive Officer, Ops).');
    expect(strFromU8(files['csv/new-hires.csv']!)).toContain('Morgan Chief');
    const section = pdfText((await buildSectionPdf(withHires(), 'new-hires')).bytes).replace(/\s+/g, ' ');
    expect(section).toContain('No employment or contractor agreement on file');
  });

  it('says so when nobody started in the period', () => {
    const section = newHiresPack.build(new PackContext(fixtureInput()));
    expect(section.intro).toEqual(['Nobody in the teams in scope started in the period (by the start date in People).']);
    expect(section.summary[0]!.gaps).toEqual([]);
  });
});
