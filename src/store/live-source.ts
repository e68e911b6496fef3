import { createSignal, getOwner, onCleanup } from 'solid-js';
import type * as Y from 'yjs';
import type { Reader, Source } from '../evidence/context';
import type { RawRegister } from '../evidence/types';
import { docFlags } from './reactive';
import { entriesOf, recordsOf } from './records';

const EMPTY: RawRegister = { records: {}, entries: {} };

/**
 * The open workspace's documents as the read interface the evidence pack uses
 * (`Source`, src/evidence/context.ts): a register's reader (`readChecklists`,
 * `readAcks` …) gives the same records, parsed and sorted the same way, on the
 * device as in the pack. A register's JSON is taken once per change of its
 * document, and a reading once per change of any document (a reader may read
 * several); both are reactive, so a memo that reads through it recomputes.
 */
export function createLiveSource(docs: Readonly<Record<string, Y.Doc>>, dayOf: (at: string) => string): Source {
  const [version, setVersion] = createSignal(0);
  const raws = new Map<string, RawRegister>();
  let reads = new Map<Reader<unknown>, unknown>();
  for (const [name, doc] of Object.entries(docs)) {
    const changed = () => {
      raws.delete(name);
      reads = new Map();
      setVersion((v) => v + 1);
    };
    doc.on('update', changed);
    if (getOwner()) onCleanup(() => doc.off('update', changed));
  }
  // Entries the evidence signer flagged (issue 17, src/store/reactive.ts) are left out here too: Home reads through this.
  const seenFlags = new Map<string, unknown>();
  const trustChanged = () => {
    for (const [name, doc] of Object.entries(docs)) {
      const flags = docFlags(doc);
      if (seenFlags.get(name) === flags) continue;
      seenFlags.set(name, flags);
      raws.delete(name);
      reads = new Map();
    }
  };
  const trusted = (doc: Y.Doc): RawRegister['entries'] => {
    const all = entriesOf(doc).toJSON() as RawRegister['entries'];
    const flags = docFlags(doc);
    return flags.size === 0 ? all : Object.fromEntries(Object.entries(all).filter(([id]) => !flags.has(id)));
  };
  const source: Source = {
    raw(register) {
      version();
      trustChanged();
      let raw = raws.get(register);
      const doc = docs[register];
      if (!raw && doc) raws.set(register, (raw = { records: recordsOf(doc).toJSON() as RawRegister['records'], entries: trusted(doc) }));
      return raw ?? EMPTY;
    },
    records: (register) => Object.entries(source.raw(register).records),
    entries: (register) => Object.values(source.raw(register).entries),
    read<T>(reader: Reader<T>): T {
      version();
      trustChanged();
      if (!reads.has(reader)) reads.set(reader, reader(source));
      return reads.get(reader) as T;
    },
    dayOf,
  };
  return source;
}
