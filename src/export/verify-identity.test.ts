import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSamplePack } from '../../test/fixtures/evidence-pack';
import { pdfText } from '../../test/pdftext';
import { fingerprintWords, signingKeyId } from '../crypto/signing';
import { chainEntry } from '../domain/evidence-log';
import { membershipId } from '../domain/membership';
import { sha256HexSync } from '../domain/sha256';
import type { PackInput } from '../evidence/types';
import { buildPack } from './pack/build';
import { ACME_DEVICES, acmeWorkspace, signedWorkspace, signInput, type SignedWorkspace, withForgedSignOff, withOwnSignOff } from './pack/signed-fixture';
import { fixtureInput } from './pack/test-fixture';
import { reportLines, verifyPack as verifyWith } from './verify';
import { VERIFY_OPTIONS } from './rights';

/** As the Verify screen does: with every register's rules. */
const verifyPack = (zip: Uint8Array) => verifyWith(zip, VERIFY_OPTIONS);
import { BEFORE_SIGNING, NO_LOG } from './verify-identity';

/*
 * The pack's signed identity, with hand-made packs (real keys, the real
 * builder): who signed each entry in words, and every way to remove or
 * change a signature or a membership entry after the export.
 */

type Files = Record<string, Uint8Array>;
const json = (files: Files, name: string) => JSON.parse(strFromU8(files[name]!)) as Record<string, any>;

/** Rewrites identity.json and, as a careful tamperer would, its checksum in the manifest (the pins stay). */
function tamperIdentity(zip: Uint8Array, edit: (identity: Record<string, any>) => void): Uint8Array {
  const files = unzipSync(zip);
  const identity = json(files, 'identity.json');
  edit(identity);
  const bytes = strToU8(JSON.stringify(identity));
  const manifest = json(files, 'manifest.json');
  manifest['files']['identity.json'] = { sha256: sha256HexSync(bytes), bytes: bytes.length };
  return zipSync({ ...files, 'identity.json': bytes, 'manifest.json': strToU8(JSON.stringify(manifest)) });
}


let ws: SignedWorkspace;
let input: PackInput;
let zip: Uint8Array;

beforeAll(async () => {
  ws = await acmeWorkspace();
  input = await signInput(fixtureInput(), ws);
  zip = (await buildPack(input)).zip;
}, 60_000);

const keyOf = (deviceId: string) => signingKeyId(ws.keys.get(deviceId)!);

describe('a signed pack', () => {
  it('carries the whole membership log and every signature, pinned by the manifest, and says who signed in words', async () => {
    const files = unzipSync(zip);
    const identity = json(files, 'identity.json');
    expect(identity['membership']).toHaveLength(4);
    expect(identity['root']).toBe(keyOf('device-a'));
    expect(Object.keys(identity['sigs']['acknowledgements']).sort()).toEqual(['ack-1', 'ack-2', 'ack-3', 'ack-4', 'ack-old']);
    const manifest = json(files, 'manifest.json');
    expect(manifest['identity']).toMatchObject({ file: 'identity.json', workspace: 'ws-acme', root: keyOf('device-a'), membership: { ids: ws.log.map(membershipId).sort() } });

    const r = await verifyPack(zip);
    expect(r.problems).toEqual([]);
    expect(r.ok).toBe(true);
    const id = r.identity!;
    expect(id.state).toBe('signed');
    expect(id.rootFingerprint).toBe(fingerprintWords(keyOf('device-a')));
    expect(id.membership).toEqual({ valid: 4, refused: [] });
    // 4 acknowledgements, 1 publication, 3 completions, 2 sign-offs, 1 approval; 2 stubs (an old acknowledgement, the sealed entry).
    expect(id.counts).toEqual({ signed: 11, vouched: 0, flagged: 0, unsigned: 0, outside: 2 });
    const zoe = `Zoë Ångström’s device (key ${fingerprintWords(keyOf('device-a')).split(' ').slice(0, 4).join(' ')}), an owner since 1 Jan 2026`;
    expect(id.signers.map((g) => g.signer)).toEqual([zoe, `Łukasz Żółkiewski’s device (key ${fingerprintWords(keyOf('device-b')).split(' ').slice(0, 4).join(' ')}), a manager since 2 Jan 2026`]);
    expect(id.signers[0]).toMatchObject({ signed: 10, registers: 'Acknowledgements 4, Training 3, Checklists 1, Policies 1, Resources 1' });
    const lines = reportLines(r);
    expect(lines[1]).toBe(`Root owner key: ${fingerprintWords(keyOf('device-a'))} (Zoë Ångström’s device (key ${fingerprintWords(keyOf('device-a')).split(' ').slice(0, 4).join(' ')}))`);
    expect(lines).toContain('Signatures: 11 entries signed and allowed, 0 vouched for at migration, 0 flagged, 0 unsigned; 2 signatures of entries outside the period or scope checked.');
    expect(lines).toContain(`  ${zoe}: signed 10 entries (Acknowledgements 4, Training 3, Checklists 1, Policies 1, Resources 1)`);
    expect(r.headline).toBe(`Intact: ${r.files.length} files, 11 entries checked, 11 signatures checked.`);
  });

  it('prints the root owner key’s fingerprint on the report’s cover', () => {
    const cover = pdfText(unzipSync(zip)['report.pdf']!).split('\f')[0]!.replace(/\s+/g, ' ');
    expect(cover).toContain(`Root owner key fingerprint (Zoë Ångström’s device, which created the signed membership log) ${fingerprintWords(keyOf('device-a'))}`);
  });

  it('fails when a signature was changed, even with identity.json’s checksum rewritten', async () => {
    const sig = (json(unzipSync(zip), 'identity.json')['sigs']['training']['tc-2'] as { sig: string }).sig;
    const flipped = `${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`;
    const r = await verifyPack(tamperIdentity(zip, (i) => (i['sigs']['training']['tc-2']['sig'] = flipped)));
    expect(r.ok).toBe(false);
    expect(r.files.every((f) => f.ok)).toBe(true);
    expect(r.problems).toEqual([
      'Training: the signatures in identity.json do not match the manifest (3 recorded, 3 in the pack): a signature changed after the pack was made.',
      expect.stringMatching(/^The completion tc-2 in Training \(1 Jun 2026\): its signature does not verify \(the entry or its signature was changed after it was signed\)\.$/),
    ]);
  });

  it('fails when the manifest’s pins were rewritten too: the changed signature itself does not verify', async () => {
    const files = unzipSync(zip);
    const identity = json(files, 'identity.json');
    identity['sigs']['checklists']['so-1']['at'] = '2026-12-01T00:00:00.000Z';
    const { pinOf } = await import('./pack/identity');
    const bytes = strToU8(JSON.stringify(identity));
    const manifest = json(files, 'manifest.json');
    manifest['identity'] = pinOf(identity as never);
    manifest['files']['identity.json'] = { sha256: sha256HexSync(bytes), bytes: bytes.length };
    const r = await verifyPack(zipSync({ ...files, 'identity.json': bytes, 'manifest.json': strToU8(JSON.stringify(manifest)) }));
    expect(r.ok).toBe(false);
    expect(r.problems).toEqual([expect.stringContaining('The signoff so-1 in Checklists'.replace('signoff', 'sign-off'))]);
    expect(r.problems[0]).toContain('its signature does not verify');
  });

  it('fails when a signature was removed', async () => {
    const r = await verifyPack(tamperIdentity(zip, (i) => delete i['sigs']['acknowledgements']['ack-3']));
    expect(r.ok).toBe(false);
    expect(r.problems).toEqual(['Acknowledgements: the signatures in identity.json do not match the manifest (5 recorded, 4 in the pack): 1 signature removed after the pack was made.']);
    expect(r.identity!.counts.unsigned).toBe(1);
  });

  it('fails when a membership entry was removed from the pack, naming it', async () => {
    const grant = membershipId(ws.log[1]!);
    const r = await verifyPack(tamperIdentity(zip, (i) => (i['membership'] = (i['membership'] as object[]).filter((e) => membershipId(e as never) !== grant))));
    expect(r.ok).toBe(false);
    expect(r.problems[0]).toBe(`Membership entry ${grant.slice(0, 12)}… is missing from identity.json: it was removed after the pack was made.`);
    // Łukasz's entry is then signed by a key the log does not hold, and Zoë's name a log state the pack lacks: all flagged, and said so.
    expect(r.identity!.flagged).toHaveLength(13);
    expect(r.identity!.flagged).toContain(`The sign-off so-2 in Briefings “Ops 2026-10-15” (15 Oct 2026): it is signed by a key (${fingerprintWords(keyOf('device-b')).split(' ').slice(0, 4).join(' ')}) that the membership log does not hold.`);
    expect(r.identity!.flagged[0]).toBe(`The acknowledgement ack-1 in Acknowledgements (1 Feb 2026) is signed by Zoë Ångström’s device (key ${fingerprintWords(keyOf('device-a')).split(' ').slice(0, 4).join(' ')}), not a member when it signed; it is signed by a key that was not a member of the workspace at the time.`);
  });

  it('fails when the root owner’s first entry was removed and the pins rewritten', async () => {
    const files = unzipSync(zip);
    const identity = json(files, 'identity.json');
    identity['membership'] = (identity['membership'] as Array<{ type: string }>).filter((e) => e.type !== 'genesis');
    const { pinOf } = await import('./pack/identity');
    const bytes = strToU8(JSON.stringify(identity));
    const manifest = json(files, 'manifest.json');
    manifest['identity'] = pinOf(identity as never);
    manifest['files']['identity.json'] = { sha256: sha256HexSync(bytes), bytes: bytes.length };
    const r = await verifyPack(zipSync({ ...files, 'identity.json': bytes, 'manifest.json': strToU8(JSON.stringify(manifest)) }));
    expect(r.ok).toBe(false);
    expect(r.problems).toContain('The membership log has no valid first entry by the root owner key the manifest names: its first entry was removed or altered.');
  });

  it('flags an entry on one device’s chain signed by another device’s key', async () => {
    // Li's (staff) device signs a checklist sign-off written on Zoë's chain (a forged owner's sign-off).
    const forgedInput = await withForgedSignOff(input, ws, { victim: 'device-a', forger: 'device-c', recordId: 'cl-ops-oct', at: '2026-10-21T15:00:00.000Z' });
    const r = await verifyPack((await buildPack(forgedInput)).zip);
    // Flagged, not failed: the pack is what the workspace held (the log notes a fork: two seq-1 entries on device-a's checklist chain).
    expect(r.problems).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.summary).toContain('1 entry flagged: signed by a device without the right, not counted');
    expect(r.identity!.flagged).toEqual([expect.stringMatching(/^The sign-off so-forged in Checklists “Ops 2026-10” \(21 Oct 2026\) is signed by 李小龍’s device \(key [0-9a-f ]+\), a member of staff since 2 Jan 2026; it was written on another device’s chain, so only that device can sign it\.$/)]);
  });
});

describe('rights at the time (sign17’s judge and the registers’ rules)', () => {
  it('flags a chair approval a member of staff signed on their own device, with the sentence; no other entry changes', async () => {
    const forged = await withOwnSignOff(input, ws, { register: 'reviews', by: 'device-c', recordId: 'rev-1', at: '2026-10-02T10:00:00.000Z' });
    const r = await verifyPack((await buildPack(forged)).zip);
    expect(r.problems).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.identity!.flagged).toEqual([
      `The sign-off so-device-c in Reviews “2026-10-01” (2 Oct 2026) is signed by 李小龍’s device (key ${fingerprintWords(keyOf('device-c')).split(' ').slice(0, 4).join(' ')}), a member of staff since 2 Jan 2026; a review approval needs the chair’s device (Zoë Ångström).`,
    ]);
    expect(r.identity!.counts).toEqual({ signed: 11, vouched: 0, flagged: 1, unsigned: 0, outside: 2 });
  });

  it('flags a checklist sign-off by a member of staff, and one by a manager of another team', async () => {
    const w = await signedWorkspace('ws-acme', [...ACME_DEVICES, { deviceId: 'device-e', name: 'Eq Sales', personId: 'p-eq', role: 'manager' }]);
    await w.append({ type: 'officer', personId: 'p-zoe', designated: true }, 'device-a');
    let forged = await signInput(fixtureInput(), w);
    forged = await withOwnSignOff(forged, w, { register: 'checklists', by: 'device-c', recordId: 'cl-ops-oct', at: '2026-10-22T10:00:00.000Z' });
    forged = await withOwnSignOff(forged, w, { register: 'checklists', by: 'device-e', recordId: 'cl-ops-oct', at: '2026-10-23T10:00:00.000Z' });
    const r = await verifyPack((await buildPack(forged)).zip);
    expect(r.ok).toBe(true);
    expect(r.identity!.flagged).toEqual([
      expect.stringMatching(/^The sign-off so-device-c in Checklists “Ops 2026-10” \(22 Oct 2026\) is signed by 李小龍’s device \(key [0-9a-f ]+\), a member of staff since 2 Jan 2026; a checklist sign-off for Ops needs a manager of Ops or an owner\.$/),
      expect.stringMatching(/^The sign-off so-device-e in Checklists “Ops 2026-10” \(23 Oct 2026\) is signed by Eq Sales’s device \(key [0-9a-f ]+\), a manager since 2 Jan 2026; a checklist sign-off for Ops needs a manager of Ops or an owner\.$/),
    ]);
  });

  it('judges a sealed disciplinary stub by its one rule: a designated officer’s device', async () => {
    const w = await signedWorkspace('ws-acme', ACME_DEVICES); // nobody designated
    const r = await verifyPack((await buildPack(await signInput(fixtureInput(), w))).zip);
    expect(r.ok).toBe(true);
    expect(r.identity!.flagged).toEqual([
      `The entry d-1 in Disciplinary (outside the pack’s period or scope) is signed by Zoë Ångström’s device (key ${fingerprintWords(signingKeyId(w.keys.get('device-a')!)).split(' ').slice(0, 4).join(' ')}), an owner since 1 Jan 2026; a disciplinary entry needs a designated disciplinary officer’s device.`,
    ]);
    expect(r.identity!.counts.outside).toBe(1);
  });
});

describe('membership in a pack', () => {
  it('refuses a log entry a removed device signed after its removal, and says so; the pack is intact', async () => {
    const w = await signedWorkspace('ws-acme', [...ACME_DEVICES, { deviceId: 'device-d', name: 'Mia Manager', personId: 'p-mia', role: 'manager' }]);
    await w.append({ type: 'remove', deviceId: 'device-d', reason: 'phone lost' }, 'device-a', '2026-03-01T09:00:00.000Z');
    // The removed phone, having seen its removal, still grants a new staff device.
    const { generateSigningKeyPair } = await import('../crypto/signing');
    const stranger = await generateSigningKeyPair();
    await w.append({ type: 'grant', device: { deviceId: 'device-x', signKey: stranger.publicKey, alg: stranger.alg }, name: 'Stranger', role: 'staff' }, 'device-d', '2026-03-02T09:00:00.000Z');
    const r = await verifyPack((await buildPack(await signInput(fixtureInput(), w))).zip);
    expect(r.problems).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.identity!.membership.valid).toBe(5);
    expect(r.identity!.membership.refused).toEqual([`The grant entry of 2 Mar 2026 signed by Mia Manager’s device (key ${fingerprintWords(signingKeyId(w.keys.get('device-d')!)).split(' ').slice(0, 4).join(' ')}) is refused: its signer had been removed.`]);
    expect(reportLines(r)).toContain('Membership log: 5 entries valid, 1 refused.');
  });
});

describe('packs without signatures', () => {
  it('a pack made before signed identity still verifies, and says it is not signed', async () => {
    const r = await verifyPack(buildSamplePack());
    expect(r.ok).toBe(true);
    expect(r.identity!.state).toBe('before');
    expect(reportLines(r)).toContain(BEFORE_SIGNING);
    expect(r.summary).toContain('not signed (made before signed identity)');
  });

  it('a pack of a workspace with no signed log yet verifies, and says so', async () => {
    const r = await verifyPack((await buildPack(fixtureInput())).zip);
    expect(r.ok).toBe(true);
    expect(r.identity!.state).toBe('no-log');
    expect(reportLines(r)).toContain(NO_LOG);
  });
});

describe('the signed digest', () => {
  it('from an entry’s chain hash is the one evidenceSigDigest makes from the entry', async () => {
    const { evidenceSigDigest } = await import('../domain/evidence-sigs');
    const { digestOfHash } = await import('./verify-identity');
    const entry = input.registers['training']!.entries['tc-1'] as { chain: { hash: string } };
    const sig = input.registers['training']!.sigs!['tc-1'] as never;
    expect(digestOfHash('training', entry.chain.hash, sig)).toBe(evidenceSigDigest('training', entry, sig));
  });
});

describe('other keys and vouches', () => {
  it('a workspace of ES256 keys (browsers without Ed25519) verifies the same', async () => {
    const es = await acmeWorkspace('ES256');
    const r = await verifyPack((await buildPack(await signInput(fixtureInput(), es))).zip);
    expect(r.problems).toEqual([]);
    expect(r.identity!.counts).toEqual({ signed: 11, vouched: 0, flagged: 0, unsigned: 0, outside: 2 });
  });

  it('an owner’s vouch for a gone device’s entry counts as vouched; a vouch by staff is flagged', async () => {
    const training = input.registers['training']!;
    const gone = chainEntry({ id: 'tc-gone', kind: 'completion', personId: 'p-li', courseId: 'course-aw', completedOn: '2026-08-01', at: '2026-08-01T12:00:00.000Z', deviceId: 'device-gone' }, 'device-gone', undefined);
    const byStaff = chainEntry({ id: 'tc-gone-2', kind: 'completion', personId: 'p-eq', courseId: 'course-aw', completedOn: '2026-08-02', at: '2026-08-02T12:00:00.000Z', deviceId: 'device-gone' }, 'device-gone', { seq: gone.chain.seq, hash: gone.chain.hash });
    const sigs = { ...training.sigs, 'tc-gone': await ws.sign('training', gone, 'device-a', { vouch: true }), 'tc-gone-2': await ws.sign('training', byStaff, 'device-c', { vouch: true }) };
    const r = await verifyPack((await buildPack({ ...input, registers: { ...input.registers, training: { ...training, entries: { ...training.entries, 'tc-gone': gone, 'tc-gone-2': byStaff }, sigs } } })).zip);
    expect(r.problems).toEqual([]);
    expect(r.identity!.counts).toMatchObject({ signed: 11, vouched: 1, flagged: 1 });
    expect(r.identity!.signers[0]).toMatchObject({ signed: 10, vouched: 1 });
    expect(r.identity!.flagged).toEqual([expect.stringMatching(/^The completion tc-gone-2 in Training \(2 Aug 2026\) is signed by 李小龍’s device \(key [0-9a-f ]+\), a member of staff since 2 Jan 2026; only an owner can vouch for another device’s entry\.$/)]);
    expect(reportLines(r)).toContain('Signatures: 11 entries signed and allowed, 1 vouched for at migration, 1 flagged, 0 unsigned; 2 signatures of entries outside the period or scope checked.');
  });

  it('fails when a membership entry was added to the pack after it was made', async () => {
    const { generateSigningKeyPair } = await import('../crypto/signing');
    const { signMembershipEntry } = await import('../crypto/membership');
    const { membershipDraft } = await import('../domain/membership');
    const k = await generateSigningKeyPair();
    // Someone with a key of their own writes a second "first owner" entry into the copy of the pack.
    const genesis = await signMembershipEntry(membershipDraft({ type: 'genesis', device: { deviceId: 'evil', signKey: k.publicKey, alg: k.alg }, name: 'Mallory' }, { workspace: 'ws-acme', tips: [], by: signingKeyId(k) }), k);
    const r = await verifyPack(tamperIdentity(zip, (i) => (i['membership'] as unknown[]).push(genesis)));
    expect(r.ok).toBe(false);
    expect(r.problems).toEqual([`Membership entry ${membershipId(genesis).slice(0, 12)}… is in identity.json but not in the manifest: it was added after the pack was made.`]);
    expect(r.identity!.membership.refused).toEqual([expect.stringContaining('is refused: it is not the root owner this device trusts')]);
  });
});
