import type { NotReady } from './worker-readiness.ts';

/**
 * A started queue worker as scripts/workers.ts runs it: the lines it prints, the code its
 * probe port answers an unknown path with, and how it stops.
 */
export interface RunningWorker {
  /** Printed once it reads its queue, e.g. `worker reading tracking:hits`. */
  readonly reading: string;
  /** Printed when SIGTERM starts its drain. */
  readonly draining: string;
  /** The code of the probe port's 404 (the part's error registry). */
  readonly notFoundCode: string;
  /** What `/readyz` asks: null when what the worker needs answers (service-kit/worker-readiness.ts). */
  check(): Promise<NotReady>;
  /** Finishes what is in hand, then releases its connections. */
  close(): Promise<void>;
}
