import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { pdfText } from '../../../test/pdftext';
import { buildPack } from '../../export/pack/build';
import { PackReads as PackContext } from '../../export/pack/context';
import { fixtureInput, OPENED_DISCIPLINARY } from '../../export/pack/test-fixture';
import { pack } from './pack';

const summaryOf = (input: Parameters<typeof fixtureInput>[0]) => pack.build(new PackContext(fixtureInput(input))).summary[0]!;

describe('disciplinary section of the pack', () => {
  it('says on the summary line, plainly, that the log was not read and what to do, by why', () => {
    const notOfficer = summaryOf({ disciplinaryAccess: { officer: false, waitingForKey: 0, unreadable: 0 } });
    expect(notOfficer.figures).toContain('Log NOT read: 1 sealed entry not counted');
    expect(notOfficer.gaps).toEqual([
      "Confidential log not read on the exporting device, so its decisions are not counted: the person exporting is not a designated disciplinary officer. Export the pack from a designated officer's device (see More → Disciplinary → Officers).",
    ]);
    const noKey = summaryOf({ disciplinaryAccess: { officer: true, waitingForKey: 1, unreadable: 0 } });
    expect(noKey.gaps[0]).toMatch(/this officer's device does not hold the log's key yet\. Open More → Disciplinary on another officer's device/);
    // An older client that sent nothing: still not "in place".
    expect(summaryOf({}).gaps[0]).toMatch(/could not be opened on this device\. Export the pack from a designated officer's device\./);
  });

  it('counts what the officer\'s device opened, and says how many entries it could not', () => {
    const s = summaryOf({ disciplinaryOpened: OPENED_DISCIPLINARY, disciplinaryAccess: { officer: true, waitingForKey: 2, unreadable: 1 } });
    expect(s.figures).toEqual(expect.arrayContaining(['1 decision in the period: Accidental error 1', '3 sealed entries not counted']));
    expect(s.gaps).toEqual([expect.stringMatching(/^Confidential log: 3 sealed entries not counted: 2 waiting for the key on this device .*; 1 that could not be opened \(damaged\)$/)]);
    expect(summaryOf({ disciplinaryOpened: OPENED_DISCIPLINARY, disciplinaryAccess: { officer: true, waitingForKey: 0, unreadable: 0 } }).gaps).toEqual([]);
  });

  it('shows the reason in the summary table of report.pdf, with the status Gaps, not In place', async () => {
    const text = pdfText(unzipSync((await buildPack(fixtureInput({ disciplinaryAccess: { officer: false, waitingForKey: 0, unreadable: 0 } }))).zip)['report.pdf']!).replace(/\s+/g, ' ');
    expect(text).toMatch(/Disciplinary process Gaps .*Log NOT read: 1 sealed entry not counted/);
    expect(text).toContain('the person exporting is not a designated disciplinary officer');
  });
});
