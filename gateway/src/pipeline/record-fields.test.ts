// The one list of the record's fields: the decision line, the span attributes and the metric
// labels are each exactly what it says.
import { REQUEST_LABELS } from '../observability/metrics.ts';
import { createLogger } from '../observability/logger.ts';
import { createStats } from '../observability/stats.ts';
import { keepTrace, METRIC_LABEL_FIELDS, RECORD_FIELDS, spanAttributes } from './record-fields.ts';
import { record, type RequestRecord } from './record.ts';

/** A record with every optional field set. */
const FULL: RequestRecord = {
  requestId: 'r1', traceId: '4bf92f3577b34da6a3ce929d0e0e4736', method: 'GET', path: '/mtracking.gif', route: 'tracking.pixel', tenant: 'default',
  decision: { mode: 'canary', reason: 'fallback-connect-error', primary: 'legacy', bucket: 23, shadow: 'tracking' } as RequestRecord['decision'],
  upstream: 'legacy', status: 200, durationMs: 1.5, error: 'GW_ERR_UPSTREAM_CONNECT', errorCause: 'ECONNREFUSED', outcome: 'complete', bodySkipped: true, diff: 'skipped', diffSkipReason: 'deadline-passed',
};

function logLine(r: RequestRecord): Record<string, unknown> {
  const lines: string[] = [];
  record(r, { logger: createLogger('info', { write: (l: string) => void lines.push(l) }), stats: createStats() });
  return JSON.parse(lines[0] as string) as Record<string, unknown>;
}

describe('RECORD_FIELDS', () => {
  it('names every field of the decision line, in its order', () => {
    const keys = Object.keys(logLine(FULL)).filter((k) => !['level', 'time', 'service', 'msg'].includes(k));
    expect(keys).toEqual(RECORD_FIELDS.flatMap((f) => (f.log === null ? [] : [f.log])));
  });

  it('gives the span its attributes, and nothing else', () => {
    expect(Object.keys(spanAttributes(FULL)).sort()).toEqual(RECORD_FIELDS.flatMap((f) => (f.span === null ? [] : [f.span])).sort());
    expect(spanAttributes(FULL)).toMatchObject({ 'strangler.route': 'tracking.pixel', 'strangler.tenant': 'default', 'strangler.mode': 'canary', 'strangler.reason': 'fallback-connect-error', 'strangler.bucket': 23, 'strangler.diff': 'skipped', 'strangler.diff_skip_reason': 'deadline-passed' });
  });

  it('leaves out of the span what the record does not have', () => {
    const bare: RequestRecord = { requestId: 'r2', method: 'GET', path: '/', route: null, tenant: null, decision: null, upstream: null, status: 400, durationMs: 0.1, error: 'GW_ERR_REQUEST_BAD', outcome: 'complete', bodySkipped: false };
    expect(spanAttributes(bare)).toEqual({ 'http.request.method': 'GET', 'url.path': '/', 'http.response.status_code': 400, 'error.type': 'GW_ERR_REQUEST_BAD', 'strangler.outcome': 'complete' });
  });

  it('holds the labels of the request metrics', () => {
    expect([...METRIC_LABEL_FIELDS].sort()).toEqual([...REQUEST_LABELS].sort());
  });

  it.each([
    ['an error status', { status: { code: 2 }, attributes: {} }, true],
    ['a fallback', { status: { code: 0 }, attributes: { 'strangler.reason': 'breaker-open' } }, true],
    ['a mismatch', { status: { code: 0 }, attributes: { 'strangler.diff': 'mismatch' } }, true],
    ['a match', { status: { code: 0 }, attributes: { 'strangler.diff': 'match' } }, false],
    ['a plain request', { status: { code: 0 }, attributes: { 'strangler.reason': 'flag' } }, false],
  ])('keepTrace: %s → %s', (_label, span, kept) => {
    expect(keepTrace(span)).toBe(kept);
  });
});
