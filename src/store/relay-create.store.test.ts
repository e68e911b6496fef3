import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { relayCredential } from '../crypto/relay-credential';
import { DeviceStore } from './device';
import { DeviceDb, randomId } from './device-db';
import { createOnRelay } from './relay-create';
import { CreationRefused, createWorkspace } from './workspace';

/*
 * Creating a workspace asks the relay first (POST /auth/<ws>/create), from the
 * store floor. A loopback server answers as server/creation.ts does; what the
 * device sent is kept to check it.
 */
let server: Server;
let baseUrl: string;
let answer: { status: number; body: object } = { status: 201, body: { created: true } };
const asked: Array<{ url: string; auth: string; body: unknown }> = [];

const read = (req: IncomingMessage) => new Promise<string>((resolve) => {
  let s = '';
  req.on('data', (c) => (s += c));
  req.on('end', () => resolve(s));
});

beforeAll(async () => {
  server = createServer(async (req, res) => {
    asked.push({ url: req.url ?? '', auth: req.headers.authorization ?? '', body: JSON.parse((await read(req)) || '{}') });
    res.writeHead(answer.status, { 'Content-Type': 'application/json' }).end(JSON.stringify(answer.body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const freshStore = () => {
  const name = `create-${randomId()}`;
  return new DeviceStore(name, async () => new DeviceDb(name));
};

describe('asking the relay to create a workspace', () => {
  test('sends the relay credential, never the secret, and the code', async () => {
    const id = randomId(16);
    const secret = randomId(32);
    answer = { status: 201, body: { created: true } };
    expect(await createOnRelay(baseUrl, id, secret, 'ALPHA-1')).toEqual({ kind: 'created' });
    const got = asked.at(-1)!;
    expect(got.url).toBe(`/auth/${id}/create`);
    expect(got.auth).toBe(`Bearer ${await relayCredential(id, secret)}`);
    expect(JSON.stringify(got)).not.toContain(secret);
    expect(got.body).toEqual({ creationToken: 'ALPHA-1' });
  });

  test.each([
    [{ status: 409, body: { sameCredentials: true } }, { kind: 'created' }],
    [{ status: 403, body: { reason: 'creation token required', error: 'Ask for a code.' } }, { kind: 'code-required', message: 'Ask for a code.' }],
    [{ status: 409, body: { sameCredentials: false } }, { kind: 'refused', message: 'The relay refused to create the workspace (409).' }],
    [{ status: 500, body: {} }, { kind: 'unreachable' }],
  ])('answer %j → %j', async (given, expected) => {
    answer = given;
    expect(await createOnRelay(baseUrl, randomId(16), randomId(32))).toEqual(expected);
  });

  test('a refusal stores nothing; an unreachable relay does not stop the device', async () => {
    const store = freshStore();
    answer = { status: 403, body: { reason: 'invite required', error: 'This relay creates workspaces by invite.' } };
    const refused = await createWorkspace('Acme', 'Mia', store, { baseUrl }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(CreationRefused);
    expect(refused).toMatchObject({ message: 'This relay creates workspaces by invite.', needsCode: true });
    expect(await (await store.db()).workspaces.count()).toBe(0);
    // Nothing listens on port 9 of loopback: the device creates offline, the first sync asks again.
    const ws = await createWorkspace('Acme', 'Mia', store, { baseUrl: 'http://127.0.0.1:9' });
    expect((await (await store.db()).workspaces.get(ws.id))?.created).toBe(true);
    (await store.db()).close();
  });
});
