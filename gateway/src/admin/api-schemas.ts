/**
 * The zod schemas of the admin API: the requests they validate and the
 * answers they describe. `openapi.ts` turns the same schemas into the OpenAPI
 * 3.1 document, so the document cannot drift from what the handlers accept.
 */
import { z } from 'zod';

/** Longest accepted reason, in characters. */
export const MAX_REASON_CHARS = 500;
/** Most audit entries one page returns. */
export const MAX_AUDIT_LIMIT = 1_000;

export const modeSchema = z.enum(['legacy', 'shadow', 'canary', 'extracted']).meta({ description: 'How the route is served (CONTEXT.md: Mode)' });
const percent = z.number().min(0).max(100).meta({ description: 'Canary percent, 0–100 in 0.01 steps; only with mode canary' });
const tenant = z.string().min(1).max(63).meta({ description: 'A configured tenant id; absent: the global flag' });
const reason = z.string().trim().min(1).max(MAX_REASON_CHARS).meta({ description: 'Why; recorded in the audit as "why"' });

/** Body of `PUT /admin/routes/{routeId}/mode`. */
export const modeChangeBody = z.object({ mode: modeSchema, percent: percent.optional(), tenant: tenant.optional(), reason }).strict();

/** Body of `POST /admin/routes/{routeId}/rollback`. */
export const rollbackBody = z.object({ tenant: tenant.optional(), reason: reason.optional() }).strict();

/** Query of `GET /admin/audit`. */
export const auditQuery = z
  .object({
    route: z.string().min(1).optional().meta({ description: 'Only entries of this route' }),
    tenant: z.string().min(1).optional().meta({ description: 'Only entries of this tenant; `*` for global changes only' }),
    since: z.iso.datetime({ offset: true }).optional().meta({ description: 'Only entries at or after this ISO-8601 time' }),
    cursor: z.string().regex(/^[0-9-]{1,40}$/).optional().meta({ description: 'The `next` of the previous page' }),
    limit: z.string().regex(/^\d{1,4}$/).default('100').meta({ description: `Entries per page, 1–${MAX_AUDIT_LIMIT}` }),
  })
  .strict();

/** Query of the route listings. */
export const routesQuery = z.object({ tenant: tenant.optional().meta({ description: 'Only this tenant' }) }).strict();

const setBy = z.literal('guard').meta({ description: 'Set by the guard stepping the route back; its requests carry reason guard-rollback' });
export const flagValueSchema = z.object({ mode: modeSchema, percent: percent.optional(), setBy: setBy.optional() });

/** One audit entry (CONTEXT.md: Audit entry). */
export const changeSchema = z
  .object({
    version: z.int().meta({ description: 'Store version after the change; the new revision of (route, tenant)' }),
    at: z.string().meta({ description: 'ISO-8601 time' }),
    who: z.string().meta({ description: 'The label of the token that made it, or guard' }),
    routeId: z.string(),
    tenant: z.string().nullable(),
    from: flagValueSchema.nullable().meta({ description: 'null: the catalogue default (legacy)' }),
    to: flagValueSchema.nullable().meta({ description: 'null: back to the catalogue default' }),
    why: z.string().nullable(),
    origin: z.enum(['manual', 'automatic']),
    action: z.enum(['set', 'remove', 'rollback']),
  })
  ;

const tenantMode = z.object({
  tenant: z.string(),
  mode: modeSchema,
  percent: percent.optional(),
  source: z.enum(['tenant-override', 'flag', 'default']).meta({ description: 'Where the mode comes from (CONTEXT.md: Reason)' }),
  revision: z.int().meta({ description: 'Revision of the tenant flag: send it as If-Match when changing this tenant' }),
});

/** A route with its effective mode per tenant. */
export const routeModesSchema = z
  .object({
    id: z.string(),
    area: z.string(),
    methods: z.array(z.string()).nullable(),
    upstream: z.string().nullable(),
    replayable: z.boolean(),
    journeyGroup: z.string(),
    global: z.object({ flag: flagValueSchema.nullable(), revision: z.int() }).meta({ description: 'The global flag; send its revision as If-Match for a global change' }),
    tenants: z.array(tenantMode),
  })
  ;

export const fleetSchema = z
  .object({
    version: z.int(),
    replicas: z.array(z.object({ id: z.string(), version: z.int(), seenAt: z.string(), straggler: z.boolean() })),
    stragglers: z.array(z.string()),
  })
  ;

export const errorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

export const readinessSchema = z
  .object({
    ready: z.boolean(),
    reasons: z.array(z.string()),
    degraded: z.boolean().meta({ description: 'True while the flag store cannot be read: serving the last snapshot, or the catalogue defaults' }),
    flags: z.object({ store: z.enum(['memory', 'redis']), connected: z.boolean(), applied: z.boolean(), version: z.int(), replica: z.string() }),
  })
  ;

export const changeAnswer = z.object({ change: changeSchema });
export const routesAnswer = z.object({ version: z.int(), routes: z.array(routeModesSchema) });
export const routeAnswer = z.object({ version: z.int(), route: routeModesSchema });
export const auditAnswer = z.object({ entries: z.array(changeSchema), next: z.string().nullable().meta({ description: 'Cursor of the next page; null at the end' }) });

/** Body of `PUT /admin/flags/{routeId}` (the older flag API: `why` optional). */
export const flagBody = z
  .object({ mode: modeSchema, percent: percent.optional(), tenant: tenant.optional(), why: reason.optional() })
  .strict()
  ;

const flagSchema = z.object({ routeId: z.string(), tenant: z.string().nullable(), mode: modeSchema, percent: percent.optional(), setBy: setBy.optional() });
export const flagsAnswer = z.object({ version: z.int(), flags: z.array(flagSchema) });
export const statsAnswer = z.record(z.string(), z.unknown()).meta({ description: 'Counters (requests, reasons, fallbacks, errors, …), flagVersion and inFlight' });
export const healthAnswer = z.object({ status: z.literal('ok') });
export const openApiAnswer = z.record(z.string(), z.unknown()).meta({ description: 'This document' });

// --- The guard (gateway/src/guard/) ------------------------------------------------------------

/** Most guard actions `GET /admin/guard` returns. */
export const MAX_GUARD_ACTIONS = 100;

/** Query of `GET /admin/guard`. */
export const guardQuery = z
  .object({
    route: z.string().min(1).optional().meta({ description: 'Only this route' }),
    tenant: tenant.optional().meta({ description: 'Only this tenant' }),
    limit: z.string().regex(/^\d{1,3}$/).default('20').meta({ description: `Recent actions, 1–${MAX_GUARD_ACTIONS}` }),
  })
  .strict();

const guardThresholdsSchema = z.object({
  enabled: z.boolean(),
  maxErrorRatePercent: z.number(),
  maxLatencyRatio: z.number(),
  maxMismatchRatePercent: z.number(),
  minSample: z.int(),
  latencyFloorMs: z.number(),
});

const rate = (what: string) => z.number().nullable().meta({ description: `${what}; null without samples` });

const guardFiguresSchema = z.object({
  newRequests: z.int().meta({ description: 'Requests meant for the new path in the window, failed ones included' }),
  newErrors: z.int().meta({ description: 'Of those, failed: 5xx, upstream-side error, fallback, breaker open' }),
  newTimed: z.int().meta({ description: 'New-path answers with a latency (the successful ones)' }),
  newLatencySumMs: z.number(),
  legacyTimed: z.int().meta({ description: 'Legacy answers of the route and tenant in the window' }),
  legacyLatencySumMs: z.number(),
  comparisons: z.int().meta({ description: 'Shadow comparisons in the window' }),
  mismatches: z.int(),
  errorRatePercent: rate('newErrors / newRequests × 100'),
  newLatencyMs: rate('Mean latency of the new path, ms'),
  legacyLatencyMs: rate('Mean latency of legacy in the window, ms'),
  baseline: z.object({ latencyMs: z.number(), samples: z.int(), at: z.string() }).nullable()
    .meta({ description: 'Legacy mean the ratio is taken against: the window\'s when it has minSample answers, else the last such one' }),
  latencyRatio: rate('New path mean over the baseline (both at least latencyFloorMs)'),
  mismatchRatePercent: rate('mismatches / comparisons × 100'),
});

const guardWatchSchema = z.object({
  routeId: z.string(),
  tenant: z.string(),
  mode: modeSchema,
  percent: percent.optional(),
  thresholds: guardThresholdsSchema,
  figures: guardFiguresSchema,
  state: z.enum(['idle', 'below-min-sample', 'ok', 'crossed']).meta({ description: 'idle: legacy, nothing to judge; crossed: the guard steps it back at its next evaluation' }),
  trigger: z.enum(['error-rate', 'latency-ratio', 'mismatch-rate']).nullable(),
});

/** `GET /admin/guard`. */
export const guardAnswer = z.object({
  replica: z.string().meta({ description: 'The replica whose windows these are: each judges the traffic it served' }),
  enabled: z.boolean(),
  windowMs: z.int(),
  evaluationIntervalMs: z.int(),
  canaryPercent: z.number().meta({ description: 'Percent a route gets when the guard moves it from extracted to canary' }),
  thresholds: guardThresholdsSchema.meta({ description: 'The defaults (guard.*); a watch shows its route\'s own' }),
  evaluatedAt: z.string().nullable(),
  watches: z.array(guardWatchSchema),
  actions: z.array(changeSchema).nullable().meta({ description: 'The guard\'s recent audit entries (any replica), newest first; null when the flag store cannot be read' }),
});

// --- Shadow comparisons (docs/architecture.md §6) -------------------------------------------

/** Most diffs one page returns. */
export const MAX_DIFF_LIMIT = 500;

/** Query of `GET /admin/diffs`. */
export const diffsQuery = z
  .object({
    route: z.string().min(1).optional().meta({ description: 'Only diffs of this route' }),
    tenant: z.string().min(1).max(63).optional().meta({ description: 'Only diffs of this tenant' }),
    offset: z.string().regex(/^\d{1,6}$/).default('0').meta({ description: 'Diffs skipped first, newest first (the `next` of the previous page)' }),
    limit: z.string().regex(/^\d{1,4}$/).default('50').meta({ description: `Diffs per page, 1–${MAX_DIFF_LIMIT}` }),
  })
  .strict();

const differenceSchema = z.object({
  path: z.string().meta({ description: 'Where: status, headers.…, cookies.…, location.…, body.…' }),
  legacy: z.string().nullable(),
  new: z.string().nullable(),
});
const diffSideSchema = z.object({ status: z.int(), latencyMs: z.number().meta({ description: 'From the request\'s start to the last body byte' }) });
const recordedResponseSchema = z.object({
  status: z.int(),
  headers: z.array(z.tuple([z.string(), z.string()])).meta({ description: 'Lower-case names; values redacted' }),
  bodyEncoding: z.enum(['text', 'base64']),
  body: z.string().meta({ description: 'Redacted text, or base64 of the first bytes of a binary body' }),
  truncated: z.boolean(),
});

/** One diff record, as listed (without the responses). */
export const diffSummarySchema = z.object({
  id: z.string().meta({ description: 'Unique within its route: GET /admin/diffs/{routeId}/{id}' }),
  routeId: z.string(),
  tenant: z.string(),
  at: z.string().meta({ description: 'When the request came in, ISO 8601' }),
  traceId: z.string().nullable(),
  legacy: diffSideSchema,
  new: diffSideSchema,
  differences: z.array(differenceSchema).meta({ description: 'Redacted' }),
  omitted: z.int().meta({ description: 'Differences beyond comparison.maxDifferences, counted only' }),
});

/** One diff record with both responses, redacted. */
export const diffSchema = diffSummarySchema.extend({
  responses: z.object({ legacy: recordedResponseSchema, new: recordedResponseSchema }).optional(),
});

export const diffsAnswer = z.object({ diffs: z.array(diffSummarySchema), next: z.string().nullable().meta({ description: 'Offset of the next page; null at the end' }) });
export const diffAnswer = z.object({ diff: diffSchema });

const latencySummary = z.object({ count: z.int(), p50Ms: z.number().nullable(), p90Ms: z.number().nullable(), p99Ms: z.number().nullable(), maxMs: z.number().nullable() });

/** One route's comparison counters. */
export const routeComparisonSchema = z.object({
  compared: z.int().meta({ description: 'matched + mismatched' }),
  matched: z.int(),
  mismatched: z.int(),
  skipped: z.record(z.string(), z.int()).meta({ description: 'By reason: body-too-large, cap-full, deadline-passed, dry-run-unconfirmed, dry-run-unsupported, dry-run-gave-up, shadow-failed, legacy-incomplete' }),
  latencyMs: z.object({ legacy: latencySummary, new: latencySummary }),
});

export const comparisonsAnswer = z.object({
  routes: z.record(z.string(), routeComparisonSchema).meta({ description: 'By route id; only routes shadowed since this replica started' }),
  store: z.object({ kind: z.enum(['memory', 'redis']), dropped: z.int().meta({ description: 'Diff records the store could not take' }) }),
  shadowInFlight: z.int(),
  shadowTargets: z.array(z.object({
    upstream: z.string(), url: z.string(), inFlight: z.int(),
    share: z.int().meta({ description: 'Copies it may have in flight: shadow.maxInFlight, halved by each copy past its deadline (down to 1), one more per copy answered in time' }),
  })).meta({ description: 'Each target shadow copies went to since this replica started' }),
});
