/**
 * The one configuration schema of the gateway. The TypeScript type is inferred
 * from it, every object rejects unknown keys, and every default lives here with
 * its unit in the key name. gateway/README.md § Configuration mirrors this file.
 */
import { z } from 'zod';
import { NEW_UPSTREAM_NAMES, UPSTREAMS, type NewUpstreamName, type UpstreamName } from '../model.ts';
import { isTrustedProxyEntry } from './trusted-proxy-entry.ts';

const port = z.number().int().min(0).max(65535);
const positiveMs = z.number().int().positive();
const httpUrl = z.url({ protocol: /^https?$/, error: 'Invalid URL (expected http:// or https://)' });

/** A Host name as it appears in the Host header without its port; stored lower-case. */
const hostName = z
  .string()
  .regex(/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?)$/, 'Invalid host name (no port, no scheme)')
  .transform((h) => h.toLowerCase());

/** Key of a tenant's own URL for a new upstream: `trackingUrl`, `formsUrl`, … */
export type TenantUrlKey = `${NewUpstreamName}Url`;

/** The tenant key that holds its own URL of new upstream `name`. */
export function tenantUrlKey(name: NewUpstreamName): TenantUrlKey {
  return `${name}Url`;
}

const tenantId = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'Invalid tenant id (lower-case letters, digits, "-" and "_")');

/** Timeouts and pool size of one upstream. */
const upstreamTuning = {
  /** Time to open the TCP connection. */
  connectTimeoutMs: positiveMs.default(2_000),
  /** Time from the request body being sent to the response headers. */
  headersTimeoutMs: positiveMs.default(15_000),
  /** Time for the whole exchange, both bodies included. */
  totalTimeoutMs: positiveMs.default(30_000),
  /**
   * Connections per upstream origin, busy or kept alive. 256: a legacy pool
   * shared by every legacy route must outnumber what one slow page can hold (issue
   * #10: 32 requests to one slow page stalled every legacy route), while a busy
   * upstream connection costs the gateway about 17 KiB more than a queued request
   * (measured, gateway/README.md § Upstream pools and slow clients). Envoy's
   * per-cluster default is 1,024.
   */
  connections: z.number().int().min(1).max(10_000).default(256),
  /**
   * Requests that may wait for a free connection when all are busy; one more
   * gets 503 GW_ERR_UPSTREAM_QUEUE_FULL at once. 0: no waiting. As large as the
   * pool: a queue that long only forms when the upstream is saturated, and then
   * waiting longer turns into timeouts, not answers.
   */
  queueLimit: z.number().int().min(0).max(100_000).default(256),
  /** Idle pooled connections are closed after this; keep it below the upstream's own idle timeout. */
  keepAliveTimeoutMs: positiveMs.default(4_000),
};

/** One upstream: its URL (default from `UPSTREAMS`) and its tuning. */
const upstreamSchema = (defaultUrl: string) =>
  z
    .object({ url: httpUrl.default(defaultUrl), ...upstreamTuning })
    .strict()
    .prefault({});

/** `upstreams.<name>` for every name of `UPSTREAMS` (model.ts). */
const upstreamsSchema = z
  .object(Object.fromEntries(UPSTREAMS.map((u) => [u.name, upstreamSchema(u.defaultUrl)])) as Record<UpstreamName, ReturnType<typeof upstreamSchema>>)
  .strict()
  .prefault({});

/**
 * Breaker settings, shared by every (new upstream, tenant) breaker unless a route
 * has its own (`routes.<routeId>.breaker`). There is no breaker timeout: the
 * upstream timeouts above bound every call and cancel it.
 *
 * Two trips: the failure rate over the rolling window (a flaky upstream), and a
 * run of consecutive failures (a dead one). The rate alone is slow to see a
 * death under load: a window full of earlier successes needs as many failures
 * again before it crosses the percentage (issue #10 measured 9 s at 6,000 req/s).
 */
const breakerFields = {
  /** Failure percentage in the rolling window that opens the breaker (5xx and upstream-side errors fail). */
  errorThresholdPercentage: z.number().int().min(1).max(100).default(50),
  /** How long an open breaker waits before letting one probe through (half-open). */
  resetTimeoutMs: positiveMs.max(3_600_000).default(5_000),
  /**
   * Calls needed in the rolling window before the breaker may open. 10 (one call a
   * second over the default 10 s window), not opossum's 0: with 0, one failed call on
   * a quiet route is 100 % of its window and would open the breaker, sending the
   * tenant's traffic to legacy for resetTimeoutMs on the evidence of a single request.
   */
  volumeThreshold: z.number().int().min(0).max(1_000_000).default(10),
  /** Length of the rolling statistics window. */
  rollingCountTimeoutMs: positiveMs.max(3_600_000).default(10_000),
  /** Buckets the rolling window is split into; must divide rollingCountTimeoutMs. */
  rollingCountBuckets: z.number().int().min(1).max(1_000).default(10),
  /**
   * Upstream-side failures in a row (5xx, connect, timeout, reset, invalid
   * response) that open the breaker whatever the rate; a success resets the
   * count, a client abort leaves it. 5, as Envoy's outlier detection ejects a
   * host after 5 consecutive 5xx. 0 turns this trip off.
   */
  consecutiveFailures: z.number().int().min(0).max(1_000_000).default(5),
};

const BUCKETS_MUST_DIVIDE = 'Must divide rollingCountTimeoutMs evenly';
const bucketsDivide = (b: { rollingCountTimeoutMs: number; rollingCountBuckets: number }): boolean => b.rollingCountTimeoutMs % b.rollingCountBuckets === 0;

const breakerSchema = z.object(breakerFields).strict().refine(bucketsDivide, { path: ['rollingCountBuckets'], message: BUCKETS_MUST_DIVIDE });

/** A route's own breaker settings: any breaker key; unset ones come from `breaker`. */
const routeBreakerSchema = z
  .object(Object.fromEntries(Object.entries(breakerFields).map(([k, v]) => [k, v.unwrap().optional()])) as {
    [K in keyof typeof breakerFields]: z.ZodOptional<ReturnType<(typeof breakerFields)[K]['unwrap']>>
  })
  .strict();

/**
 * The guard's thresholds (docs/architecture.md §4; gateway/src/guard/), shared by every route unless
 * a route has its own (`routes.<routeId>.guard`). A threshold is crossed when the figure is above it.
 */
const guardThresholdFields = {
  /** Whether the guard watches the route; off: it never moves it. */
  enabled: z.boolean().default(true),
  /**
   * Share of the new path's requests in the window that failed (5xx, upstream-side error,
   * fallback to legacy, breaker open), above which the route steps back. 5 %: a breaker opens at
   * 50 % for seconds; the guard is the slower, lasting answer to a new path that keeps failing.
   */
  maxErrorRatePercent: z.number().min(0).max(100).default(5),
  /** New path's mean latency over legacy's (same route and tenant), above which the route steps back. */
  maxLatencyRatio: z.number().min(1).max(1_000).default(2),
  /** Share of shadow comparisons in the window that found a difference, above which shadow steps back to legacy. */
  maxMismatchRatePercent: z.number().min(0).max(100).default(5),
  /**
   * Samples needed in the window before a figure is judged: new-path requests (error rate),
   * new-path and legacy answers each (latency ratio), comparisons (mismatch rate). 50: one bad
   * minute on a quiet route is not evidence.
   */
  minSample: z.number().int().min(1).max(1_000_000).default(50),
  /**
   * Means below this count as this in the latency ratio, so that 0.4 ms against 1.1 ms on a
   * loopback is not "2.75 times slower".
   */
  latencyFloorMs: z.number().min(0).max(60_000).default(10),
};

const guardSchema = z
  .object({
    ...guardThresholdFields,
    /** Length of the rolling window the figures are taken over (split into 10 buckets). */
    windowMs: positiveMs.max(86_400_000).default(60_000),
    /** How often each replica judges its windows. */
    evaluationIntervalMs: positiveMs.max(3_600_000).default(5_000),
    /**
     * Percent a route gets when the guard moves it from extracted back to canary. 10: small enough
     * that most traffic is off the failing path at once, large enough to keep judging it.
     */
    canaryPercent: z.number().min(0.01).max(100).refine((p) => Math.abs(p * 100 - Math.round(p * 100)) < 1e-9, 'At most two decimals (0.01 steps)').default(10),
    /** The Redis lock one replica holds while it acts on a (route, tenant); expires by itself after this. */
    lockTtlMs: positiveMs.max(600_000).default(10_000),
  })
  .strict();

/** A route's own guard settings: any threshold key; unset ones come from `guard`. */
const routeGuardSchema = z
  .object(Object.fromEntries(Object.entries(guardThresholdFields).map(([k, v]) => [k, v.unwrap().optional()])) as {
    [K in keyof typeof guardThresholdFields]: z.ZodOptional<ReturnType<(typeof guardThresholdFields)[K]['unwrap']>>
  })
  .strict();

/**
 * Settings of one route of the catalogue (`routes.<routeId>`); the route ids are
 * checked against the catalogue at start-up.
 */
const routeSettingsSchema = z
  .object({
    /** This route's own breaker per (upstream, tenant), with these settings over `breaker`. */
    breaker: routeBreakerSchema.optional(),
    /** This route's own guard thresholds, over `guard`. */
    guard: routeGuardSchema.optional(),
    /**
     * Requests of this route in flight at once (per gateway process); more get 503
     * GW_ERR_ROUTE_CONCURRENCY_LIMIT at once. Unset: no cap. Keeps one slow route
     * from holding every connection of its upstream's pool.
     */
    maxConcurrent: z.number().int().min(1).max(1_000_000).optional(),
  })
  .strict();

/** Limits of the public port. */
const serverSchema = z
  .object({
    port: port.default(8080),
    host: z.string().min(1).default('0.0.0.0'),
    /**
     * Request line plus every header field's name and value (node:http does not
     * count the `: ` and line ends between them); more gets 431 (Node's default is 16 KiB).
     */
    maxHeaderBytes: z.number().int().min(1_024).max(1_048_576).default(16_384),
    /** Header fields in one request; more gets 431. 1,000: what node:http allows when not told. */
    maxHeaderFields: z.number().int().min(16).max(10_000).default(1_000),
    /** Request-target (path and query); more gets 414. */
    maxTargetBytes: z.number().int().min(256).max(1_048_576).default(8_192),
    /** Time a client has to send its headers. */
    headersTimeoutMs: positiveMs.default(10_000),
    /**
     * Time a client has, once its headers are in, to send its body; more gets 408.
     * A body up to maxBufferedBodyBytes is read whole before any upstream is called.
     */
    requestTimeoutMs: positiveMs.default(60_000),
    /** Idle keep-alive connections are closed after this. */
    keepAliveTimeoutMs: positiveMs.default(5_000),
    /** On SIGTERM, in-flight requests get this long to finish. */
    drainTimeoutMs: positiveMs.default(10_000),
    /**
     * Request bodies are read whole up to this (1 MiB) before an upstream is called,
     * so a slow client holds no upstream connection and a body can be sent again
     * (fallback); a larger one streams to its primary only, counted in bodyBufferSkipped.
     */
    maxBufferedBodyBytes: z.number().int().min(0).default(1_048_576),
    /**
     * Keep an incoming `X-Forwarded-Proto: https` (set it when a TLS-terminating
     * proxy you trust is in front). Off: upstreams are told `http`.
     */
    trustForwardedProto: z.boolean().default(false),
    /**
     * Our own proxies in front of the gateway (load balancer, ingress), as IPs or
     * CIDR blocks. Only from these is an incoming X-Forwarded-For believed; see
     * upstream/client-address.ts. Default none: the gateway is the edge.
     */
    trustedProxies: z.array(z.string().refine(isTrustedProxyEntry, 'Not an IP address or CIDR block (e.g. 10.0.0.0/8)')).default([]),
  })
  .strict();

const adminTokenSchema = z
  .object({
    /** Written to the audit list as "who". */
    label: z.string().regex(/^[A-Za-z0-9._@-]{1,64}$/, 'Invalid label'),
    /** viewer: read only; operator: may change modes. */
    role: z.enum(['viewer', 'operator']).default('operator'),
    /** The token itself; or give `sha256` so the file holds no secret. */
    token: z.string().min(16, 'Too short: an admin token needs at least 16 characters').optional(),
    /** Hex SHA-256 of the token (`printf %s "$TOKEN" | sha256sum`). */
    sha256: z.string().regex(/^[0-9a-f]{64}$/, 'Invalid sha256 (64 lower-case hex digits)').optional(),
  })
  .strict()
  .refine((t) => (t.token === undefined) !== (t.sha256 === undefined), { message: 'Give exactly one of token and sha256' });

const adminSchema = z
  .object({
    port: port.default(8081),
    /** All interfaces by default: Kubernetes probes and Prometheus reach the pod IP; `/admin/*` needs a token. */
    host: z.string().min(1).default('0.0.0.0'),
    /** Operator token (ADMIN_TOKEN), audited as "admin". Unset: the flag API answers 401. */
    token: z.string().min(16, 'Too short: an admin token needs at least 16 characters').optional(),
    /** Viewer token (ADMIN_VIEWER_TOKEN), audited as "viewer": read only. */
    viewerToken: z.string().min(16, 'Too short: an admin token needs at least 16 characters').optional(),
    /** More tokens, each with a role and audited under its label. */
    tokens: z.array(adminTokenSchema).default([]),
    /** Audit entries kept: the memory store's list; the Redis stream is trimmed to about this. */
    auditLimit: z.number().int().min(1).max(1_000_000).default(10_000),
  })
  .strict();

const tenantSchema = z
  .object({
    id: tenantId,
    /** Host names (no port) that select this tenant, matched case-insensitively. */
    hosts: z.array(hostName).min(1),
    legacyUrl: httpUrl,
    /** This tenant's own new upstreams (`trackingUrl`, …); unset ones use `upstreams.<name>.url`. */
    ...(Object.fromEntries(NEW_UPSTREAM_NAMES.map((n) => [tenantUrlKey(n), httpUrl.optional()])) as Record<TenantUrlKey, ReturnType<typeof httpUrl.optional>>),
    /** The new services this tenant has; a mode other than legacy needs the route's. Unset: all of them. */
    services: z.array(z.enum(NEW_UPSTREAM_NAMES)).optional(),
  })
  .strict();

const servicesSchema = z
  .object({
    /** Unset = embedded default for each. */
    redisUrl: z.url().optional(),
    databaseUrl: z.url().optional(),
    smtpUrl: z.url().optional(),
    otelExporterOtlpEndpoint: httpUrl.optional(),
  })
  .strict();

/** The flag store across replicas (used when `services.redisUrl` is set). */
const flagsSchema = z
  .object({
    /** Prefix of every Redis key and channel, so several environments can share one Redis. */
    redisKeyPrefix: z.string().regex(/^[A-Za-z0-9:_.{}-]{1,64}$/, 'Invalid prefix (letters, digits and :_.-{})').default('strangler:'),
    /** Every Redis command fails after this; the data plane never waits on Redis. */
    redisCommandTimeoutMs: positiveMs.default(500),
    /** Each replica writes a heartbeat with the version it applied this often (and after each change). */
    heartbeatIntervalMs: positiveMs.default(2_000),
    /** Each replica compares its version with the store's this often: covers a lost change message. */
    resyncIntervalMs: positiveMs.default(5_000),
    /** A replica not heard from for this long leaves the fleet status. */
    replicaTimeoutMs: positiveMs.default(10_000),
    /** This replica's id in the fleet status; unset: `<hostname>-<pid>` (set the pod name in Kubernetes). */
    replicaId: z.string().regex(/^[A-Za-z0-9._-]{1,128}$/, 'Invalid replica id').optional(),
    /**
     * Whether a replica that has never read the store (Redis down at start) counts as ready. It
     * serves the catalogue defaults either way; false keeps a rolling update from replacing
     * replicas that hold the real modes by ones that send everything to legacy.
     */
    readyWithoutStore: z.boolean().default(false),
  })
  .strict();

// --- Shadow comparison (docs/architecture.md §6; gateway/src/compare/) ------------------------

/** Where diff records are kept: memory when `services.redisUrl` is unset, Redis otherwise. */
const diffStoreSchema = z
  .object({
    /** Records kept per route, oldest evicted first (memory ring buffer, Redis `XADD MAXLEN`). */
    maxRecordsPerRoute: z.number().int().min(1).max(100_000).default(200),
    /** Prefix of every Redis key of the diff store. */
    redisKeyPrefix: z.string().regex(/^[A-Za-z0-9:._-]{1,64}$/, 'Letters, digits and ":._-", at most 64').default('strangler:diffs:'),
    /** A Redis command slower than this fails; a diff being stored is then dropped and counted. */
    redisCommandTimeoutMs: positiveMs.max(60_000).default(500),
  })
  .strict();

/** How much the comparison of a shadowed request keeps. */
const comparisonSchema = z
  .object({
    /** Bytes of each response body captured (256 KiB); a longer body skips the comparison (`body-too-large`). */
    captureBodyBytes: z.number().int().min(0).max(16_777_216).default(262_144),
    /** Differences kept in one diff record; more are only counted. */
    maxDifferences: z.number().int().min(1).max(1_000).default(50),
    /** Characters kept of each difference's path and values, after redaction. */
    maxValueChars: z.number().int().min(16).max(65_536).default(512),
    /** Characters (bytes, for a non-text body) of each response body a diff record keeps, after redaction. */
    maxStoredBodyChars: z.number().int().min(0).max(1_048_576).default(4_096),
    store: diffStoreSchema.prefault({}),
  })
  .strict();

/**
 * The shadow copies (docs/architecture.md §3, §5): their own pool per new upstream, a cap
 * and a deadline, so the primary path never waits for them.
 */
const shadowSchema = z
  .object({
    /**
     * Time a shadow copy has, from being sent to its last body byte (queueing and connect
     * included); later, the comparison is skipped (`deadline-passed`). 1 s: a dry run gives up
     * on a lock after a few hundred ms, so a slower copy is a service problem, not a lock.
     */
    deadlineMs: positiveMs.max(60_000).default(1_000),
    /**
     * Shadow copies in flight at once in this process, every route and upstream together;
     * one more is dropped and counted (`cap-full`). Bounds what a slow new service can hold:
     * at most this many sockets and captured bodies.
     */
    maxInFlight: z.number().int().min(1).max(100_000).default(64),
    /** Connections of each new upstream's shadow pool (separate from the primary pools). */
    connections: z.number().int().min(1).max(10_000).default(32),
  })
  .strict();

// --- Tracing and progress (docs/architecture.md §8; gateway/src/observability/) ----------------

/** Traces: where they go is `services.otelExporterOtlpEndpoint`; unset keeps them in memory. */
const tracingSchema = z
  .object({
    /** OTEL_SDK_DISABLED=true: no spans at all; the client's `traceparent` passes unchanged (bench/README.md compares the cost). */
    sdkDisabled: z.union([z.boolean(), z.stringbool()]).default(false),
    /** `service.name` of the gateway's spans (OTEL_SERVICE_NAME). */
    serviceName: z.string().min(1).max(128).default('strangler-gateway'),
    /** Head sampler (OTEL_TRACES_SAMPLER); errors, fallbacks and diffs are kept whatever it says. */
    sampler: z.enum(['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio']).default('parentbased_traceidratio'),
    /**
     * Ratio of the ratio samplers, 0–1 (OTEL_TRACES_SAMPLER_ARG). 0.01: one trace in a hundred, plus every error, fallback and
     * diff. At a replica's thousands of requests a second that is still tens of traces a second; one in ten cost the
     * passthrough about 9 µs of CPU per request and 16 MiB of RSS more (bench/README.md).
     */
    samplerRatio: z.coerce.number().min(0).max(1).default(0.01),
    /** Traces kept in memory when no OTLP endpoint is set, readable at `GET /admin/traces`. */
    keepTraces: z.number().int().min(1).max(100_000).default(500),
  })
  .strict();

/** The Prometheus metrics of `/metrics`. */
const metricsSchema = z
  .object({
    /** true: the per-request metrics and the progress counters are not fed (bench/README.md compares); `/metrics` keeps the rest. */
    disabled: z.union([z.boolean(), z.stringbool()]).default(false),
  })
  .strict();

/** The migration's progress history (`GET /admin/progress`). */
const progressSchema = z
  .object({
    /** Days of history kept: in memory, and as the expiry of the Redis day hashes. */
    keepDays: z.number().int().min(1).max(3_650).default(90),
  })
  .strict();

/** The whole gateway configuration (file `STRANGLER_CONFIG`, then env overrides). */
export const configSchema = z
  .object({
    server: serverSchema.prefault({}),
    admin: adminSchema.prefault({}),
    upstreams: upstreamsSchema,
    breaker: breakerSchema.prefault({}),
    /** Per-route settings by route id (`tracking.pixel`, …). */
    routes: z.record(z.string(), routeSettingsSchema).default({}),
    /** Hosts of the `default` tenant, which uses `upstreams.*`. */
    defaultTenantHosts: z.array(hostName).default([]),
    /** What an unknown Host gets: the `default` tenant, or 421 GW_ERR_TENANT_UNKNOWN_HOST. */
    unknownHost: z.enum(['default', 'reject']).default('default'),
    tenants: z.array(tenantSchema).default([]),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    services: servicesSchema.prefault({}),
    flags: flagsSchema.prefault({}),
    comparison: comparisonSchema.prefault({}),
    guard: guardSchema.prefault({}),
    shadow: shadowSchema.prefault({}),
    tracing: tracingSchema.prefault({}),
    progress: progressSchema.prefault({}),
    metrics: metricsSchema.prefault({}),
  })
  .strict()
  .superRefine(checkTenants)
  .superRefine(checkRouteBreakers);

/** A route's breaker window, merged over `breaker`, must still split into whole buckets. */
function checkRouteBreakers(cfg: { breaker: BreakerSettings; routes: Record<string, { breaker?: Partial<BreakerSettings> | undefined }> }, ctx: z.RefinementCtx): void {
  for (const [routeId, route] of Object.entries(cfg.routes)) {
    if (route.breaker === undefined || bucketsDivide({ ...cfg.breaker, ...route.breaker })) continue;
    ctx.addIssue({ code: 'custom', path: ['routes', routeId, 'breaker', 'rollingCountBuckets'], message: BUCKETS_MUST_DIVIDE });
  }
}

/** Tenant ids and hosts must be unique across the default tenant and `tenants`. */
function checkTenants(
  cfg: { defaultTenantHosts: string[]; tenants: { id: string; hosts: string[] }[] },
  ctx: z.RefinementCtx,
): void {
  const hostOwner = new Map<string, string>();
  for (const h of cfg.defaultTenantHosts) hostOwner.set(h, 'default');
  const ids = new Set<string>(['default']);
  cfg.tenants.forEach((t, i) => {
    if (ids.has(t.id)) {
      const message = t.id === 'default' ? 'Tenant id "default" is reserved (use defaultTenantHosts)' : `Duplicate tenant id "${t.id}"`;
      ctx.addIssue({ code: 'custom', path: ['tenants', i, 'id'], message });
    }
    ids.add(t.id);
    t.hosts.forEach((h, j) => {
      const owner = hostOwner.get(h);
      if (owner !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['tenants', i, 'hosts', j], message: `Host "${h}" already belongs to tenant "${owner}"` });
      } else hostOwner.set(h, t.id);
    });
  });
}

/** The validated, frozen gateway configuration. */
export type GatewayConfig = z.output<typeof configSchema>;

/** Settings of one upstream (URL, timeouts, pool size). */
export type UpstreamSettings = GatewayConfig['upstreams']['legacy'];

/** Settings of the flag store across replicas. */
export type FlagsSettings = GatewayConfig['flags'];

/** Breaker settings shared by every breaker. */
export type BreakerSettings = z.output<typeof breakerSchema>;

/** Settings of one route (`routes.<routeId>`). */
export type RouteSettings = GatewayConfig['routes'][string];

/** The defaults of every upstream's timeouts and pool, read from the schema (they are written once, above). */
export const UPSTREAM_DEFAULTS: Readonly<Omit<UpstreamSettings, 'url'>> = Object.freeze(z.object(upstreamTuning).parse({}));

/** The defaults of the breaker settings, read from the schema. */
export const BREAKER_DEFAULTS: Readonly<BreakerSettings> = Object.freeze(breakerSchema.parse({}));

/** Settings of the guard. */
export type GuardSettings = GatewayConfig['guard'];

/** The thresholds of the guard, for one route once merged (`guard` under `routes.<routeId>.guard`). */
export type GuardThresholds = Pick<GuardSettings, keyof typeof guardThresholdFields>;

/** Settings of the shadow comparison and the diff store. */
export type ComparisonSettings = GatewayConfig['comparison'];

/** Settings of the shadow copies. */
export type ShadowSettings = GatewayConfig['shadow'];

/** One configured tenant. */
export type TenantSettings = GatewayConfig['tenants'][number];
