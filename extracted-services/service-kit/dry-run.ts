/**
 * The dry-run contract's wire side (docs/architecture.md §5), the same for every service:
 * the gateway marks a shadow copy with `X-Strangler-Mode: shadow`, and every answer to it
 * confirms with `X-Strangler-Dry-Run: 1`, whichever part of the app gives it.
 */
import type { Request, RequestHandler, Response } from 'express';

/** Header the gateway sets on shadow copies. */
export const MODE_HEADER = 'x-strangler-mode';
/** Header that confirms a dry run. */
export const DRY_RUN_HEADER = 'X-Strangler-Dry-Run';
/**
 * Header a dry run that gave up rather than wait sets, with why (`lock-timeout`): the gateway
 * counts the comparison as skipped (`dry-run-gave-up`) instead of comparing the error page.
 */
export const DRY_RUN_GAVE_UP_HEADER = 'X-Strangler-Dry-Run-Gave-Up';

/** Whether a request asks for a dry run. */
export function isDryRun(req: Pick<Request, 'get'>): boolean {
  return req.get(MODE_HEADER) === 'shadow';
}

/** Middleware, mounted first: every answer to a dry run carries the confirmation. */
export const confirmDryRun: RequestHandler = function confirmDryRun(req, res, next) {
  if (isDryRun(req)) res.setHeader(DRY_RUN_HEADER, '1');
  next();
};

/** Marks the answer of a dry run that gave up (docs/architecture.md §5). */
export function markGaveUp(res: Pick<Response, 'setHeader'>, reason: string): void {
  res.setHeader(DRY_RUN_GAVE_UP_HEADER, reason);
}
