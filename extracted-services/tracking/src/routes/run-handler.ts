/**
 * Runs one tracking handler for an Express request: reads the request once, runs the
 * handler's database work in one transaction, writes its answer. A request with
 * `X-Strangler-Mode: shadow` is a dry run (docs/architecture.md §5): the same work in a
 * transaction at READ COMMITTED with short lock timeouts, rolled back, answered the same
 * plus `X-Strangler-Dry-Run: 1` (set by app.ts on every dry-run answer); one that meets a lock gives up (503
 * TRK_ERR_DRY_RUN_GAVE_UP) rather than wait.
 */
import type { Request, RequestHandler } from 'express';
import { isDbError } from '../../../../legacy-adapter/src/db/errors.ts';
import type { Db, TransactionOptions } from '../../../../legacy-adapter/src/db/types.ts';
import type { ContactCache } from '../../../service-kit/visitor/contact-cache.ts';
import type { TrackingConfig } from '../config.ts';
import { TrackingError } from '../errors.ts';
import type { TrackingContext } from '../domain/context.ts';
import type { HitCompletion } from '../domain/page-hit.ts';
import { readTrackingRequest } from '../../../service-kit/visitor/tracking-request.ts';
import type { TrackingRequest } from '../../../service-kit/visitor/tracking-request.ts';
import { writeAnswer } from '../../../service-kit/answer.ts';
import type { Answer } from '../../../service-kit/answer.ts';
import { errorAnswer, toTrackingError } from './error-answer.ts';
import { sendPhaseTwo } from './phase-two.ts';
import type { PhaseTwoDeps, PhaseTwoOutcome } from './phase-two.ts';
import { isLockConflict, retryOnLockConflict } from '../lock-retry.ts';
import { isDryRun, markGaveUp } from '../../../service-kit/dry-run.ts';

/** A handler: the request's facts in, an answer out; all database work through `ctx.db`. */
export type TrackingHandler = (ctx: TrackingContext, request: TrackingRequest) => Promise<Answer>;


/** What every handler of one app shares. */
export interface HandlerDeps {
  db: Db;
  config: TrackingConfig;
  now: () => Date;
  /** Errors that became a 5xx answer. */
  logError: (err: unknown, req: Request) => void;
  /** Returning devices without a read (README § Contact cache); absent when turned off. */
  contactCache?: ContactCache;
  /** Queued mode: phase 2 goes to the worker (queued before the commit). Absent: inline, as `sync://`. */
  phaseTwo?: Omit<PhaseTwoDeps, 'db' | 'config'>;
  /** Counts request transactions run again after a lock conflict. */
  onLockRetry?: () => void;
  /** Test hook: in queued mode, after the hits' messages were queued, before the COMMIT. */
  beforeCommit?: (hits: readonly HitCompletion[]) => Promise<void>;
}

function transactionOptions(config: TrackingConfig, dryRun: boolean): TransactionOptions {
  return dryRun ? { rollbackOnly: true, isolationLevel: 'read-committed', lockWaitTimeoutMs: config.dryRunLockTimeoutMs } : {};
}

function failureOf(err: unknown, dryRun: boolean): TrackingError {
  if (dryRun && isDbError(err, 'DB_LOCK_TIMEOUT')) return new TrackingError('TRK_ERR_DRY_RUN_GAVE_UP', { reason: 'lock-timeout' }, { cause: err });
  if (dryRun && isLockConflict(err)) return new TrackingError('TRK_ERR_DRY_RUN_GAVE_UP', { reason: 'deadlock' }, { cause: err });
  return toTrackingError(err);
}

/**
 * Wraps a handler into an Express handler.
 *
 * @example
 * router.all('/mtracking.gif', runHandler(deps, pixelHandler));
 */
export function runHandler(deps: HandlerDeps, handler: TrackingHandler): RequestHandler {
  return async function runTracking(req, res) {
    const dryRun = isDryRun(req);
    let answer: Answer;
    // Nor does a dry run use the contact cache: what it would remember is rolled back.
    const contactCache = dryRun ? undefined : deps.contactCache;
    try {
      const request = await readTrackingRequest(req, deps.config.maxBodyBytes, deps.now());
      let outcomes: PhaseTwoOutcome[] = [];
      // What the last attempt's work said to do if its transaction failed (contact cache: drop a stale IP id).
      let reactions: ((err: unknown) => boolean)[] = [];
      const onTransactionFailure = (react: (err: unknown) => boolean) => void reactions.push(react);
      const attempt = (): Promise<Answer> => deps.db.transaction(async (tx) => {
        outcomes = [];
        reactions = [];
        // A dry run never queues: its phase 2 runs inline and is rolled back with the rest.
        const deferred: HitCompletion[] = [];
        const deferHit = deps.phaseTwo && !dryRun ? async (hit: HitCompletion) => (deferred.push(hit), []) : undefined;
        const result = await handler({ db: tx, config: deps.config, deferHit, contactCache, onTransactionFailure }, request);
        if (deps.phaseTwo && deferred.length > 0) {
          outcomes = await sendPhaseTwo({ config: deps.config, queue: deps.phaseTwo.queue }, tx, deferred);
          await deps.beforeCommit?.(deferred);
        }
        return result;
      }, transactionOptions(deps.config, dryRun));
      // A deadlock undid the whole attempt, nothing was answered yet: try again (README § Lock
      // conflicts). A dry run gives up at once instead, as it does on a lock wait.
      answer = dryRun ? await attempt() : await retryOnLockConflict(attempt, {
        onRetry: () => deps.onLockRetry?.(),
        retryAlso: (err) => reactions.map((react) => react(err)).includes(true),
      });
      for (const outcome of outcomes) deps.phaseTwo?.metrics.phaseTwo.inc({ outcome });
    } catch (err) {
      const error = failureOf(err, dryRun);
      if (error.code === 'TRK_ERR_DRY_RUN_GAVE_UP') markGaveUp(res, isDbError(err, 'DB_LOCK_TIMEOUT') ? 'lock-timeout' : 'deadlock');
      else if (error.status >= 500) deps.logError(err, req);
      answer = errorAnswer(error, req.get('accept') ?? '');
    }
    writeAnswer(res, answer);
  };
}
