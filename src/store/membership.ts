import { type Accessor, createSignal, onCleanup } from 'solid-js';
import type * as Y from 'yjs';
import { verifyMembership, signMembershipEntry } from '../crypto/membership';
import { type MembershipEntry, type MembershipLog, type MembershipPayload, membershipDraft, membershipId } from '../domain/membership';

/*
 * The signed membership log (src/domain/membership.ts) bound to the members
 * document's root map `membership` (key = entry id, value = the entry; add-only).
 * Every change re-reads the whole log, at most once per batch of transactions:
 * a pass checks signatures (async) and the previous log stays readable meanwhile.
 */

export const MEMBERSHIP_MAP = 'membership';

export interface SigningKey {
  privateKey: CryptoKey;
  alg: 'Ed25519' | 'ES256';
  keyId: string;
}

export interface MembershipBinding {
  /** The last verified log; undefined until the first pass has run. */
  log: Accessor<MembershipLog | undefined>;
  /** Resolves once every change seen so far has been verified: the log it returns is current. */
  settled(): Promise<MembershipLog>;
  /** Drafts `payload` on the current tips, signs it with `key`, stores it; resolves to the stored entry. */
  append(payload: MembershipPayload, key: SigningKey, at?: Date): Promise<MembershipEntry>;
  /** Why the last verified log refused `entry`, or undefined (valid, or not read yet). */
  refusalOf(entry: MembershipEntry): string | undefined;
  /** Raw entry values, as stored. */
  raw(): unknown[];
}

/**
 * @example
 * const m = createMembership(docs.members, { workspace: () => ws.id, root: () => ws.root });
 * await m.append({ type: 'role', deviceId, role: 'manager' }, (await deviceKeyPair()).sign);
 * m.log()?.current.devices.get(deviceId)?.role; // 'manager'
 */
export function createMembership(doc: Y.Doc, opts: { workspace: () => string; root: () => string | undefined }): MembershipBinding {
  const map = doc.getMap<unknown>(MEMBERSHIP_MAP);
  const [log, setLog] = createSignal<MembershipLog>();
  let running: Promise<MembershipLog> | undefined;
  let dirty = true;

  // One pass at a time; changes that arrive during a pass cause exactly one more.
  const pass = (): Promise<MembershipLog> =>
    (running ??= (async () => {
      let out: MembershipLog;
      do {
        dirty = false;
        out = await verifyMembership([...map.values()], { workspace: opts.workspace(), root: opts.root() });
      } while (dirty);
      setLog(out);
      running = undefined;
      return out;
    })());
  const schedule = () => {
    dirty = true;
    // A microtask: every transaction of the current batch is in before the pass reads the map.
    queueMicrotask(() => void pass());
  };
  map.observe(schedule);
  onCleanup(() => map.unobserve(schedule));
  schedule();

  const settled = async (): Promise<MembershipLog> => (running || dirty ? pass() : log() ?? pass());

  return {
    log,
    settled,
    raw: () => [...map.values()],
    refusalOf(entry) {
      const id = membershipId(entry);
      return log()?.refused.find((r) => r.id === id)?.reason;
    },
    async append(payload, key, at = new Date()) {
      const current = await settled();
      const draft = membershipDraft(payload, { workspace: opts.workspace(), tips: current.tips, by: key.keyId, at: at.toISOString() });
      const entry = await signMembershipEntry(draft, key);
      const id = membershipId(entry);
      if (!map.has(id)) map.set(id, entry);
      await settled();
      return entry;
    },
  };
}
