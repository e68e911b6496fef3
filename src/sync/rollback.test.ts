import { describe, expect, it } from 'vitest';
import { generateDeviceKeyPair } from '../crypto/device-keys';
import { wrapTo } from '../crypto/envelope';
import { randomId, fromBase64Url } from '../store/device-db';
import { relayWentBack } from './room-sync';
import { envelopePayload, envelopePayloadOf, fetchRotatedSecret, RELAY_OLDER_KEY, rotateWorkspaceSecret, secretContext } from './rotation';
import { combine } from './workspace-sync';

// Issue 13 finding 6, the device side: a relay that holds less than it confirmed, and keys that never go back.

describe('relayWentBack', () => {
  const sv = (...pairs: Array<[number, number]>) => new Map(pairs);
  it('is true when any client the relay confirmed is now lower or gone', () => {
    expect(relayWentBack(sv([1, 10], [2, 5]), sv([1, 10], [2, 4]))).toBe(true);
    expect(relayWentBack(sv([1, 10], [2, 5]), sv([1, 10]))).toBe(true);
    expect(relayWentBack(sv([1, 3]), new Map())).toBe(true);
  });
  it('is false when the relay holds as much or more, or when nothing was confirmed yet', () => {
    expect(relayWentBack(sv([1, 10]), sv([1, 10]))).toBe(false);
    expect(relayWentBack(sv([1, 10]), sv([1, 12], [3, 1]))).toBe(false);
    expect(relayWentBack(new Map(), new Map())).toBe(false);
  });
  it('the notice of any room reaches the workspace state', () => {
    expect(combine([{ status: 'synced', unconfirmed: 0 }, { status: 'synced', unconfirmed: 0, notice: 'n' }])).toEqual({ status: 'synced', unconfirmed: 0, notice: 'n' });
  });
});

describe('keys never go back', () => {
  const ws = 'wsAAAAAAAAAAAAAAAAAA';
  async function relayOffering(epoch: number) {
    const keys = await generateDeviceKeyPair();
    const secret = randomId(32);
    const envelope = await wrapTo(keys.publicKey, fromBase64Url(secret), secretContext(ws, epoch));
    const fetch = (async () => new Response(JSON.stringify({ epoch, envelope }), { status: 200 })) as typeof globalThis.fetch;
    return { keys, secret, fetch };
  }
  it('an envelope of an epoch not above the one held is reported as older, not opened', async () => {
    const r = await relayOffering(1);
    const base = { baseUrl: 'http://relay', workspaceId: ws, deviceId: 'device-1', keys: r.keys, fetch: r.fetch };
    expect(await fetchRotatedSecret({ ...base, heldEpoch: 2 })).toEqual({ kind: 'older', epoch: 1 });
    expect(await fetchRotatedSecret({ ...base, heldEpoch: 1 })).toEqual({ kind: 'older', epoch: 1 });
    expect(await fetchRotatedSecret({ ...base, heldEpoch: 0 })).toEqual({ kind: 'secret', secret: r.secret, epoch: 1 });
  });
  it('a rotation never goes to an epoch below the one this device holds, even when the relay says so', async () => {
    const keys = await generateDeviceKeyPair();
    const asked: number[] = [];
    const fetch = (async (_url: string, init: RequestInit) => {
      asked.push((JSON.parse(init.body as string) as { epoch: number }).epoch);
      return new Response(JSON.stringify({ error: 'Another rotation happened first.', epoch: 1 }), { status: 409 });
    }) as unknown as typeof globalThis.fetch;
    const out = await rotateWorkspaceSecret({ baseUrl: 'http://relay', workspaceId: ws, currentSecret: randomId(32), epoch: 3, recipients: [{ deviceId: 'device-1', publicKey: keys.publicKey }], fetch });
    expect(out).toEqual({ ok: false, status: 409, error: RELAY_OLDER_KEY });
    expect(asked).toEqual([4]);
  });
});

describe('a rotation in a sealed workspace', () => {
  const ws = 'wsBBBBBBBBBBBBBBBBBB';
  it('makes a new content key and hands every device it with the old ones, in its envelope', async () => {
    const keys = await generateDeviceKeyPair();
    const held = [randomId(32), randomId(32)];
    let sent: Record<string, import('../crypto/envelope').Envelope> = {};
    let epoch = 0;
    const fetch = (async (url: string, init?: RequestInit) => {
      if (init?.method === 'POST') {
        const body = JSON.parse(init.body as string) as { epoch: number; envelopes: typeof sent };
        sent = body.envelopes;
        epoch = body.epoch;
        return new Response('{}', { status: 200 });
      }
      return new Response(JSON.stringify({ epoch, envelope: sent['device-1'] }), { status: 200 });
    }) as unknown as typeof globalThis.fetch;
    const out = await rotateWorkspaceSecret({ baseUrl: 'http://relay', workspaceId: ws, currentSecret: randomId(32), epoch: 0, recipients: [{ deviceId: 'device-1', publicKey: keys.publicKey }], contentKeys: held, fetch });
    if (!out.ok) throw new Error(out.error);
    expect(out.contentKeys).toHaveLength(3);
    expect(out.contentKeys!.slice(1)).toEqual(held);
    expect(out.contentKeys![0]).not.toBe(held[0]);
    const got = await fetchRotatedSecret({ baseUrl: 'http://relay', workspaceId: ws, deviceId: 'device-1', keys, heldEpoch: 0, fetch });
    expect(got).toEqual({ kind: 'secret', secret: out.secret, epoch: 1, contentKeys: out.contentKeys });
  });
  it('an envelope of a workspace from before sealing holds the secret alone', () => {
    const secret = randomId(32);
    expect(envelopePayloadOf(envelopePayload(secret, []))).toEqual({ secret, contentKeys: [] });
    expect(() => envelopePayloadOf(new Uint8Array(40))).toThrow('An envelope holds 32-byte keys.');
  });
});
