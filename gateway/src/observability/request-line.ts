/**
 * The per-request decision line, written from a template straight to the
 * logger's destination in exactly the shape pino writes
 * (`{"level":30,"time":…,<bindings>,<fields>,"msg":…}`). pino's generic path
 * (the level hook, a walk over every key of the object) costs measurably more
 * on the passthrough (bench/README.md, "What is known today"); this line has
 * fixed fields, so it is written from a template. Every other line goes
 * through pino.
 *
 * Only pino's public API is used: `createLogger` registers the destination,
 * the clock and the bindings (`logger.bindings()`) it gave pino; a logger it
 * did not create (a child, a test's own pino) gets the line through
 * `logger.info`, with the same bytes.
 */
import type { DestinationStream, Logger } from 'pino';

/** What the template needs of a logger that createLogger made. */
interface LineTarget {
  readonly destination: DestinationStream;
  /** The logger's timestamp function: `,"time":…`. */
  readonly time: () => string;
  /** The logger's bindings as pino writes them: `,"service":"gateway"`. */
  readonly bindings: string;
}

const targets = new WeakMap<Logger, LineTarget>();

/**
 * Lets `writeInfoLine` write `logger`'s request lines from the template. The
 * bindings are read now: the gateway never changes them (`setBindings`).
 *
 * @param time - the timestamp function given to pino (`,"time":…`).
 */
export function registerLineTarget(logger: Logger, destination: DestinationStream, time: () => string): void {
  let bindings = '';
  for (const [name, value] of Object.entries(logger.bindings())) bindings += `,${JSON.stringify(name)}:${JSON.stringify(value)}`;
  targets.set(logger, { destination, time, bindings });
}

/** pino's number for `info`. */
const INFO = 30;

/** Longest string checked character by character before falling back to `JSON.stringify`. */
const SCAN_LIMIT = 256;

/**
 * A JSON string, or `null`: the bytes `JSON.stringify` writes. Most values of
 * the line (ids, method, route, tenant, upstream, most paths) need no escaping;
 * they are quoted after one scan, which costs a fraction of `JSON.stringify`
 * for short strings (six of them per request line, bench/README.md).
 */
export function jsonString(value: string | null): string {
  if (value === null) return 'null';
  if (value.length > SCAN_LIMIT) return JSON.stringify(value);
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    // Control characters, `"` and `\` are escaped; lone surrogates are written as \u escapes.
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return JSON.stringify(value);
  }
  return `"${value}"`;
}

/**
 * Writes one `info` line whose fields are already serialised.
 *
 * @param fields - `,"name":value` pairs, each value valid JSON (see `jsonString`).
 * @returns false when `info` is not enabled (nothing written).
 * @example writeInfoLine(logger, `,"requestId":${jsonString(id)}`, LOG_LINES.request);
 */
export function writeInfoLine(logger: Logger, fields: string, msg: string): boolean {
  if (logger.levelVal > INFO) return false;
  const target = targets.get(logger);
  if (target === undefined) {
    logger.info(JSON.parse(`{${fields.slice(1)}}`) as object, msg);
    return true;
  }
  target.destination.write(`{"level":${INFO}${target.time()}${target.bindings}${fields},"msg":${JSON.stringify(msg)}}\n`);
  return true;
}
