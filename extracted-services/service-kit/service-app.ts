/**
 * The express app every service starts from: no `X-Powered-By`, no ETag (Mautic sends
 * none), every dry-run answer confirmed, `/healthz`, `/readyz` and, when the service keeps
 * metrics, `/metrics` in Prometheus text.
 */
import express from 'express';
import type { Registry } from 'prom-client';
import type { Db } from '../../legacy-adapter/src/db/types.ts';
import { confirmDryRun } from './dry-run.ts';
import { healthHandler, readyHandler } from './health.ts';

/** What the common part needs. */
export interface ServiceAppDeps {
  readonly db: Db;
  /** True once shutdown began (`/readyz` answers 503). */
  readonly draining?: () => boolean;
  readonly metrics?: { readonly registry: Registry };
}

/** A new express app with the common part mounted; the service adds its routes after it. */
export function serviceApp(deps: ServiceAppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(confirmDryRun);
  app.get('/healthz', healthHandler);
  app.get('/readyz', readyHandler(deps.db, deps.draining ?? (() => false)));
  const registry = deps.metrics?.registry;
  if (registry) {
    app.get('/metrics', async function serveMetrics(_req, res) {
      res.setHeader('Content-Type', registry.contentType);
      res.end(await registry.metrics());
    });
  }
  return app;
}
