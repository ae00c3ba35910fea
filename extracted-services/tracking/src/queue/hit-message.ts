/**
 * A phase-2 message (`HitCompletion`) as text for the queue: JSON, with the hit query's
 * Maps (PHP arrays with their key order) written as `{"$map": [[key, value], …]}`.
 * Decoding checks the shape and throws `HitMessageError` for anything else, so a
 * damaged message goes to the dead-letter stream with a reason instead of half-applying.
 */
import type { HitCompletion } from '../domain/page-hit.ts';

/** A message that is not a phase-2 message. */
export class HitMessageError extends Error {
  readonly code = 'HIT_MESSAGE_INVALID';

  constructor(reason: string) {
    super(`Not a hit message: ${reason}`);
    this.name = 'HitMessageError';
  }
}

function toJsonValue(value: unknown): unknown {
  if (value instanceof Map) return { $map: [...value].map(([k, v]) => [k, toJsonValue(v)]) };
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJsonValue(v)]));
  return value;
}

function fromJsonValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(fromJsonValue);
  if (value === null || typeof value !== 'object') return value;
  const entries = (value as { $map?: unknown }).$map;
  if (Array.isArray(entries)) return new Map(entries.map((e) => [(e as unknown[])[0] as string | number, fromJsonValue((e as unknown[])[1])]));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fromJsonValue(v)]));
}

/** The message text of a completion. */
export function encodeHitMessage(hit: HitCompletion): string {
  return JSON.stringify(toJsonValue(hit));
}

const NUMBER_FIELDS = ['hitId', 'leadId'] as const;
const TEXT_FIELDS = ['trackingId', 'userAgent', 'acceptLanguage', 'refererHeader', 'dateHit', 'storedIp'] as const;

/**
 * The completion of a message text.
 *
 * @throws HitMessageError naming what is wrong.
 */
export function decodeHitMessage(text: string): HitCompletion {
  let value: unknown;
  try {
    value = fromJsonValue(JSON.parse(text));
  } catch {
    throw new HitMessageError('invalid JSON');
  }
  const hit = value as Record<string, unknown>;
  if (hit === null || typeof hit !== 'object') throw new HitMessageError('not an object');
  for (const f of NUMBER_FIELDS) if (!Number.isSafeInteger(hit[f])) throw new HitMessageError(`${f} is not an integer`);
  for (const f of TEXT_FIELDS) if (typeof hit[f] !== 'string') throw new HitMessageError(`${f} is not a string`);
  if (!(hit.query instanceof Map)) throw new HitMessageError('query is not a map');
  if (hit.redirectId !== null && !Number.isSafeInteger(hit.redirectId)) throw new HitMessageError('redirectId is not an integer or null');
  if (hit.previousHitId !== null && !Number.isSafeInteger(hit.previousHitId)) throw new HitMessageError('previousHitId is not an integer or null');
  return hit as unknown as HitCompletion;
}
