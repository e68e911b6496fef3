import path from 'node:path';
import { expect, test } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import { ConfigError, creationPolicyFor, DEFAULTS, parseConfig } from '../../server/config.ts';

test('defaults, env vars, and flags (flags win)', () => {
  expect(parseConfig([], {})).toEqual({ ...DEFAULTS, dataDir: path.resolve('data'), staticDir: path.resolve('dist') });
  const env = { PORT: '9000', HOST: '0.0.0.0', DATA_DIR: '/srv/muster', STATIC_DIR: '/srv/app', MAX_MESSAGE_BYTES: '2048', MAX_ROOMS: '5', MAX_BLOB_BYTES: '1000', SPEAKUP_LINK_PER_HOUR: '7', MAX_WORKSPACE_BLOB_BYTES: '5000',
    MAX_NEW_ROOMS: '3', MAX_WORKSPACE_ROOMS: '2', MAX_WORKSPACE_SOCKETS: '9', MAX_WORKSPACE_BYTES_PER_MINUTE: '4096', MAX_SOCKET_QUEUED_BYTES: '8192', MAX_QUEUED_BYTES: '65536',
    MAX_SOCKETS: '12', SPEAKUP_LINK_BYTES_PER_HOUR: '2048', SPEAKUP_MAX_VALUE_BYTES: '4096' };
  expect(parseConfig([], env)).toEqual({ port: 9000, host: '0.0.0.0', dataDir: '/srv/muster', staticDir: '/srv/app', maxMessageBytes: 2048, maxRooms: 5, maxBlobBytes: 1000, speakupLinkPerHour: 7, maxWorkspaceBlobBytes: 5000,
    maxNewRooms: 3, maxWorkspaceRooms: 2, maxWorkspaceSockets: 9, maxWorkspaceBytesPerMinute: 4096, maxSocketQueuedBytes: 8192, maxQueuedBytes: 65536,
    maxTotalBlobBytes: DEFAULTS.maxTotalBlobBytes, maxWorkspaces: DEFAULTS.maxWorkspaces, creationInviteSeconds: DEFAULTS.creationInviteSeconds,
    maxSockets: 12, speakupLinkBytesPerHour: 2048, speakupMaxValueBytes: 4096, maxNewWorkspaceMessageBytes: DEFAULTS.maxNewWorkspaceMessageBytes, maxWorkspaceBusyMsPerMinute: DEFAULTS.maxWorkspaceBusyMsPerMinute,
    maxAwarenessBytes: DEFAULTS.maxAwarenessBytes, awarenessPerSecond: DEFAULTS.awarenessPerSecond, awarenessBytesPerSecond: DEFAULTS.awarenessBytesPerSecond, enforceDeviceAdmission: true });
  expect(parseConfig(['--port', '0', '--data-dir=/tmp/x', '--max-rooms', '7'], env)).toMatchObject({ port: 0, dataDir: '/tmp/x', maxRooms: 7, host: '0.0.0.0' });
  expect(parseConfig(['--enforce-device-admission'], {}).enforceDeviceAdmission).toBe(true);
  expect(parseConfig([], { ENFORCE_DEVICE_ADMISSION: '1' }).enforceDeviceAdmission).toBe(true);
  // On by default; the operator may turn it off.
  expect(parseConfig([], {}).enforceDeviceAdmission).toBe(true);
  expect(parseConfig(['--enforce-device-admission=0'], {}).enforceDeviceAdmission).toBe(false);
  expect(parseConfig([], { ENFORCE_DEVICE_ADMISSION: '0' }).enforceDeviceAdmission).toBe(false);
});

test('bad values are refused', () => {
  for (const argv of [['--port', '65536'], ['--port', '-1'], ['--port'], ['--max-message-bytes', '10'], ['--max-rooms', '0'], ['--max-workspace-sockets', '0'], ['--max-queued-bytes', '10'], ['--max-sockets', '0'], ['--max-workspace-busy-ms-per-minute', '60001'], ['--nope'], ['stray'], ['--port', '1e3']]) {
    expect(() => parseConfig(argv, {}), argv.join(' ')).toThrow(ConfigError);
  }
  expect(() => parseConfig([], { PORT: 'abc' })).toThrow(/PORT/);
});

test('workspace creation: the policy, its default by host, and creation tokens from the env, a file and flags', () => {
  expect(creationPolicyFor('127.0.0.1', undefined)).toBe('open');
  expect(creationPolicyFor('::1', undefined)).toBe('open');
  expect(creationPolicyFor('localhost', undefined)).toBe('open');
  expect(creationPolicyFor('0.0.0.0', undefined)).toBe('token');
  expect(creationPolicyFor('192.168.1.20', undefined)).toBe('token');
  expect(creationPolicyFor('0.0.0.0', 'open')).toBe('open');
  expect(creationPolicyFor('127.0.0.1', 'invite')).toBe('invite');
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'muster-tokens-')), 'tokens');
  fs.writeFileSync(file, 'file-token-one-abcdefgh\n\nFILE TOKEN TWO ABCDEFGH\n');
  const config = parseConfig(['--workspace-creation', 'invite', '--creation-tokens', 'flag-token-abcdefghij'], { CREATION_TOKENS: 'env-token-abcdefghijk', CREATION_TOKENS_FILE: file, CREATION_INVITE_SECONDS: '60' });
  expect(config).toMatchObject({ workspaceCreation: 'invite', creationInviteSeconds: 60 });
  expect(config.creationTokens).toEqual(['ENVTOKENABCDEFGHIJK', 'FILETOKENONEABCDEFGH', 'FILETOKENTWOABCDEFGH', 'FLAGTOKENABCDEFGHIJ']);
  expect(() => parseConfig(['--workspace-creation', 'anyone'], {})).toThrow(/open, token, invite/);
  expect(() => parseConfig([], { CREATION_TOKENS: 'short' })).toThrow(/at least 16/);
  expect(() => parseConfig([], { CREATION_TOKENS_FILE: `${file}-missing` })).toThrow(/cannot read/);
  expect(() => parseConfig(['--max-workspaces', '0'], {})).toThrow(ConfigError);
});
