import * as Y from 'yjs';
import { signMembershipEntry } from '../../src/crypto/membership.ts';
import { generateSigningKeyPair, type SigningAlg, signingKeyId } from '../../src/crypto/signing.ts';
import { membershipDraft, membershipId } from '../../src/domain/membership.ts';
import { rights } from '../../src/registers/checklists/rights.ts';
import { judgeDoc, readMembershipLog, signPending } from '../../src/store/evidence-signer.ts';
import { createRecord } from '../../src/store/records.ts';
import { appendSignOff } from '../../src/store/signoffs.ts';

/*
 * `node --import tsx test/bench/evidence-bench.ts` (also in run.ts): signing
 * 10,000 evidence entries on one device's chain (the back-fill of a migrated
 * workspace) and verifying + judging 10,000 (what every device does when a
 * register document arrives), per algorithm. One sample each; stops by itself.
 */
export interface EvidenceBenchRow {
  alg: SigningAlg;
  entries: number;
  signMs: number;
  judgeMs: number;
  counted: number;
}

export async function runEvidenceBench(n = 10_000): Promise<EvidenceBenchRow[]> {
  const rows: EvidenceBenchRow[] = [];
  for (const alg of ['Ed25519', 'ES256'] as const) {
    const pair = await generateSigningKeyPair(alg);
    const key = { privateKey: pair.privateKey, alg: pair.alg, keyId: signingKeyId(pair) };
    const members = new Y.Doc();
    const genesis = await signMembershipEntry(membershipDraft({ type: 'genesis', device: { deviceId: 'd1', signKey: pair.publicKey, alg }, name: 'Olu Owner' }, { workspace: 'ws', tips: [], by: key.keyId }), key);
    members.getMap('membership').set(membershipId(genesis), genesis);
    const log = await readMembershipLog(members, 'ws');
    const doc = new Y.Doc();
    for (let i = 0; i < n / 10; i++) createRecord(doc, `c${i}`, { team: 'Finance', month: '2026-11' });
    doc.transact(() => {
      for (let i = 0; i < n; i++) appendSignOff(doc, `c${i % (n / 10)}`, 'snap', { name: 'Olu Owner', deviceId: 'd1' }, `n${i}`);
    });
    let t = performance.now();
    const signed = await signPending('checklists', doc, 'd1', key, log);
    const signMs = performance.now() - t;
    if (signed !== n) throw new Error(`signed ${signed} of ${n}`);
    // A second device: a fresh copy, so nothing is memoised.
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
    t = performance.now();
    const verdicts = await judgeDoc('checklists', other, log, rights, { person: () => undefined, record: (id) => other.getMap<Y.Map<unknown>>('records').get(id)?.toJSON() }, 'd2');
    const judgeMs = performance.now() - t;
    rows.push({ alg, entries: n, signMs, judgeMs, counted: [...verdicts.values()].filter((v) => v.ok).length });
  }
  return rows;
}

export function evidenceBenchTable(rows: readonly EvidenceBenchRow[]): string {
  const out = ['| evidence signatures (Node, WebCrypto) | entries | sign (back-fill) | verify + judge | counted |', '|---|---:|---:|---:|---:|'];
  for (const r of rows) out.push(`| ${r.alg} | ${r.entries.toLocaleString('en')} | ${Math.round(r.signMs)} ms | ${Math.round(r.judgeMs)} ms | ${r.counted.toLocaleString('en')} |`);
  return out.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(evidenceBenchTable(await runEvidenceBench()));
