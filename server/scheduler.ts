/**
 * Takes turns between workspaces (docs/RELAY.md "Fairness"). The library
 * applies an update synchronously, and ws hands over every message a socket
 * has buffered in one go, so a workspace that sends a burst of costly frames
 * would keep every other workspace's frames waiting behind all of it. Instead
 * each frame is queued under its workspace, and the queues are served in
 * rounds: in each round every workspace with work runs frames for up to
 * `sliceMs` (at least one), then the relay yields to I/O (setImmediate). An
 * honest frame then waits for at most one costly frame per other busy
 * workspace, not for their whole backlog. Frames of one socket keep their order.
 * When nothing is waiting, one frame per turn of the event loop runs at once
 * (no extra hop for the common, quiet case).
 *
 * A socket with more than `maxSocketQueuedBytes` waiting is paused (its TCP
 * reads stop, the sender is slowed by TCP itself) until half of that is left.
 */

export interface Pausable {
  pause?(): void;
  resume?(): void;
}

export interface FrameScheduler {
  /** Queue `run` (one frame of `bytes` from `socket`) under `workspace`. */
  enqueue(workspace: string, socket: Pausable, bytes: number, run: () => void): void;
  /** Frames waiting, all workspaces. */
  waiting(): number;
}

interface Job {
  socket: Pausable;
  bytes: number;
  run: () => void;
}

export function createFrameScheduler(opts: { sliceMs: number; maxSocketQueuedBytes: number; onError?: (err: unknown) => void }): FrameScheduler {
  const queues = new Map<string, Job[]>();
  const queuedBytes = new Map<Pausable, number>();
  const paused = new Set<Pausable>();
  let scheduled = false;
  let waiting = 0;
  /** A frame ran at once in this turn of the event loop; the next ones wait for a round. */
  let ranAtOnce = false;

  const settle = (job: Job) => {
    const left = (queuedBytes.get(job.socket) ?? 0) - job.bytes;
    if (left > 0) queuedBytes.set(job.socket, left);
    else queuedBytes.delete(job.socket);
    if (paused.has(job.socket) && left <= opts.maxSocketQueuedBytes / 2) {
      paused.delete(job.socket);
      job.socket.resume?.();
    }
  };

  const round = () => {
    scheduled = false;
    // Map order is insertion order: a workspace that still has work goes to the back for the next round.
    for (const [workspace, queue] of [...queues]) {
      const until = performance.now() + opts.sliceMs;
      do {
        const job = queue.shift()!;
        waiting--;
        settle(job);
        try {
          job.run();
        } catch (err) {
          opts.onError?.(err);
        }
      } while (queue.length > 0 && performance.now() < until);
      queues.delete(workspace);
      if (queue.length > 0) queues.set(workspace, queue);
    }
    if (queues.size > 0) schedule();
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(round);
  };

  return {
    enqueue(workspace, socket, bytes, run) {
      if (!scheduled && queues.size === 0 && !ranAtOnce) {
        ranAtOnce = true;
        setImmediate(() => (ranAtOnce = false));
        try {
          run();
        } catch (err) {
          opts.onError?.(err);
        }
        return;
      }
      let queue = queues.get(workspace);
      if (!queue) queues.set(workspace, (queue = []));
      queue.push({ socket, bytes, run });
      waiting++;
      const total = (queuedBytes.get(socket) ?? 0) + bytes;
      queuedBytes.set(socket, total);
      if (total > opts.maxSocketQueuedBytes && !paused.has(socket) && socket.pause) {
        paused.add(socket);
        socket.pause();
      }
      schedule();
    },
    waiting: () => waiting,
  };
}
