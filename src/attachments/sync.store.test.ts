import { afterEach, beforeEach, expect, test } from 'vitest';
import { DeviceDb, randomId } from '../store/device-db';
import { sha256HexAsync as sha256Hex } from '../domain/sha256';
import { getBlob, pendingUploads, saveLocalBlob } from './store';
import { type BlobSync, resetBlobSyncState, startBlobSync, transferState, uploadSoon, wantBlob } from './sync';

/*
 * The upload queue and downloads against a fake relay at the HTTP boundary
 * (fetch). The real relay is covered by test/integration/blobs.test.ts and
 * the whole path by test/e2e/attachments.test.ts.
 */

const WS = 'ws-test-0123456789';
const TOKEN = 'credential-abc';

interface FakeRelay {
  stored: Map<string, { type: string; bytes: Uint8Array }>;
  requests: string[];
  /** Next answers to force, by method, before the normal behaviour. */
  forced: { PUT: number[]; GET: number[] };
  down: boolean;
  fetch: typeof fetch;
}

function fakeRelay(): FakeRelay {
  const relay: FakeRelay = {
    stored: new Map(),
    requests: [],
    forced: { PUT: [], GET: [] },
    down: false,
    fetch: async (input, init) => {
      const method = (init?.method ?? 'GET') as 'GET' | 'PUT';
      const url = String(input);
      relay.requests.push(`${method} ${url.replace(/^.*\/blobs\//, '')}`);
      if (relay.down) throw new TypeError('Failed to fetch');
      const forced = relay.forced[method].shift();
      if (forced) return new Response(JSON.stringify({ error: 'forced' }), { status: forced });
      const headers = new Headers(init?.headers);
      if (headers.get('Authorization') !== `Bearer ${TOKEN}`) return new Response('{}', { status: 401 });
      const [ws, hash] = url.split('/blobs/')[1]!.split('/');
      const key = `${ws}/${hash}`;
      if (method === 'PUT') {
        const bytes = new Uint8Array(init!.body as Uint8Array);
        if ((await sha256Hex(bytes)) !== hash) return new Response('{}', { status: 400 });
        const existed = relay.stored.has(key);
        relay.stored.set(key, { type: headers.get('Content-Type')!, bytes });
        return new Response('{}', { status: existed ? 200 : 201 });
      }
      const blob = relay.stored.get(key);
      if (!blob) return new Response('{}', { status: 404 });
      return new Response(blob.bytes as Uint8Array<ArrayBuffer>, { status: 200, headers: { 'Content-Type': blob.type } });
    },
  };
  return relay;
}

let db: DeviceDb;
let online = true;
let sync: BlobSync | undefined;

beforeEach(() => {
  db = new DeviceDb(`blobs-${randomId()}`);
  online = true;
  resetBlobSyncState();
});
afterEach(async () => {
  sync?.stop();
  sync = undefined;
  db.close();
});

const start = (relay: FakeRelay, extra: { maxRetries?: number } = {}, sealKey: import('../sync/seal').SealKey | null = null) =>
  (sync = startBlobSync({ workspaceId: WS, baseUrl: 'https://relay.test/blobs', credential: async () => TOKEN, db, fetch: relay.fetch, online: () => online, baseDelayMs: 20, maxDelayMs: 200, sealKey: async () => sealKey, ...extra }));

async function addFile(text: string, type = 'image/jpeg') {
  const bytes = new TextEncoder().encode(text);
  const hash = await sha256Hex(bytes);
  await saveLocalBlob({ workspaceId: WS, hash, type, bytes }, db);
  // The queue goes oldest first: a new millisecond keeps the tests' order (saveLocalBlob stamps createdAt).
  const t = Date.now();
  while (Date.now() === t) await new Promise((r) => setTimeout(r, 1));
  return { hash, bytes };
}

async function until(label: string, fn: () => boolean | Promise<boolean>, ms = 3000) {
  const end = Date.now() + ms;
  while (!(await fn())) {
    if (Date.now() > end) throw new Error(`timed out: ${label}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('files added offline wait in the queue; going online uploads them and marks them uploaded', async () => {
  const relay = fakeRelay();
  online = false;
  const a = await addFile('whiteboard photo');
  const b = await addFile('%PDF-1.4 signed agreement', 'application/pdf');
  const s = start(relay);
  await s.flush();
  expect(relay.requests).toEqual([]);
  expect((await pendingUploads(WS, db)).map((r) => r.hash).sort()).toEqual([a.hash, b.hash].sort());

  online = true;
  dispatchEvent(new Event('online'));
  await until('both uploaded', async () => (await pendingUploads(WS, db)).length === 0);
  const up = relay.stored.get(`${WS}/${a.hash}`)!;
  expect([up.type, Array.from(up.bytes)]).toEqual(['image/jpeg', Array.from(a.bytes)]);
  expect(relay.stored.get(`${WS}/${b.hash}`)?.type).toBe('application/pdf');
  expect((await getBlob(a.hash, db))?.uploaded).toBe(1);

  // A file added while the queue runs goes up at once.
  const c = await addFile('another photo');
  uploadSoon();
  await until('third uploaded', async () => (await getBlob(c.hash, db))?.uploaded === 1);
  expect(relay.requests.filter((r) => r.startsWith('PUT'))).toHaveLength(3);
});

test('a relay that is down is retried with backoff until it answers', async () => {
  const relay = fakeRelay();
  relay.forced.PUT = [503, 503];
  const a = await addFile('photo');
  start(relay);
  await until('uploaded after two failures', async () => (await getBlob(a.hash, db))?.uploaded === 1);
  expect(relay.requests).toEqual([`PUT ${WS}/${a.hash}`, `PUT ${WS}/${a.hash}`, `PUT ${WS}/${a.hash}`]);
  expect(transferState(a.hash)).toBeUndefined();
});

test('retries are bounded; the next online event starts again', async () => {
  const relay = fakeRelay();
  relay.down = true;
  const a = await addFile('photo');
  start(relay, { maxRetries: 3 });
  await until('gave up', () => relay.requests.length === 4);
  await new Promise((r) => setTimeout(r, 600));
  expect(relay.requests).toHaveLength(4);
  expect(transferState(a.hash)).toEqual({ kind: 'error', final: false, message: 'Could not reach the relay; Muster will try again.' });
  relay.down = false;
  dispatchEvent(new Event('online'));
  await until('uploaded', async () => (await getBlob(a.hash, db))?.uploaded === 1);
});

test('a file over the relay limit is refused once, with a message, and not retried in a loop', async () => {
  const relay = fakeRelay();
  relay.forced.PUT = [413];
  const big = await addFile('pretend this is large');
  const ok = await addFile('small one');
  const s = start(relay);
  await until('small uploaded', async () => (await getBlob(ok.hash, db))?.uploaded === 1);
  await s.flush();
  expect(relay.requests.filter((r) => r.includes(big.hash))).toHaveLength(1);
  expect(transferState(big.hash)).toMatchObject({ kind: 'error', final: true, message: expect.stringMatching(/over the relay’s size limit/) });
  expect((await getBlob(big.hash, db))?.uploaded).toBe(0);
});

test('refused credentials stop the queue until something changes', async () => {
  const relay = fakeRelay();
  relay.forced.PUT = [401];
  const a = await addFile('one');
  const b = await addFile('two');
  const s = start(relay);
  await s.flush();
  expect(relay.requests).toHaveLength(1);
  // Both files may carry the same millisecond: the refused one is whichever went first.
  const tried = relay.requests[0]!.includes(a.hash) ? a : b;
  expect(transferState(tried.hash)).toMatchObject({ kind: 'error', message: expect.stringMatching(/did not accept this device’s credentials/) });
  dispatchEvent(new Event('online'));
  await until('both uploaded', async () => (await pendingUploads(WS, db)).length === 0);
});

test('a wanted blob is downloaded when online, checked and cached; not before it is on the relay', async () => {
  const relay = fakeRelay();
  const bytes = new TextEncoder().encode('photo from another device');
  const hash = await sha256Hex(bytes);
  online = false;
  const s = start(relay);
  wantBlob(hash);
  await s.flush();
  expect(relay.requests).toEqual([]);

  online = true;
  await s.flush();
  expect(relay.requests).toEqual([`GET ${WS}/${hash}`]);
  expect(transferState(hash)).toMatchObject({ kind: 'error', message: expect.stringMatching(/Not on the relay yet/) });

  // The other device uploads; the retry picks it up.
  relay.stored.set(`${WS}/${hash}`, { type: 'image/jpeg', bytes });
  await until('downloaded', async () => !!(await getBlob(hash, db)));
  const cached = (await getBlob(hash, db))!;
  expect(cached).toMatchObject({ hash, workspaceId: WS, type: 'image/jpeg', size: bytes.length, uploaded: 1 });
  expect(Array.from(cached.bytes)).toEqual(Array.from(bytes));
  expect(transferState(hash)).toBeUndefined();
  // Not downloaded again.
  const count = relay.requests.length;
  wantBlob(hash);
  await s.flush();
  expect(relay.requests).toHaveLength(count);
});

test('bytes from the relay that do not match the hash are discarded', async () => {
  const relay = fakeRelay();
  const hash = await sha256Hex(new TextEncoder().encode('the real photo'));
  relay.stored.set(`${WS}/${hash}`, { type: 'image/jpeg', bytes: new TextEncoder().encode('something else') });
  const s = start(relay, { maxRetries: 0 });
  wantBlob(hash);
  await s.flush();
  expect(await getBlob(hash, db)).toBeUndefined();
  expect(transferState(hash)).toMatchObject({ kind: 'error', message: expect.stringMatching(/do not match/) });
});

test('the store refuses bytes under a wrong hash, and keeps the first copy of the same bytes', async () => {
  const bytes = new TextEncoder().encode('abc');
  await expect(saveLocalBlob({ workspaceId: WS, hash: 'f'.repeat(64), type: 'image/jpeg', bytes }, db)).rejects.toThrow(/do not match/);
  expect(await db.blobs.count()).toBe(0);
  const hash = await sha256Hex(bytes);
  const first = await saveLocalBlob({ workspaceId: WS, hash, type: 'image/jpeg', bytes }, db);
  await db.blobs.update(hash, { uploaded: 1 });
  const again = await saveLocalBlob({ workspaceId: WS, hash, type: 'image/jpeg', bytes }, db);
  expect(again).toMatchObject({ createdAt: first.createdAt, uploaded: 1 });
  expect(await db.blobs.count()).toBe(1);
});

test('a sealed workspace: the relay stores sealed bytes under their own hash; another device fetches and opens them; tampered bytes are refused', async () => {
  const { sealKeyOf } = await import('../sync/seal');
  const { sealBlob } = await import('../sync/seal-blob');
  const key = await sealKeyOf(WS, 'k'.repeat(43));
  const relay = fakeRelay();
  const a = await addFile('whiteboard photo: Quillfeather night shift');
  start(relay, {}, key);
  await until('uploaded', async () => (await getBlob(a.hash, db))?.uploaded === 1);
  const { name } = await sealBlob(key, a.hash, a.bytes);
  // Under the sealed name (as the record keeps it), never under the file's own hash, and not a byte of it readable.
  expect([...relay.stored.keys()]).toEqual([`${WS}/${name}`]);
  const stored = relay.stored.get(`${WS}/${name}`)!;
  expect(new TextDecoder().decode(stored.bytes)).not.toContain('Quillfeather');
  expect(stored.type).toBe('image/jpeg');

  // Another device (its own database) wants it by the record's hash and sealed name.
  sync!.stop();
  db.close();
  db = new DeviceDb(`blobs-${randomId()}`);
  resetBlobSyncState();
  start(relay, {}, key);
  wantBlob(a.hash, name);
  await until('downloaded and opened', async () => !!(await getBlob(a.hash, db)));
  expect(Array.from((await getBlob(a.hash, db))!.bytes)).toEqual(Array.from(a.bytes));

  // A relay that serves other bytes under that name: refused, nothing stored.
  const other = await addFile('something else');
  const { bytes: otherSealed } = await sealBlob(key, other.hash, other.bytes);
  const b = await addFile('a second photo');
  const { name: bName } = await sealBlob(key, b.hash, b.bytes);
  uploadSoon();
  await until('both uploaded', async () => (await getBlob(b.hash, db))?.uploaded === 1 && (await getBlob(other.hash, db))?.uploaded === 1);
  await db.blobs.delete(b.hash);
  relay.stored.set(`${WS}/${bName}`, { type: 'image/jpeg', bytes: otherSealed });
  wantBlob(b.hash, bName);
  await until('refused', () => transferState(b.hash)?.kind === 'error');
  expect(await getBlob(b.hash, db)).toBeUndefined();
});
