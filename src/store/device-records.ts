/*
 * The device database's records and ids, without Dexie: Home's first path reads them
 * (src/store/device.ts) before Dexie itself loads (src/store/device-db.ts).
 */

/** A workspace this device belongs to. The secret never leaves the device except in a join link's fragment. */
export interface WorkspaceRecord {
  id: string;
  /** base64url, 256 bits. */
  secret: string;
  orgName: string;
  /** The name this device's user signs with. */
  memberName: string;
  joinedAt: string;
  /** True on the device that created the workspace: it registers as its first owner. */
  created?: boolean;
  /** How this device joined: 'invite' (role and person come from the invite) or 'link' (the plain workspace link: an owner's own device). */
  joinedWith?: 'invite' | 'link';
  /** The invite this device joined with (members register `invite.<id>`). */
  inviteId?: string;
  /** Id of the signed invite entry the invite link named (`e=`): the device enrols with it before it connects (src/sync/enrol.ts). */
  inviteEntry?: string;
  /** Set once the relay answered the enrolment: 'relay' enrolled it, 'legacy' the relay holds no signed log for the workspace. */
  enrolled?: 'relay' | 'legacy';
  /**
   * Key id of the workspace's root owner device (issue 17): set by the creating
   * device, taken from the join link's `r=`, else pinned to the first genesis
   * this device saw (trust on first use).
   */
  root?: string;
  /** How `root` was learnt. */
  rootFrom?: 'created' | 'link' | 'first-seen';
  /** Epoch of `secret`: 0 until the workspace secret is first rotated (src/sync/rotation.ts). */
  epoch?: number;
  /**
   * base64url, 256 bits: what the device seals register content with before the relay sees it (src/sync/seal.ts).
   * Made with the workspace, carried in join links' fragments like the secret; a workspace from before it has none
   * and syncs unsealed.
   */
  contentKey?: string;
  /** The content keys before `contentKey`, newest first: each removal replaces the key; what was sealed before still opens. */
  pastContentKeys?: string[];
}

/** A workspace's content keys, newest first (empty: a workspace from before sealing). */
export const contentKeysOf = (ws: Pick<WorkspaceRecord, 'contentKey' | 'pastContentKeys'>): string[] => (ws.contentKey ? [ws.contentKey, ...(ws.pastContentKeys ?? [])] : []);

/** The record's fields for content keys, newest first (contentKeysOf the other way); none: nothing to set. */
export const contentKeyFields = (keys: readonly string[] | undefined): Pick<WorkspaceRecord, 'contentKey' | 'pastContentKeys'> =>
  keys?.length ? { contentKey: keys[0]!, pastContentKeys: keys.slice(1) } : {};

export interface DeviceRecord {
  key: 'self';
  deviceId: string;
  createdAt: string;
}

/** What this device last knew the relay to hold for a room, and its changes the relay had not confirmed. */
export interface RelayStateRecord {
  room: string;
  /** Encoded Yjs state vector. */
  stateVector: Uint8Array;
  /** [client id, clock] at the end of each unconfirmed local change. */
  pending?: Array<[number, number]>;
}

/**
 * This device's ECDH P-256 key pair (src/store/device-keys.ts). The private
 * key is a non-extractable CryptoKey: IndexedDB stores it, no script can read
 * its bytes. Confidential register keys and rotated workspace secrets are
 * wrapped to the public key.
 */
export interface DeviceKeyRecord {
  key: 'self';
  privateKey: CryptoKey;
  /** base64url of the raw uncompressed public point (65 bytes). */
  publicKey: string;
  createdAt: string;
  /**
   * This device's signing key pair (src/crypto/signing.ts; issue 17): Ed25519,
   * else ES256, non-extractable. Added to records made before signing existed
   * the first time deviceKeyPair() reads them.
   */
  sign: { privateKey: CryptoKey; publicKey: string; alg: 'Ed25519' | 'ES256'; keyId: string };
}

/** An attachment's bytes, content-addressed by SHA-256 (src/attachments/). */
export interface BlobRecord {
  /** Hex SHA-256 of `bytes`. */
  hash: string;
  workspaceId: string;
  /** MIME type, e.g. image/jpeg, application/pdf. */
  type: string;
  size: number;
  bytes: Uint8Array;
  createdAt: string;
  /** 1 once the relay holds it, 0 while queued for upload (IndexedDB cannot index booleans). */
  uploaded: 0 | 1;
}

/**
 * A sealed speak-up update waiting to be sent (src/registers/speakup/outbox.ts).
 * Deleted as soon as the relay holds it. No time, no author: only what to send where.
 */
export interface SpeakupOutboxRecord {
  id: string;
  workspaceId: string;
  /** 'workspace': this device's workspace credential; 'link': the public link's token. */
  via: 'workspace' | 'link';
  token?: string;
  update: Uint8Array;
}

/* Ids and base64url are the crypto floor's (below this one); re-exported for the many that read them here. */
export { fromBase64Url, randomId, toBase64Url } from '../crypto/base64url';
