/**
 * The per-request decision line, written straight to the logger's destination
 * in exactly the shape pino writes (`{"level":30,"time":…,<bindings>,<fields>,"msg":…}`).
 * pino's generic path (the level hook, a walk over every key of the object)
 * was about 8 % of the gateway's CPU in a profile of the passthrough
 * (bench/README.md); this line has fixed fields, so it is written from a
 * template. Every other line still goes through pino.
 */
import { pino, type Logger } from 'pino';

const { streamSym, chindingsSym, timeSym } = pino.symbols;

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
  // pino keeps its destination, bindings and clock under these symbols (pino.symbols).
  const internals = logger as unknown as Record<symbol, unknown>;
  const stream = internals[streamSym] as { write(line: string): void };
  const time = (internals[timeSym] as () => string)();
  stream.write(`{"level":${INFO}${time}${internals[chindingsSym] as string}${fields},"msg":${JSON.stringify(msg)}}\n`);
  return true;
}
