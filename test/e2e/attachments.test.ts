import { createHash, hkdfSync } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import zlib from 'node:zlib';
import Database from 'better-sqlite3';
import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { unzipSync } from 'fflate';
import { verifyPack } from '../../src/export/verify.ts';
import { sealKeyOf } from '../../src/sync/seal.ts';
import { openBlob, sealBlob } from '../../src/sync/seal-blob.ts';
import { cleanup, type RelayProcess, tmpDir } from '../integration/harness.ts';
import {
  addPerson,
  closeAll,
  createWorkspace,
  currentWorkspaceId,
  dismissOfflineReady,
  download,
  errorsOf,
  goHash,
  joinLinkOf,
  confirmDevices,
  joinWorkspace,
  launchBrowser,
  newPhone,
  poll,
  readStored,
  screenshot,
  startBriefing,
  startRelay,
  textOf,
  visible,
  waitSyncStatus,
} from './browser.ts';

/*
 * Attachments on phones: a whiteboard photo taken offline is shrunk and kept
 * on the device, uploads when the network is back, and a second device
 * downloads it; an oversize PDF is refused before anything is stored.
 */

let browser: Browser | undefined;
let relay: RelayProcess;
const relayDir = tmpDir('muster-e2e-');
let a: { context: BrowserContext; page: Page };
let b: { context: BrowserContext; page: Page } | undefined;

beforeAll(async () => {
  relay = await startRelay(relayDir);
  browser = await launchBrowser();
  a = await newPhone(browser);
});

afterAll(async () => {
  await closeAll(b?.context, a?.context, browser);
  await cleanup();
});

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** A 3000×2000 PNG "whiteboard" photo: off-white with sensor noise and coloured bars, written with zlib only. */
function whiteboardPng(width = 3000, height = 2000): Buffer {
  const row = width * 3 + 1;
  const raw = Buffer.alloc(row * height);
  let x = 0x9e3779b9; // xorshift32
  for (let i = 0; i < raw.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    raw[i] = 0xe8 + ((x >>> 24) & 0x0f);
  }
  for (let y = 0; y < height; y++) {
    raw[y * row] = 0; // filter: none
    const band = Math.floor(y / 250);
    for (let x = 0; x < width; x++) {
      const o = y * row + 1 + x * 3;
      const marker = band % 2 === 1 && x > 200 && x < 200 + ((band * 397) % 2400) + 300;
      const frame = x < 40 || x >= width - 40 || y < 40 || y >= height - 40;
      if (frame) raw.fill(0x40, o, o + 3);
      else if (marker) {
        raw[o] = band % 4 === 1 ? 0x1f : 0xc0;
        raw[o + 1] = 0x4e;
        raw[o + 2] = band % 4 === 1 ? 0x79 : 0x30;
      }
    }
  }
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/** The relay credential, derived here from the secret the device holds, as src/sync/auth.ts does. */
async function credentialOf(page: Page): Promise<{ workspaceId: string; token: string; contentKey: string }> {
  const workspaceId = await currentWorkspaceId(page);
  const { secret, contentKey } = await page.evaluate(
    (id) =>
      new Promise<{ secret: string; contentKey: string }>((resolve, reject) => {
        const r = indexedDB.open('muster-device');
        r.onerror = () => reject(r.error);
        r.onsuccess = () => {
          const get = r.result.transaction('workspaces').objectStore('workspaces').get(id);
          get.onsuccess = () => {
            resolve(get.result as { secret: string; contentKey: string });
            r.result.close();
          };
          get.onerror = () => reject(get.error);
        };
      }),
    workspaceId,
  );
  const key = hkdfSync('sha256', Buffer.from(secret, 'base64url'), Buffer.from('muster/relay'), Buffer.from(`muster relay auth v1 ${workspaceId}`), 32);
  return { workspaceId, token: Buffer.from(key).toString('base64url'), contentKey };
}

/** What Dexie holds in `blobs` on this device, with the pixel size of pictures (decoded in the page). */
async function storedBlobs(page: Page) {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open('muster-device');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const rows = await new Promise<Array<{ hash: string; type: string; size: number; uploaded: number; workspaceId: string; bytes: Uint8Array }>>((resolve, reject) => {
      const q = db.transaction('blobs').objectStore('blobs').getAll();
      q.onsuccess = () => resolve(q.result);
      q.onerror = () => reject(q.error);
    });
    db.close();
    const out = [];
    for (const r of rows) {
      let width = 0;
      let height = 0;
      if (r.type.startsWith('image/')) {
        const bitmap = await createImageBitmap(new Blob([r.bytes as Uint8Array<ArrayBuffer>], { type: r.type }));
        ({ width, height } = bitmap);
        bitmap.close();
      }
      out.push({ hash: r.hash, type: r.type, size: r.size, uploaded: r.uploaded, workspaceId: r.workspaceId, width, height, bytes: Array.from(r.bytes) });
    }
    return out;
  });
}

/**
 * What the relay holds of a blob. Over HTTP a signed workspace's relay answers only a proven device (the app's
 * phones send their proof; server/admission.ts): the test, holding the secret alone, is refused, so it reads the
 * relay's store directly.
 */
async function relayGet(workspaceId: string, hash: string, token: string) {
  const res = await fetch(`${relay.url}/blobs/${workspaceId}/${hash}`, { headers: { Authorization: `Bearer ${token}` } });
  expect([res.status, ((await res.json()) as { error?: string }).error]).toEqual([401, 'device proof required']);
  // The relay holds its database with an exclusive lock: an online copy through its control socket (server/control.ts).
  const answer = await new Promise<{ ok: boolean; file?: string; error?: string }>((resolve, reject) => {
    const sock = net.connect(path.join(relayDir, 'control.sock'));
    let text = '';
    sock.on('data', (d) => (text += d.toString('utf8')));
    sock.on('end', () => resolve(JSON.parse(text.split('\n', 1)[0]!) as { ok: boolean; file?: string }));
    sock.on('error', reject);
    sock.write('{"op":"backup"}\n');
  });
  if (!answer.ok || !answer.file) throw new Error(`relay backup failed: ${answer.error}`);
  const db = new Database(answer.file, { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare<[string, string], { type: string; data: Buffer }>('SELECT type, data FROM blobs WHERE workspace = ? AND hash = ?').get(workspaceId, hash);
    return row ? { status: 200, type: row.type, bytes: new Uint8Array(row.data) } : { status: 404, type: null, bytes: new Uint8Array() };
  } finally {
    db.close();
    fs.rmSync(answer.file, { force: true });
  }
}

const attachment = (page: Page) => page.getByTestId('attachment');
const stateOf = (page: Page) => attachment(page).first().getAttribute('data-state');

test('a whiteboard photo taken offline is shrunk, uploads when online, and reaches a second phone', async () => {
  const page = a.page;
  await createWorkspace(page, relay.url, 'Acme', 'Mia Manager');
  await dismissOfflineReady(page);
  await addPerson(page, { name: 'Ada Lovelace', team: 'Ops' });
  const briefingId = await startBriefing(page, 'Ops');
  await waitSyncStatus(page, 'synced');
  const { workspaceId, token } = await credentialOf(page);

  // Offline at the briefing: take the photo.
  await a.context.setOffline(true);
  await waitSyncStatus(page, 'offline');
  const png = whiteboardPng();
  expect(png.length).toBeGreaterThan(5 * 1024 * 1024);
  await visible(page.getByRole('heading', { name: 'Photo of the whiteboard' }));
  const picked = Date.now();
  await page.getByTestId('add-photo').setInputFiles({ name: 'IMG_2044.png', mimeType: 'image/png', buffer: png });
  const handedOver = Date.now();
  await poll(() => stateOf(page)).toBe('pending');
  console.log(`attachments: ${png.length} byte 3000×2000 PNG handed to the page in ${handedOver - picked} ms, shrunk and stored in ${Date.now() - handedOver} ms`);
  expect(await textOf(attachment(page).getByTestId('attachment-state'))).toBe('Waiting to upload — uploads when online');
  expect(await textOf(attachment(page).locator('.att-name'))).toBe('IMG_2044.jpg');
  // The thumbnail shows the picture from this device.
  await poll(() => attachment(page).locator('img').evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(1600);

  // Stored on the device, shrunk to 1600 px, as JPEG, queued; referenced by the record.
  const [blob] = await storedBlobs(page);
  expect(blob).toMatchObject({ type: 'image/jpeg', width: 1600, height: 1067, uploaded: 0, workspaceId });
  const bytes = Uint8Array.from(blob!.bytes);
  expect(sha(bytes)).toBe(blob!.hash);
  expect(bytes.length).toBe(blob!.size);
  expect(bytes.length).toBeLessThan(png.length);
  console.log(`attachments: stored JPEG ${blob!.width}×${blob!.height}, ${bytes.length} bytes`);
  const record = (await readStored(page, workspaceId, 'briefings')).records[briefingId]!;
  expect(record[`att.${blob!.hash}`]).toMatchObject({ name: 'IMG_2044.jpg', type: 'image/jpeg', size: bytes.length, addedBy: 'Mia Manager', sealed: expect.stringMatching(/^[0-9a-f]{64}$/) });
  // The name the relay will hold it by: the hash of its sealed bytes (issue 18, src/sync/seal.ts sealBlob).
  const sealedName = (record[`att.${blob!.hash}`] as { sealed: string }).sealed;
  // The relay does not have it yet.
  expect((await relayGet(workspaceId, sealedName, token)).status).toBe(404);
  await page.getByTestId('attachments').scrollIntoViewIfNeeded();
  await screenshot(page, 'attachments-offline-waiting');

  // Back online: uploaded.
  await a.context.setOffline(false);
  await poll(() => stateOf(page), 30_000).toBe('uploaded');
  expect(await textOf(attachment(page).getByTestId('attachment-state'))).toBe('On the relay');
  await poll(async () => (await storedBlobs(page))[0]!.uploaded).toBe(1);
  // Sealed: under its sealed name, checked by the relay against its bytes; not under the photo's own hash, and no run of the photo's bytes in it.
  const onRelay = await relayGet(workspaceId, sealedName, token);
  expect([onRelay.status, onRelay.type, sha(onRelay.bytes)]).toEqual([200, 'image/jpeg', sealedName]);
  expect((await relayGet(workspaceId, blob!.hash, token)).status).toBe(404);
  expect(Buffer.from(onRelay.bytes).includes(Buffer.from(bytes.subarray(1000, 1032)))).toBe(false);
  await waitSyncStatus(page, 'synced');

  // Tap the thumbnail: the photo, full width.
  await attachment(page).getByTestId('attachment-open').click();
  const full = page.getByTestId('attachment-full');
  await visible(full);
  expect(await full.evaluate((img) => (img as HTMLImageElement).naturalHeight)).toBe(1067);
  await screenshot(page, 'attachments-viewer');
  await page.getByRole('button', { name: 'Close' }).click();
  await full.waitFor({ state: 'detached' });

  // A second phone joins and opens the minutes. Its first download is held, to see the offline state.
  const link = await joinLinkOf(page);
  b = await newPhone(browser!);
  const held: Route[] = [];
  await b.context.route('**/blobs/**', (route) => void held.push(route));
  await joinWorkspace(b.page, link, 'Acme', 'Ben Colleague');
  await confirmDevices(a.page);
  await dismissOfflineReady(b.page);
  await goHash(b.page, `#/briefings/${briefingId}`);
  await visible(attachment(b.page));
  await poll(() => held.length).toBeGreaterThan(0);
  expect(await stateOf(b.page)).toBe('downloading');
  await b.context.setOffline(true);
  await poll(() => stateOf(b!.page)).toBe('missing');
  expect(await textOf(attachment(b.page).getByTestId('attachment-state'))).toBe('Not on this device yet — downloads when online');
  await b.page.getByTestId('attachments').scrollIntoViewIfNeeded();
  await screenshot(b.page, 'attachments-second-phone-offline');
  expect(await storedBlobs(b.page)).toEqual([]);

  // Online again: the photo downloads, is checked and cached.
  await b.context.setOffline(false);
  await b.context.unroute('**/blobs/**');
  for (const r of held) await r.continue().catch(() => {});
  await poll(() => stateOf(b!.page), 30_000).toBe('uploaded');
  await poll(() => attachment(b!.page).locator('img').evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(1600);
  const [copy] = await storedBlobs(b.page);
  expect(copy).toMatchObject({ hash: blob!.hash, type: 'image/jpeg', uploaded: 1, width: 1600, height: 1067 });
  expect(sha(Uint8Array.from(copy!.bytes))).toBe(blob!.hash);
  await b.page.getByTestId('attachments').scrollIntoViewIfNeeded();
  await screenshot(b.page, 'attachments-second-phone');

  // The evidence pack made on the second phone carries the photo, pinned by its SHA-256.
  await goHash(b.page, '#/export');
  await visible(b.page.getByRole('button', { name: 'Export pack' }));
  const pack = await download(b.page, b.page.getByRole('button', { name: 'Export pack' }));
  const files = unzipSync(new Uint8Array(pack.bytes));
  const inPack = files[`attachments/briefings/${blob!.hash}.jpg`];
  expect(inPack && sha(inPack)).toBe(blob!.hash);
  expect(new TextDecoder().decode(files['csv/attachments.csv'])).toContain('IMG_2044.jpg');
  expect((await verifyPack(new Uint8Array(pack.bytes))).ok).toBe(true);

  expect(errorsOf(page)).toEqual([]);
  expect(errorsOf(b.page)).toEqual([]);
});

test('an oversize PDF is refused with a clear message and nothing is stored; a small one is attached', async () => {
  const page = a.page;
  const workspaceId = await currentWorkspaceId(page);
  await goHash(page, '#/agreements/new');
  await visible(page.getByRole('heading', { name: 'Add an agreement' }));
  await page.getByLabel('With').selectOption({ label: 'Ada Lovelace (Ops)' });
  await page.getByLabel('Signed on').fill('2026-01-05');
  await page.getByRole('button', { name: 'Add agreement' }).click();
  await poll(() => page.evaluate(() => location.hash)).toBe('#/agreements');
  await page.getByTestId('agreement-row').filter({ hasText: 'Ada Lovelace' }).click();
  await visible(page.getByRole('heading', { name: 'Signed agreement (PDF)' }));
  const agreementId = await page.evaluate(() => decodeURIComponent(location.hash.split('/')[2]!));
  const blobsBefore = (await storedBlobs(page)).length;

  const big = Buffer.alloc(6 * 1024 * 1024, 0x20);
  big.write('%PDF-1.7\n');
  await page.getByTestId('add-pdf').setInputFiles({ name: 'contract-scan.pdf', mimeType: 'application/pdf', buffer: big });
  expect(await textOf(page.getByTestId('attachment-error'))).toBe(
    '“contract-scan.pdf” is 6 MB; a PDF can be at most 5 MB. Save a smaller copy (for example scanned at a lower resolution, or only the signed pages) and attach that.',
  );
  expect(await attachment(page).count()).toBe(0);
  expect(await storedBlobs(page)).toHaveLength(blobsBefore);
  expect(Object.keys((await readStored(page, workspaceId, 'agreements')).records[agreementId]!).filter((k) => k.startsWith('att.'))).toEqual([]);
  await page.getByTestId('attachments').scrollIntoViewIfNeeded();
  await screenshot(page, 'attachments-pdf-too-large');

  // Not a PDF at all.
  await page.getByTestId('add-pdf').setInputFiles({ name: 'contract.pdf', mimeType: 'application/pdf', buffer: Buffer.from('<html>not a pdf</html>') });
  expect(await textOf(page.getByTestId('attachment-error'))).toBe('“contract.pdf” is not a valid PDF: it does not start like one.');

  // A real, small PDF is attached, uploaded and opens from an object URL.
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
  await page.getByTestId('add-pdf').setInputFiles({ name: 'Ada contract signed.pdf', mimeType: 'application/pdf', buffer: pdf });
  await poll(() => stateOf(page), 30_000).toBe('uploaded');
  await poll(() => page.getByTestId('attachment-error').count()).toBe(0);
  expect(await textOf(attachment(page).locator('.att-name'))).toBe('Ada contract signed.pdf');
  expect(await attachment(page).getByTestId('attachment-open').getAttribute('href')).toMatch(/^blob:/);
  const { token, contentKey } = await credentialOf(page);
  // Sealed on the relay: found under the name any holder of the content key computes, and opens to the PDF.
  const key = await sealKeyOf(workspaceId, contentKey);
  const { name } = await sealBlob(key, sha(pdf), pdf);
  const onRelay = await relayGet(workspaceId, name, token);
  expect([onRelay.status, onRelay.type, Buffer.from(onRelay.bytes).includes(Buffer.from('/Catalog'))]).toEqual([200, 'application/pdf', false]);
  expect(Buffer.from(await openBlob(key, sha(pdf), onRelay.bytes)).equals(pdf)).toBe(true);
  await screenshot(page, 'attachments-pdf-attached');
  expect(errorsOf(page)).toEqual([]);
});
