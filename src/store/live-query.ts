import { captureReads } from './idb';

export interface Subscription {
  unsubscribe(): void;
}

/**
 * Dexie's liveQuery, for queries that read in one step: runs `query` now and
 * again after each write to a table it read (in this tab or another), and
 * delivers the latest result. The tables are those `query` reads before its
 * first await.
 */
export function liveQuery<R>(query: () => Promise<R>): { subscribe(o: { next: (v: R) => void; error?: (e: unknown) => void }): Subscription } {
  return {
    subscribe({ next, error }) {
      let closed = false;
      let running = false;
      let again = false;
      const offs: Array<() => void> = [];
      const exec = async (): Promise<void> => {
        if (running) return void (again = true);
        running = true;
        try {
          do {
            again = false;
            const { result, tables } = captureReads(query);
            if (!offs.length) for (const t of tables) offs.push(t.idb.onChange((name) => name === t.name && !closed && void exec()));
            const v = await result;
            if (!closed && !again) next(v);
          } while (again && !closed);
        } catch (e) {
          if (!closed) error?.(e);
        } finally {
          running = false;
        }
      };
      void exec();
      return {
        unsubscribe() {
          closed = true;
          offs.forEach((off) => off());
        },
      };
    },
  };
}
