/**
 * `/healthz` (the process answers) and `/readyz` (the database answers too; 503 with
 * the reason otherwise, and while the service drains).
 */
import type { RequestHandler } from 'express';
import type { Db } from '../../legacy-adapter/src/db/types.ts';

/** Liveness: always 200 while the process serves requests. */
export const healthHandler: RequestHandler = function health(_req, res) {
  res.status(200).json({ status: 'ok' });
};

/**
 * Readiness.
 *
 * @param draining true once shutdown began: the load balancer should stop sending.
 */
export function readyHandler(db: Db, draining: () => boolean): RequestHandler {
  return async function ready(_req, res) {
    if (draining()) {
      res.status(503).json({ status: 'draining' });
      return;
    }
    try {
      await db.query('SELECT 1');
      res.status(200).json({ status: 'ready' });
    } catch (err) {
      res.status(503).json({ status: 'database-unavailable', code: (err as { code?: string }).code ?? 'UNKNOWN' });
    }
  };
}
