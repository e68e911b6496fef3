import { afterEach, expect, test } from 'vitest';
import { cleanup, createdWorkspace, spawnRelay, tmpDir } from './harness.ts';

/**
 * The HTTP routes share one body reader and one Authorization parser (server/http.ts). What each
 * route answers to a body over its limit, to a body that is not JSON, and to every form of the
 * header, as a script (not the app) would send them.
 */

afterEach(cleanup);

test('bodies over each route’s limit, bodies that are not JSON, and Authorization forms get clear answers', { timeout: 60_000 }, async () => {
  const relay = await spawnRelay({ dataDir: tmpDir() });
  const ws = await createdWorkspace(relay);
  const call = async (method: string, route: string, body: string | undefined, authorization?: string) => {
    const res = await fetch(`${relay.url}${route}`, { method, headers: { 'Content-Type': 'application/json', ...(authorization ? { Authorization: authorization } : {}) }, ...(body === undefined ? {} : { body }) });
    return { status: res.status, body: (await res.json().catch(() => null)) as { error?: string; reason?: string } | null };
  };
  const verifier = `/speakup/${ws.id}/verifier`;
  const good = JSON.stringify({ verifier: 'a'.repeat(64) });

  // The speak-up verifier: at most 1 KiB.
  expect((await call('PUT', verifier, good, `Bearer ${ws.token}`)).status).toBe(204);
  expect((await call('PUT', verifier, JSON.stringify({ verifier: 'a'.repeat(64), pad: 'x'.repeat(2000) }), `Bearer ${ws.token}`)).status).toBe(400);
  expect((await call('PUT', verifier, '{not json', `Bearer ${ws.token}`)).status).toBe(400);
  // The header: any case of "Bearer", spaces around the credential; anything else is no credential.
  expect((await call('PUT', verifier, good, `bearer   ${ws.token}  `)).status).toBe(204);
  expect(await call('PUT', verifier, good, `Basic ${ws.token}`)).toEqual({ status: 401, body: { error: 'Not allowed: missing credentials.' } });
  expect(await call('PUT', verifier, good, 'Bearer')).toEqual({ status: 401, body: { error: 'Not allowed: missing credentials.' } });

  // Creation: at most 4 KiB of JSON object.
  const fresh = await createdWorkspace(relay);
  const create = `/auth/${fresh.id}/create`;
  expect(await call('POST', create, JSON.stringify({ pad: 'x'.repeat(5000) }), `Bearer ${fresh.token}`)).toEqual({ status: 400, body: { error: 'The request is too large.', reason: 'bad body' } });
  expect(await call('POST', create, '[1]', `Bearer ${fresh.token}`)).toEqual({ status: 400, body: { error: 'The body must be a JSON object.', reason: 'bad body' } });
  expect(await call('POST', create, '{', `Bearer ${fresh.token}`)).toEqual({ status: 400, body: { error: 'The body must be JSON.', reason: 'bad body' } });

  // Rotation: at most 1 MiB, refused as 413 as soon as it is over; an empty body is not JSON.
  const rotate = `/auth/${ws.id}/rotate`;
  expect(await call('POST', rotate, 'x'.repeat(1024 * 1024 + 1), `Bearer ${ws.token}`)).toEqual({ status: 413, body: { error: 'The rotation request is too large.' } });
  expect(await call('POST', rotate, '', `Bearer ${ws.token}`)).toEqual({ status: 400, body: { error: 'The body must be JSON.' } });
  expect((await call('POST', rotate, JSON.stringify({}), `Bearer ${ws.token}`)).body?.error).toMatch(/^Bad rotation request: epoch/);

  // After all that the relay still answers.
  expect((await fetch(`${relay.url}/healthz`)).status).toBe(200);
});
