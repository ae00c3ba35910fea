/**
 * Runs one send controller for an Express request, in Mautic's order (docs/mautic/public-http.md
 * §5.1): the body (400/413), then the caller (401), then the controller, whose checks and
 * answer are its own. A request with `X-Strangler-Mode: shadow` is a dry run
 * (docs/architecture.md §5): the controller's work in one READ COMMITTED transaction with a
 * short lock timeout, rolled back, nothing sent or queued, the same answer (app.ts adds
 * `X-Strangler-Dry-Run: 1`); one that meets a lock gives up with 503.
 */
import type { Request, RequestHandler } from 'express';
import { readCredentials } from '../../../../legacy-adapter/src/codecs/api-credentials.ts';
import type { PermissionHolder } from '../../../../legacy-adapter/src/codecs/mautic-api.ts';
import { findApiCaller } from '../../../../legacy-adapter/src/data/api-callers.ts';
import type { ApiRefusal } from '../../../../legacy-adapter/src/data/api-callers.ts';
import { isDbError } from '../../../../legacy-adapter/src/db/errors.ts';
import type { Db } from '../../../../legacy-adapter/src/db/types.ts';
import type { Mailer } from '../../../../legacy-adapter/src/mail/types.ts';
import type { SendingConfig } from '../config.ts';
import type { MailQueue } from '../delivery/mail-queue.ts';
import type { SendingMetrics } from '../delivery/metrics.ts';
import type { SendContext } from '../domain/send-batch.ts';
import { SendingError, type SendingErrorCode } from '../errors.ts';
import { toSendingError, writeError, writeJson, type ApiAnswer } from './answer.ts';
import { readParams } from './read-params.ts';
import { isDryRun, markGaveUp } from '../../../service-kit/dry-run.ts';


/** What every controller of one app shares. */
export interface ApiDeps {
  db: Db;
  config: SendingConfig;
  mailer: Mailer;
  queue?: MailQueue;
  metrics: SendingMetrics;
  now: () => Date;
  logError: (err: unknown, req: Request) => void;
}

/** An authenticated call. */
export interface ApiCall {
  caller: PermissionHolder;
  params: Record<string, unknown>;
  /** Route parameters (`id`, `contactId`), raw. */
  path: Record<string, string | undefined>;
}

/** A controller: the send context and the call in, an answer out. */
export type ApiController = (ctx: SendContext, call: ApiCall) => Promise<ApiAnswer>;

const REFUSALS: Record<ApiRefusal, SendingErrorCode> = {
  'no-credentials': 'SND_ERR_UNAUTHORIZED',
  'bad-credentials': 'SND_ERR_BAD_CREDENTIALS',
  'token-invalid': 'SND_ERR_TOKEN_INVALID',
  'token-expired': 'SND_ERR_TOKEN_EXPIRED',
};

async function openCall(deps: ApiDeps, req: Request): Promise<ApiCall> {
  const params = await readParams(req, deps.config.maxBodyBytes);
  const credentials = readCredentials(req.headers.authorization, req.query.access_token);
  const result = await findApiCaller(deps.db, credentials, Math.floor(deps.now().getTime() / 1000));
  if (!result.ok) throw new SendingError(REFUSALS[result.refusal]);
  return { caller: result.caller, params, path: req.params as Record<string, string | undefined> };
}

/**
 * Wraps a controller into an Express handler.
 *
 * @example
 * router.post('/api/emails/:id/send', runApi(deps, sendToSegment));
 */
export function runApi(deps: ApiDeps, controller: ApiController): RequestHandler {
  return async function runSendingApi(req, res) {
    const dryRun = isDryRun(req);
    try {
      const call = await openCall(deps, req);
      const context = (db: Db): SendContext => ({ db, config: deps.config, now: deps.now(), dryRun, mailer: deps.mailer, queue: deps.queue, metrics: deps.metrics });
      const answer = dryRun
        ? await deps.db.transaction((tx) => controller(context(tx), call), { rollbackOnly: true, isolationLevel: 'read-committed', lockWaitTimeoutMs: deps.config.dryRunLockTimeoutMs })
        : await controller(context(deps.db), call);
      writeJson(res, answer);
    } catch (err) {
      const error = dryRun && isDbError(err, 'DB_LOCK_TIMEOUT') ? new SendingError('SND_ERR_DRY_RUN_GAVE_UP', { reason: 'lock-timeout' }, { cause: err }) : toSendingError(err);
      if (error.code === 'SND_ERR_DRY_RUN_GAVE_UP') markGaveUp(res, 'lock-timeout');
      else if (error.spec.status >= 500) deps.logError(err, req);
      writeError(res, error);
    }
  };
}
