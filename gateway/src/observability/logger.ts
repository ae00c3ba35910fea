/**
 * The gateway's pino logger: JSON lines on stdout (design.md §8), one `info`
 * line per request. Tests pass a destination stream to read the lines back.
 */
import { pino, type DestinationStream, type Logger } from 'pino';

/** A pino logger; re-exported so other modules need not import pino. */
export type { Logger } from 'pino';

/** Pino levels plus `silent`. */
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/**
 * Creates the process logger.
 *
 * @param level - from `logLevel` / `LOG_LEVEL`; default `info`.
 * @param destination - where lines go; default stdout.
 * @example const logger = createLogger('info');
 */
export function createLogger(level: LogLevel = 'info', destination?: DestinationStream): Logger {
  const options = { level, base: { service: 'gateway' }, timestamp: pino.stdTimeFunctions.isoTime };
  return destination ? pino(options, destination) : pino(options);
}
