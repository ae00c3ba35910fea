/**
 * The gateway's pino logger: JSON lines on stdout (docs/architecture.md §8), one `info`
 * line per request. Tests pass a destination stream to read the lines back.
 *
 * Request lines are written in batches (log-destination.ts). Nothing is lost
 * for it: every line that is not a request line is written at once with what
 * waited before it, `flushLogger` (called by the gateway's `close()`) writes
 * what is buffered, a quiet second writes the rest, and so does any process
 * exit.
 */
import { pino, type DestinationStream, type Logger } from 'pino';
import { batchedDestination, type LogDestination } from './log-destination.ts';
import { LOG_LINES } from './log-lines.ts';
import { registerLineTarget } from './request-line.ts';

export { batchedDestination, type LogDestination } from './log-destination.ts';

/** A pino logger; re-exported so other modules need not import pino. */
export type { Logger } from 'pino';

/** Pino levels plus `silent`. */
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

let lastMs = -1;
let lastTime = '';

/**
 * pino's `isoTime`, formatted once per millisecond: under load a dozen lines
 * share a millisecond, and `toISOString` was a measurable part of each line's
 * cost (bench/README.md). Same text as `pino.stdTimeFunctions.isoTime`.
 */
export function isoTimeOncePerMs(): string {
  const now = Date.now();
  if (now !== lastMs) {
    lastMs = now;
    lastTime = `,"time":"${new Date(now).toISOString()}"`;
  }
  return lastTime;
}

/** pino's number for `info`: request lines at this level or below may wait in the batch. */
const INFO = 30;

/**
 * Creates the process logger. Only the per-request decision lines at `info`
 * wait in the batch; every other line (start, drain, flags, warnings, errors)
 * is written at once, so what an operator waits for appears when it happens.
 *
 * @param level - from `logLevel` / `LOG_LEVEL`; default `info`.
 * @param destination - where lines go; default `batchedDestination()` (stdout).
 * @example const logger = createLogger('info');
 */
export function createLogger(level: LogLevel = 'info', destination: DestinationStream = batchedDestination()): Logger {
  const flushSync = (destination as Partial<LogDestination>).flushSync?.bind(destination);
  const logger = pino({
    level, base: { service: 'gateway' }, timestamp: isoTimeOncePerMs,
    hooks: flushSync ? {
      logMethod(args, method, lineLevel) {
        method.apply(this, args);
        const msg = typeof args[0] === 'string' ? args[0] : args[1];
        if (msg !== LOG_LINES.request || lineLevel > INFO) flushSync();
      },
    } : {},
  }, destination);
  registerLineTarget(logger, destination, isoTimeOncePerMs);
  return logger;
}

/**
 * Writes every buffered line of `logger` now (nothing to do for a destination
 * without a buffer). Never throws.
 */
export function flushLogger(logger: Logger): void {
  try {
    logger.flush();
  } catch {
    // A destination of someone else's that failed: logging must never take the gateway down.
  }
}
