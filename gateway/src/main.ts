/**
 * The gateway's composition root (docs/style.md §1): load config → compile the
 * catalogue → flag store → upstreams and breakers → public and admin servers
 * → listen → on SIGTERM/SIGINT: readiness off, stop accepting, let in-flight
 * requests finish (bounded by `server.drainTimeoutMs`), close pools, exit 0.
 *
 * `startGateway` runs it in-process (tests, scripts/start.ts); running this
 * file (`node gateway/src/main.ts`) calls `runMain`, which also handles exit
 * codes and signals.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdminApp } from './admin/admin-app.ts';
import type { ComparisonRecorder } from './compare/comparison-recorder.ts';
import { openComparison } from './compare/open-comparison.ts';
import { connectTimeoutOf, createShadowSender } from './pipeline/shadow-sender.ts';
import { PendingShadows } from './pipeline/shadow.ts';
import { createTokenCheck } from './admin/auth.ts';
import { createReadiness } from './admin/readiness.ts';
import { ConfigError, loadConfig } from './config/load.ts';
import type { GatewayConfig } from './config/schema.ts';
import { followFlagStore } from './flags/applied-flags.ts';
import { openFlagStore, tenantServicesOf } from './flags/open-store.ts';
import type { RedisStoreEvent } from './flags/redis-store.ts';
import type { FlagStore } from './flags/store.ts';
import type { Guard, GuardEvent } from './guard/guard.ts';
import { openGuard } from './guard/open-guard.ts';
import { createLogger, flushLogger, type Logger } from './observability/logger.ts';
import { LOG_LINES } from './observability/log-lines.ts';
import { GatewayMetrics } from './observability/metrics.ts';
import { ProgressBook } from './observability/progress.ts';
import { createStats, type Stats } from './observability/stats.ts';
import { createTracing, type Tracing } from './observability/tracing.ts';
import { createPipeline } from './pipeline/pipeline.ts';
import { createRouteGate, routeSettingsProblems } from './pipeline/route-gate.ts';
import { createUpstreamSet } from './pipeline/upstream-set.ts';
import { loadCatalogue } from './routing/compile.ts';
import type { Catalogue } from './routing/types.ts';
import { createPublicServer } from './server/public-server.ts';
import { createTenantTable } from './tenants/tenant-table.ts';
import { createBreakers, type BreakerOptions, type Breakers } from './upstream/breaker.ts';
import { createProxyTrust } from './upstream/client-address.ts';
import { createUpstream } from './upstream/client.ts';
import type { Upstream, UpstreamOptions } from './upstream/types.ts';
import { Redis } from 'ioredis';

/** Parts a caller may supply instead of the defaults. */
export interface GatewayOverrides {
  /** Default: `loadCatalogue()` (routes/). */
  readonly catalogue?: Catalogue;
  /** Default: a memory store; a supplied store is not closed by `close()`. */
  readonly flagStore?: FlagStore;
  /** Default: pino on stdout at `config.logLevel`. */
  readonly logger?: Logger;
  /** Default: `createUpstream` (undici). */
  readonly createUpstream?: (options: UpstreamOptions) => Upstream;
}

/** A running gateway. */
export interface RunningGateway {
  /** e.g. `http://127.0.0.1:8080`. */
  readonly publicUrl: string;
  /** e.g. `http://127.0.0.1:8081`. */
  readonly adminUrl: string;
  readonly flagStore: FlagStore;
  readonly stats: Stats;
  /** The breakers of the new upstreams (state and state-change events). */
  readonly breakers: Breakers;
  /** The guard: its windows, `observeComparison` for the shadow stage, its events. */
  readonly guard: Guard;
  /**
   * The shadow comparisons: `onComparison(listener)` tells of every one (the guard's mismatch
   * rate), `stats` counts them per route, `store` holds the diff records.
   */
  readonly comparisons: ComparisonRecorder;
  /** The Prometheus metrics served at `/metrics`. */
  readonly metrics: GatewayMetrics;
  /** The tracer and where its spans go. */
  readonly tracing: Tracing;
  /** What SIGTERM does: readiness off, drain, close pools and both ports. Safe to call twice. */
  close(): Promise<void>;
}

/** Longest wait for the upstream pools to close after the drain. */
const POOL_CLOSE_TIMEOUT_MS = 2_000;

/**
 * Starts the gateway in-process; both ports listen when it resolves.
 *
 * @example
 * const gw = await startGateway(loadConfig({ PORT: '0', ADMIN_PORT: '0' }));
 * await fetch(`${gw.publicUrl}/mtracking.gif`);
 * await gw.close();
 */
export async function startGateway(config: GatewayConfig, overrides: GatewayOverrides = {}): Promise<RunningGateway> {
  const logger = overrides.logger ?? createLogger(config.logLevel);
  const catalogue = overrides.catalogue ?? loadCatalogue();
  const routeProblems = routeSettingsProblems(config.routes, catalogue);
  if (routeProblems.length > 0) throw new ConfigError(routeProblems);
  const tenants = createTenantTable(config);
  const flagStore = overrides.flagStore ?? openFlagStore(config, (e) => logStoreEvent(logger, e));
  const metrics = new GatewayMetrics();
  const flags = followFlagStore(flagStore, (s) => {
    metrics.setFlagVersion(s.version);
    logger.info({ version: s.version }, LOG_LINES.flagsApplied);
  });
  flags.firstApplied.catch((err: unknown) => logger.error({ err }, LOG_LINES.flagStoreNotReady));
  const upstreams = createUpstreamSet(config, tenants, overrides.createUpstream ?? createUpstream);
  const breakers = createBreakers(config.breaker, routeBreakerSettings(config));
  const stats = createStats();
  const guard = openGuard(config, flagStore, new Set(catalogue.routes.filter((r) => r.upstream !== null).map((r) => r.id)), metrics.registry);
  guard.events.on('event', (e: GuardEvent) => logGuardEvent(logger, e));
  const comparison = openComparison(config, {
    store: (err) => logger.warn({ code: err.code, detail: err.message }, LOG_LINES.diffStoreProblem),
    listener: (err) => logger.error({ err }, LOG_LINES.comparisonListenerFailed),
    redis: (err) => logger.debug({ detail: err.message }, LOG_LINES.diffStoreProblem),
  });
  const createClient = overrides.createUpstream ?? createUpstream;
  const shadowSender = createShadowSender({
    settings: config.shadow, captureBodyBytes: config.comparison.captureBodyBytes, connectTimeoutMs: connectTimeoutOf(config.upstreams), create: createClient,
  });
  const shadow = { sender: shadowSender, recorder: comparison.recorder, captureBodyBytes: config.comparison.captureBodyBytes, maxDifferences: config.comparison.maxDifferences, pending: new PendingShadows() };
  // Every shadow comparison feeds the guard's mismatch rate; a skipped one says nothing of the new path.
  comparison.recorder.onComparison((c) => {
    if (c.comparison.outcome === 'skipped') return metrics.recordShadowSkip(c.routeId, c.comparison.reason);
    metrics.recordShadowComparison(c.routeId, c.comparison.outcome);
    guard.observeComparison({ routeId: c.routeId, tenant: c.tenant, matched: c.comparison.outcome === 'match' });
  });
  breakers.onStateChange((change) => metrics.recordBreakerChange(change));
  const endpoint = config.services.otelExporterOtlpEndpoint;
  const tracing = createTracing({ ...config.tracing, endpoint });
  // Its own connection: progress is written every few seconds, off the request path, and must never wait on the flag store's.
  const progressRedis = config.services.redisUrl === undefined ? null
    : new Redis(config.services.redisUrl, { enableOfflineQueue: false, commandTimeout: config.flags.redisCommandTimeoutMs, maxRetriesPerRequest: 0, lazyConnect: false });
  progressRedis?.on('error', () => undefined);
  const progress = new ProgressBook(config.progress.keepDays, progressRedis && { client: progressRedis, prefix: config.flags.redisKeyPrefix });
  // flags.readyWithoutStore: whether a replica still on the catalogue defaults counts as ready (gateway/README.md § Outages).
  const readiness = createReadiness({ 'config loaded': () => true, 'flags applied': () => flags.applied || config.flags.readyWithoutStore });
  const handle = createPipeline({
    catalogue, tenants, maxTargetBytes: config.server.maxTargetBytes, proxyTrust: createProxyTrust(config.server.trustedProxies), flags, upstreams, breakers,
    maxBufferedBodyBytes: config.server.maxBufferedBodyBytes, requestTimeoutMs: config.server.requestTimeoutMs, trustForwardedProto: config.server.trustForwardedProto,
    stats, logger, routeGate: createRouteGate(config.routes), guard, shadow,
    tracing: config.tracing.sdkDisabled ? undefined : tracing, metrics: config.metrics.disabled ? undefined : metrics, progress: config.metrics.disabled ? undefined : progress,
  });
  const pub = createPublicServer({ limits: config.server, handle, stats, logger });
  const admin = createServer(createAdminApp({
    store: flagStore, catalogue, tenants: tenants.ids, tenantServices: tenantServicesOf(config), checkToken: createTokenCheck(config.admin), readiness, stats, logger, guard,
    comparisons: comparison.recorder, comparisonFacts: () => ({ storeKind: comparison.storeKind, shadowInFlight: shadowSender.inFlight(), shadowTargets: shadowSender.targets() }),
    metrics, traces: tracing.store, tracesEndpoint: endpoint, keepTraces: config.tracing.keepTraces, progress, progressSource: progressRedis ? 'redis' : 'memory',
    facts: () => ({ flagVersion: flags.current().version, inFlight: pub.inFlight(), upstreams: upstreams.stats(), shadowInFlight: shadowSender.inFlight() }),
    flagsStatus: () => {
      const health = flagStore.health();
      return { store: health.kind, connected: health.connected, applied: flags.applied, version: flags.current().version, replica: health.replica };
    },
  }));

  async function shutdown(): Promise<void> {
    readiness.startDraining();
    logger.info({ inFlight: pub.inFlight(), drainTimeoutMs: config.server.drainTimeoutMs }, LOG_LINES.draining);
    const drained = await pub.drain(config.server.drainTimeoutMs);
    flags.stop();
    await guard.stop();
    breakers.shutdown();
    const pools = Promise.all([upstreams.close(), shadowSender.close()]);
    await Promise.race([pools, new Promise((resolve) => setTimeout(resolve, POOL_CLOSE_TIMEOUT_MS).unref())]);
    // Closing the shadow pools ended every copy: the requests that waited for one are compared and recorded before the diff store closes.
    await Promise.race([shadow.pending.settled(), new Promise((resolve) => setTimeout(resolve, POOL_CLOSE_TIMEOUT_MS).unref())]);
    await comparison.close();
    if (!overrides.flagStore) await flagStore.close();
    await progress.close();
    progressRedis?.disconnect();
    await tracing.shutdown().catch(() => undefined);
    admin.closeAllConnections();
    await new Promise((resolve) => admin.close(resolve));
    logger.info({ drained }, LOG_LINES.stopped);
    // Lines are written in batches (observability/logger.ts): the last requests' lines must not wait for the exit.
    flushLogger(logger);
  }

  try {
    const publicAddress = await listen(pub.server, config.server.port, config.server.host);
    const adminAddress = await listen(admin, config.admin.port, config.admin.host);
    const running = { publicUrl: urlOf(publicAddress), adminUrl: urlOf(adminAddress) };
    logger.info(running, LOG_LINES.listening);
    let closing: Promise<void> | null = null;
    return { ...running, flagStore, stats, breakers, guard, comparisons: comparison.recorder, metrics, tracing, close: () => (closing ??= shutdown()) };
  } catch (err) {
    await shutdown();
    throw err;
  }
}

/** One log line per flag-store event: outages at warn, bad entries at error. */
function logStoreEvent(logger: Logger, e: RedisStoreEvent): void {
  if (e.kind === 'connected') logger.info({ version: e.version }, LOG_LINES.flagStoreConnected);
  else if (e.kind === 'resynced') logger.debug({ version: e.version }, LOG_LINES.flagStoreResynced);
  else if (e.kind === 'disconnected') logger.warn({ detail: e.detail }, LOG_LINES.flagStoreDisconnected);
  else if (e.kind === 'read-failed') logger.warn({ detail: e.detail }, LOG_LINES.flagStoreReadFailed);
  else if (e.kind === 'version-went-back') logger.error({ from: e.from, to: e.to }, LOG_LINES.flagStoreWentBack);
  else if (e.kind === 'bad-entry') logger.error({ code: 'GW_ERR_FLAGS_BAD_STORED_VALUE', where: e.where, detail: e.detail }, LOG_LINES.flagStoreBadEntry);
}

/** One log line per guard attempt: a step back at warn (traffic moved by itself), a refusal or failure at info/warn. */
function logGuardEvent(logger: Logger, e: GuardEvent): void {
  if (e.kind !== 'attempt') return;
  const { routeId, tenant, trigger, result } = e;
  if (result.kind === 'acted') logger.warn({ route: routeId, tenant, trigger, version: result.change.version, from: result.from, to: result.to, why: result.change.why }, LOG_LINES.guardSteppedBack);
  else if (result.kind === 'failed') logger.warn({ route: routeId, tenant, trigger, detail: result.detail }, LOG_LINES.guardFailed);
  else logger.info({ route: routeId, tenant, trigger, result: result.kind, ...(result.kind === 'refused' ? { code: result.code } : {}) }, LOG_LINES.guardLeft);
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

function urlOf(address: AddressInfo): string {
  const any = address.address === '0.0.0.0' || address.address === '::';
  const host = any ? '127.0.0.1' : address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

/** The breaker settings of the routes that have their own (`routes.<routeId>.breaker`). */
function routeBreakerSettings(config: GatewayConfig): Record<string, BreakerOptions> {
  const own: Record<string, BreakerOptions> = {};
  for (const [routeId, settings] of Object.entries(config.routes)) if (settings.breaker) own[routeId] = settings.breaker;
  return own;
}

/**
 * Runs the gateway as a process: exits 1 listing every problem when the
 * configuration or the catalogue is invalid or a port is taken; drains and
 * exits 0 on SIGTERM/SIGINT (a second signal exits 1 at once).
 */
export async function runMain(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let config: GatewayConfig;
  try {
    config = loadConfig(env);
  } catch (err) {
    return exitWith(err);
  }
  const logger = createLogger(config.logLevel);
  let gateway: RunningGateway;
  try {
    gateway = await startGateway(config, { logger });
  } catch (err) {
    return exitWith(err);
  }
  let stopping = false;
  const stop = (): void => {
    if (stopping) process.exit(1);
    stopping = true;
    gateway.close().then(() => process.exit(0), (err: unknown) => exitWith(err));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

function exitWith(err: unknown): never {
  const problems = (err as { problems?: unknown }).problems;
  if (err instanceof ConfigError || Array.isArray(problems)) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  } else {
    process.stderr.write(`gateway failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  }
  process.exit(1);
}

// Run when executed as a script (`node gateway/src/main.ts`, or `node dist/gateway/src/main.js`
// after `npm run build`), not when imported.
if (process.argv[1] !== undefined && /gateway[\\/]src[\\/]main\.[jt]s$/.test(process.argv[1])) void runMain();
