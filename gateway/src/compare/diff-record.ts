/**
 * Diff records (CONTEXT.md: Diff): what is stored about one shadowed request whose
 * answers differ. Built redacted and bounded, so a store never holds personal
 * data or an unbounded value; read back through a schema, so a corrupt entry
 * is refused instead of served.
 */
import { z } from 'zod';
import { recordedResponseSchema, type RecordedResponse } from './recorded-response.ts';
import { redactDifference } from './redact.ts';
import type { Difference } from './types.ts';

/** One side's answer as the record keeps it. */
export interface DiffSide {
  readonly status: number;
  /** From the request's start to the last body byte, ms. */
  readonly latencyMs: number;
}

/** A diff record, as stored (docs/architecture.md §6). */
export interface DiffRecord {
  readonly routeId: string;
  readonly tenant: string;
  /** When the request came in, ISO 8601 UTC. */
  readonly at: string;
  /** W3C trace id of the request, when it was traced. */
  readonly traceId: string | null;
  readonly legacy: DiffSide;
  readonly new: DiffSide;
  /** Redacted, each value at most `maxValueChars` characters. */
  readonly differences: readonly Difference[];
  /** Differences found beyond `maxDifferences`, counted but not kept. */
  readonly omitted: number;
  /** Both answers, redacted and bounded (recorded-response.ts); absent on records written before they were kept. */
  readonly responses?: { readonly legacy: RecordedResponse; readonly new: RecordedResponse };
}

/** A record with the id its store gave it (unique within its route). */
export interface StoredDiffRecord extends DiffRecord {
  readonly id: string;
}

/** What the shadow path knows about the request, besides the differences. */
export interface DiffContext {
  readonly routeId: string;
  readonly tenant: string;
  readonly at: Date;
  readonly traceId: string | null;
  readonly legacy: DiffSide;
  readonly new: DiffSide;
  /** Both answers, already redacted by `recordResponse`. */
  readonly responses?: { readonly legacy: RecordedResponse; readonly new: RecordedResponse };
}

const side = z.strictObject({ status: z.number().int().min(100).max(999), latencyMs: z.number().min(0) });
const value = z.string().nullable();

/** The schema a record read back from a store must pass. */
export const diffRecordSchema = z.strictObject({
  routeId: z.string().min(1),
  tenant: z.string().min(1),
  at: z.iso.datetime(),
  traceId: z.string().regex(/^[0-9a-f]{32}$/).nullable(),
  legacy: side,
  new: side,
  differences: z.array(z.strictObject({ path: z.string().min(1), legacy: value, new: value })),
  omitted: z.number().int().min(0),
  responses: z.strictObject({ legacy: recordedResponseSchema, new: recordedResponseSchema }).optional(),
});

function truncate(text: string | null, maxChars: number): string | null {
  return text !== null && text.length > maxChars ? `${text.slice(0, maxChars)}…` : text;
}

/**
 * Builds the record of a mismatch: every difference redacted, then cut to `maxValueChars`.
 *
 * @example
 * buildDiffRecord({ routeId: 'tracking.event', tenant: 'default', at: new Date(), traceId: null,
 *   legacy: { status: 200, latencyMs: 12 }, new: { status: 200, latencyMs: 9 } }, result, { maxValueChars: 512 });
 */
export function buildDiffRecord(
  context: DiffContext,
  mismatch: { readonly differences: readonly Difference[]; readonly omitted: number },
  options: { readonly maxValueChars: number },
): DiffRecord {
  const differences = mismatch.differences.map((d) => {
    const r = redactDifference(d);
    return { path: truncate(r.path, options.maxValueChars)!, legacy: truncate(r.legacy, options.maxValueChars), new: truncate(r.new, options.maxValueChars) };
  });
  return {
    routeId: context.routeId,
    tenant: context.tenant,
    at: context.at.toISOString(),
    traceId: context.traceId,
    legacy: { ...context.legacy },
    new: { ...context.new },
    differences,
    omitted: mismatch.omitted,
    ...(context.responses ? { responses: context.responses } : {}),
  };
}
