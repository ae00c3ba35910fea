/**
 * Where the process logger's lines go: a file descriptor (stdout), written in
 * batches. pino's default destination does one `write` syscall per line,
 * about a tenth of the passthrough's CPU (bench/README.md); here one blocking
 * `write` carries about a dozen request lines.
 *
 * Lines are written when 4 KiB are buffered, on `flushSync`, 1 s after the
 * first unwritten line, and when the process exits (`process.exit`, an
 * uncaught error, an empty event loop). Blocking writes, like pino's default:
 * a reader that does not keep up slows the gateway down instead of filling
 * its memory.
 */
import { writeSync } from 'node:fs';

/** A pino destination that may hold lines back. */
export interface LogDestination {
  /** pino calls this with one serialised line (ending in `\n`). */
  write(line: string): void;
  /** Writes every buffered line now. Never throws. */
  flushSync(): void;
  /** What pino's `logger.flush(cb)` calls: `flushSync`, then `cb`. */
  flush(cb?: (err?: Error) => void): void;
}

/** Characters buffered before a write: about a dozen request lines. */
const BATCH_CHARS = 4096;

/** Longest a line waits in the buffer when traffic is low, in ms. */
const FLUSH_AFTER_MS = 1000;

/** How long to wait before writing again to a full non-blocking pipe, in ms. */
const FULL_PIPE_WAIT_MS = 1;

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Batched destinations alive in this process, flushed on exit. */
const live = new Set<WeakRef<LogDestination>>();

function flushAllOnExit(): void {
  for (const ref of live) ref.deref()?.flushSync();
}

/**
 * Writes all of `bytes` to `fd`, waiting while a non-blocking pipe is full.
 *
 * @returns false when the descriptor cannot be written (closed, reader gone).
 */
function writeAll(fd: number, bytes: Buffer): boolean {
  let offset = 0;
  while (offset < bytes.length) {
    try {
      offset += writeSync(fd, bytes, offset);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') return false;
      Atomics.wait(sleeper, 0, 0, FULL_PIPE_WAIT_MS);
    }
  }
  return true;
}

/**
 * A batching destination on a file descriptor.
 *
 * @param fd - default 1 (stdout).
 * @example const logger = createLogger('info', batchedDestination(openSync('gw.log', 'a')));
 */
export function batchedDestination(fd = 1): LogDestination {
  let pending = '';
  let timer: NodeJS.Timeout | null = null;
  // Once the descriptor refuses a write (EPIPE: the reader left), lines are dropped, not retried.
  let broken = false;

  const flushSync = (): void => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (pending.length === 0) return;
    const out = pending;
    pending = '';
    if (!broken && !writeAll(fd, Buffer.from(out, 'utf8'))) broken = true;
  };

  const destination: LogDestination = {
    write(line) {
      pending += line;
      if (pending.length >= BATCH_CHARS) flushSync();
      else if (!timer) timer = setTimeout(flushSync, FLUSH_AFTER_MS).unref();
    },
    flushSync,
    flush(cb) {
      flushSync();
      cb?.();
    },
  };
  if (live.size === 0) process.once('exit', flushAllOnExit);
  live.add(new WeakRef(destination));
  return destination;
}
