/**
 * The zod schemas of the observability endpoints of the admin API (traces,
 * migration progress), turned into the OpenAPI document by openapi.ts like
 * those of api-schemas.ts.
 */
import { z } from 'zod';

/** Most traces one list returns. */
export const MAX_TRACES_LIMIT = 1_000;
/** Most days of progress one answer covers. */
export const MAX_PROGRESS_DAYS = 366;

const attributes = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).meta({ description: 'Span attributes: strangler.route, .tenant, .mode, .reason, .bucket, .diff, http.*' });

/** Query of `GET /admin/traces`. */
export const tracesQuery = z
  .object({ limit: z.string().regex(/^\d{1,4}$/).default('50').meta({ description: `Traces, newest first, 1–${MAX_TRACES_LIMIT}` }) })
  .strict();

/** `GET /admin/traces`. */
export const tracesAnswer = z.object({
  traces: z.array(z.object({
    traceId: z.string(), name: z.string(), startedAt: z.string(), durationMs: z.number(), spans: z.int(), error: z.boolean(), attributes,
  })),
});

/** `GET /admin/traces/{traceId}`. */
export const traceAnswer = z.object({
  traceId: z.string(),
  spans: z.array(z.object({
    traceId: z.string(), spanId: z.string(), parentSpanId: z.string().optional(), name: z.string(),
    kind: z.enum(['internal', 'server', 'client', 'producer', 'consumer']), startedAt: z.string(), durationMs: z.number(), status: z.enum(['unset', 'ok', 'error']), attributes,
  })),
});

/** Query of `GET /admin/progress`. */
export const progressQuery = z
  .object({
    tenant: z.string().min(1).max(63).optional().meta({ description: 'Only this tenant' }),
    route: z.string().min(1).max(128).optional().meta({ description: 'Only this route' }),
    days: z.string().regex(/^\d{1,3}$/).default('7').meta({ description: `Days back, today included, 1–${MAX_PROGRESS_DAYS}` }),
  })
  .strict();

/** `GET /admin/progress`. */
export const progressAnswer = z.object({
  source: z.enum(['memory', 'redis']).meta({ description: 'memory: this replica since it started; redis: the whole fleet' }),
  days: z.array(z.object({
    day: z.string().meta({ description: 'UTC day, YYYY-MM-DD' }), tenant: z.string(), route: z.string(),
    total: z.int(), answeredByNew: z.int(), fellBack: z.int(), newShare: z.number().meta({ description: 'answeredByNew / total, 0–1' }),
  })),
});
