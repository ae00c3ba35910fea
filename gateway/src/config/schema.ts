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
  /** Keep-alive connections per upstream origin. */
  connections: z.number().int().min(1).max(10_000).default(32),
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
 * Breaker settings, shared by every (new upstream, tenant) breaker. There is no
 * breaker timeout: the upstream timeouts above bound every call and cancel it.
 */
const breakerSchema = z
  .object({
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
  })
  .strict()
  .refine((b) => b.rollingCountTimeoutMs % b.rollingCountBuckets === 0, {
    path: ['rollingCountBuckets'],
    message: 'Must divide rollingCountTimeoutMs evenly',
  });

/** Limits of the public port. */
const serverSchema = z
  .object({
    port: port.default(8080),
    host: z.string().min(1).default('0.0.0.0'),
    /** Request line plus headers; more gets 431 (Node's default is 16 KiB). */
    maxHeaderBytes: z.number().int().min(1_024).max(1_048_576).default(16_384),
    /** Request-target (path and query); more gets 414. */
    maxTargetBytes: z.number().int().min(256).max(1_048_576).default(8_192),
    /** Time a client has to send its headers. */
    headersTimeoutMs: positiveMs.default(10_000),
    /** Time a client has to send the whole request. */
    requestTimeoutMs: positiveMs.default(60_000),
    /** Idle keep-alive connections are closed after this. */
    keepAliveTimeoutMs: positiveMs.default(5_000),
    /** On SIGTERM, in-flight requests get this long to finish. */
    drainTimeoutMs: positiveMs.default(10_000),
    /** Bodies of requests that may fall back are buffered up to this (1 MiB). */
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

/** The whole gateway configuration (file `STRANGLER_CONFIG`, then env overrides). */
export const configSchema = z
  .object({
    server: serverSchema.prefault({}),
    admin: adminSchema.prefault({}),
    upstreams: upstreamsSchema,
    breaker: breakerSchema.prefault({}),
    /** Hosts of the `default` tenant, which uses `upstreams.*`. */
    defaultTenantHosts: z.array(hostName).default([]),
    /** What an unknown Host gets: the `default` tenant, or 421 GW_ERR_TENANT_UNKNOWN_HOST. */
    unknownHost: z.enum(['default', 'reject']).default('default'),
    tenants: z.array(tenantSchema).default([]),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    services: servicesSchema.prefault({}),
    flags: flagsSchema.prefault({}),
  })
  .strict()
  .superRefine(checkTenants);

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
export type BreakerSettings = GatewayConfig['breaker'];

/** The defaults of every upstream's timeouts and pool, read from the schema (they are written once, above). */
export const UPSTREAM_DEFAULTS: Readonly<Omit<UpstreamSettings, 'url'>> = Object.freeze(z.object(upstreamTuning).parse({}));

/** The defaults of the breaker settings, read from the schema. */
export const BREAKER_DEFAULTS: Readonly<BreakerSettings> = Object.freeze(breakerSchema.parse({}));

/** One configured tenant. */
export type TenantSettings = GatewayConfig['tenants'][number];
