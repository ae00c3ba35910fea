/**
 * The admin port (express): health and readiness for Kubernetes, and the
 * token-protected `/admin/*` API. Nothing here is on the request hot path.
 */
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import { GatewayError, isGatewayError, sendError } from '../errors.ts';
import type { Logger } from '../observability/logger.ts';
import { LOG_LINES } from '../observability/log-lines.ts';
import type { GatewayMetrics } from '../observability/metrics.ts';
import type { Stats } from '../observability/stats.ts';
import type { TokenCheck } from './auth.ts';
import { createComparisonRoutes, type ComparisonRoutesDeps } from './comparison-routes.ts';
import { createFlagRoutes, type FlagRoutesDeps } from './flag-routes.ts';
import { createGuardRoutes, type GuardRoutesDeps } from './guard-routes.ts';
import { createModeRoutes } from './mode-routes.ts';
import { createObservabilityRoutes, type ObservabilityRoutesDeps } from './observability-routes.ts';
import { buildOpenApiDocument } from './openapi.ts';
import type { Readiness } from './readiness.ts';

/** Largest accepted admin request body. */
const MAX_ADMIN_BODY = '16kb';

/** What the admin app needs. */
export interface AdminAppDeps extends FlagRoutesDeps, GuardRoutesDeps, ComparisonRoutesDeps, ObservabilityRoutesDeps {
  /** Served as `/metrics` (Prometheus text), without a token like /healthz. */
  readonly metrics: GatewayMetrics;
  readonly checkToken: TokenCheck;
  readonly readiness: Readiness;
  readonly stats: Stats;
  /** Extra facts for `GET /admin/stats` (flag version, in-flight requests…). */
  readonly facts: () => Record<string, unknown>;
  /** The flags part of `/readyz`: which store, reachable, snapshot applied, its version, this replica. */
  readonly flagsStatus: () => FlagsStatus;
  readonly logger: Logger;
}

/** How this replica's flags stand, for `/readyz`. */
export interface FlagsStatus {
  readonly store: 'memory' | 'redis';
  readonly connected: boolean;
  readonly applied: boolean;
  readonly version: number;
  readonly replica: string;
}

/**
 * Builds the admin app (does not listen).
 *
 * @example http.createServer(createAdminApp(deps)).listen(config.admin.port, config.admin.host);
 */
export function createAdminApp(deps: AdminAppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));
  app.get('/readyz', (_req, res) => {
    const state = deps.readiness.state();
    const flags = deps.flagsStatus();
    res.status(state.ready ? 200 : 503).json({ ...state, degraded: !flags.connected || !flags.applied, flags });
  });
  // The API's description holds no secret: tools may read it without a token.
  const openapi = buildOpenApiDocument();
  app.get('/admin/openapi.json', (_req, res) => void res.json(openapi));
  // Prometheus scrapes without a token: the admin port is not public, and the series hold no secret.
  app.get('/metrics', async (_req, res) => void res.type(deps.metrics.registry.contentType).send(await deps.metrics.text()));
  app.use('/admin', requireToken(deps.checkToken), express.json({ limit: MAX_ADMIN_BODY, strict: false }));
  app.get('/admin/stats', (_req, res) => void res.json({ ...deps.stats.snapshot(), ...deps.facts() }));
  app.use('/admin', createModeRoutes(deps));
  app.use('/admin', createFlagRoutes(deps));
  app.use('/admin', createGuardRoutes(deps));
  app.use('/admin', createComparisonRoutes(deps));
  app.use('/admin', createObservabilityRoutes(deps));
  app.use((req) => {
    throw new GatewayError('GW_ERR_ADMIN_NOT_FOUND', { params: { method: req.method, path: req.path } });
  });
  app.use(handleAdminError(deps.logger));
  return app;
}

function requireToken(checkToken: TokenCheck): RequestHandler {
  return function checkAdminToken(req, res, next) {
    const identity = checkToken(req.headers.authorization);
    if (identity === null) {
      res.setHeader('www-authenticate', 'Bearer realm="strangler-admin"');
      return sendError(res, new GatewayError('GW_ERR_ADMIN_UNAUTHORIZED'));
    }
    (req as typeof req & { admin: typeof identity }).admin = identity;
    next();
  };
}

/** The admin's one error handler: coded errors as they are, body-parser errors as 400 (413 for a body too large), the rest as 500. */
function handleAdminError(logger: Logger): ErrorRequestHandler {
  return function adminErrorHandler(err, req, res, _next) {
    if (isGatewayError(err)) return sendError(res, err);
    const { type, status } = (err ?? {}) as { type?: string; status?: number };
    if (type === 'entity.parse.failed') return sendError(res, badRequest('the body is not valid JSON'));
    if (type === 'entity.too.large') return sendError(res, new GatewayError('GW_ERR_ADMIN_BODY_TOO_LARGE', { params: { limit: MAX_ADMIN_BODY } }));
    if (typeof status === 'number' && status >= 400 && status < 500) return sendError(res, badRequest(String((err as Error).message)));
    const requestId = String(req.headers['x-request-id'] ?? '-');
    logger.error({ err, path: req.path }, LOG_LINES.unexpected);
    sendError(res, new GatewayError('GW_ERR_INTERNAL_UNEXPECTED', { params: { requestId } }));
  };
}

function badRequest(detail: string): GatewayError {
  return new GatewayError('GW_ERR_ADMIN_BAD_REQUEST', { params: { detail } });
}
