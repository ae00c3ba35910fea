import { UpstreamError, type UpstreamSide } from '../upstream/upstream-error.ts';
import { fallbackReason, type NewPathOutcome } from './fallback.ts';

const failed = (side: UpstreamSide, delivered: boolean): NewPathOutcome => ({ kind: 'failed', error: new UpstreamError({ upstream: 'tracking', side, delivered }) });

// docs/architecture.md §4 as a table: outcome, replayable route, body resendable → reason.
describe('fallbackReason', () => {
  it.each<[string, NewPathOutcome, boolean, boolean, string | null]>([
    ['breaker open, POST, non-replayable', { kind: 'rejected' }, false, true, 'breaker-open'],
    ['breaker open, streamed body', { kind: 'rejected' }, false, false, 'breaker-open'],
    ['connect error, non-replayable', failed('connect', false), false, true, 'fallback-connect-error'],
    ['connect error, streamed body (cannot send twice)', failed('connect', false), true, false, null],
    ['500, replayable', { kind: 'status', statusCode: 500 }, true, true, 'fallback-replay'],
    ['503, replayable, streamed body', { kind: 'status', statusCode: 503 }, true, false, null],
    ['500, non-replayable', { kind: 'status', statusCode: 500 }, false, true, null],
    ['404, replayable', { kind: 'status', statusCode: 404 }, true, true, null],
    ['200', { kind: 'status', statusCode: 200 }, true, true, null],
    ['headers timeout, replayable', failed('headers-timeout', true), true, true, 'fallback-replay'],
    ['headers timeout, non-replayable', failed('headers-timeout', true), false, true, null],
    ['total timeout, replayable', failed('total-timeout', true), true, true, 'fallback-replay'],
    ['reset after delivery, non-replayable', failed('reset', true), false, true, null],
    ['invalid response, replayable', failed('invalid-response', true), true, true, 'fallback-replay'],
    ['client aborted', failed('client-aborted', false), true, true, null],
    ['request undici refuses to send', failed('invalid-request', false), true, true, null],
    ['not an UpstreamError', { kind: 'failed', error: new Error('boom') }, true, true, null],
  ])('%s → %p', (_name, outcome, replayable, resendable, reason) => {
    expect(fallbackReason(outcome, replayable, resendable)).toBe(reason);
  });
});
