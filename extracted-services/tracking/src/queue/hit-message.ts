/**
 * Queue messages as text: a phase-2 message (`HitCompletion`) and, in fast mode, a whole
 * page view (`PageViewMessage`). The text is: JSON, with the hit query's
 * Maps (PHP arrays with their key order) written as `{"$map": [[key, value], …]}`.
 * Decoding checks the shape and throws `HitMessageError` for anything else, so a
 * damaged message goes to the dead-letter stream with a reason instead of half-applying.
 */
import type { HitCompletion } from '../domain/page-hit.ts';
import type { TrackingRequest } from '../../../service-kit/visitor/tracking-request.ts';

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

/** A whole page view queued by fast mode: the request as data and the tracking id the answer gave. */
export interface PageViewMessage {
  request: TrackingRequest;
  newDeviceTrackingId: string | undefined;
}

/** The message text of a fast-mode page view. */
export function encodeViewMessage(view: PageViewMessage): string {
  const { now, ...rest } = view.request;
  return JSON.stringify(toJsonValue({ request: { ...rest, now: now.toISOString() }, newDeviceTrackingId: view.newDeviceTrackingId ?? null }));
}

/**
 * The page view of a message text.
 *
 * @throws HitMessageError naming what is wrong.
 */
export function decodeViewMessage(text: string): PageViewMessage {
  let value: { request?: Record<string, unknown>; newDeviceTrackingId?: unknown };
  try {
    value = fromJsonValue(JSON.parse(text)) as typeof value;
  } catch {
    throw new HitMessageError('invalid JSON');
  }
  const r = value?.request;
  if (!r || typeof r !== 'object') throw new HitMessageError('no request');
  for (const f of ['get', 'post', 'merged', 'cookies'] as const) if (!(r[f] instanceof Map)) throw new HitMessageError(`request.${f} is not a map`);
  for (const f of ['method', 'httpVersion', 'path', 'now'] as const) if (typeof r[f] !== 'string') throw new HitMessageError(`request.${f} is not a string`);
  if (r.headers === null || typeof r.headers !== 'object') throw new HitMessageError('request.headers is not an object');
  const now = new Date(r.now as string);
  if (Number.isNaN(now.getTime())) throw new HitMessageError('request.now is not a date');
  const id = value.newDeviceTrackingId;
  return { request: { ...(r as unknown as TrackingRequest), now }, newDeviceTrackingId: typeof id === 'string' ? id : undefined };
}
