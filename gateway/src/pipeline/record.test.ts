// The decision line is written from a template (request-line.ts); it must be the very line pino
// would write for the same fields, so log tooling sees one format.
import { createLogger } from '../observability/logger.ts';
import { createStats } from '../observability/stats.ts';
import { LOG_LINES } from '../observability/log-lines.ts';
import { record, type RequestRecord } from './record.ts';

// One millisecond for every line, so the template's and pino's timestamps agree.
beforeEach(() => void jest.spyOn(Date, 'now').mockReturnValue(Date.parse('2026-11-26T10:00:00.000Z')));
afterEach(() => jest.restoreAllMocks());

function lines(level: 'info' | 'warn' = 'info') {
  const out: string[] = [];
  const logger = createLogger(level, { write: (line: string) => void out.push(line) });
  return { logger, out };
}

const base: RequestRecord = {
  requestId: 'r-1', method: 'GET', path: '/mtracking.gif', route: 'tracking.pixel', tenant: 'default',
  decision: { mode: 'legacy', reason: 'default', primary: 'legacy' }, upstream: 'legacy', status: 200,
  durationMs: 1.23456, outcome: 'complete', bodySkipped: false,
};

describe('record: the decision line', () => {
  it.each<[string, Partial<RequestRecord>]>([
    ['a plain legacy request', {}],
    ['a canary decision with its bucket', { decision: { mode: 'canary', reason: 'bucket', primary: 'tracking', bucket: 42 } }],
    ['a shadow decision', { decision: { mode: 'shadow', reason: 'flag', primary: 'legacy', shadow: 'tracking' } }],
    ['no route, tenant or decision (classify failed)', { route: null, tenant: null, decision: null, upstream: null, status: 421, error: 'GW_ERR_TENANT_UNKNOWN_HOST' }],
    ['a path that needs escaping', { path: '/a"b\\c\u0001\u2028é/😀', requestId: 'x\ny' }],
    ['a client that left, body skipped', { status: 499, error: 'GW_ERR_CLIENT_ABORTED', outcome: 'client-aborted', bodySkipped: true }],
    ['a shadowed request whose answers matched', { decision: { mode: 'shadow', reason: 'flag', primary: 'legacy', shadow: 'tracking' }, diff: 'match' }],
    ['a shadowed request not compared', { decision: { mode: 'shadow', reason: 'flag', primary: 'legacy', shadow: 'tracking' }, diff: 'skipped', diffSkipReason: 'deadline-passed' }],
  ])('%s: the same bytes pino writes', (_name, change) => {
    const r = { ...base, ...change };
    const fast = lines();
    record(r, { logger: fast.logger, stats: createStats() });
    const slow = lines();
    const d = r.decision;
    slow.logger.info({
      requestId: r.requestId, method: r.method, path: r.path, route: r.route, tenant: r.tenant,
      mode: d?.mode, reason: d?.reason, primary: d?.primary, bucket: d?.bucket, shadow: d?.shadow,
      upstream: r.upstream, status: r.status, durationMs: Math.round(r.durationMs * 1000) / 1000,
      error: r.error, errorCause: r.errorCause, outcome: r.outcome, bodySkipped: r.bodySkipped || undefined,
      diff: r.diff, diffSkipReason: r.diffSkipReason,
    }, LOG_LINES.request);
    expect(fast.out).toHaveLength(1);
    expect(fast.out[0]).toBe(slow.out[0]);
    expect(JSON.parse(fast.out[0] as string)).toMatchObject({ level: 30, service: 'gateway', msg: 'request', path: r.path });
  });

  it('writes from the template, not through pino, for a logger createLogger made', () => {
    const { logger, out } = lines();
    const info = jest.spyOn(logger, 'info');
    record(base, { logger, stats: createStats() });
    expect(info).not.toHaveBeenCalled();
    expect(out).toHaveLength(1);
  });

  it('writes through pino, same fields, for a logger createLogger did not make (a child), keeping its bindings', () => {
    const { logger, out } = lines();
    const child = logger.child({ replica: 'gw-2' });
    const info = jest.spyOn(child, 'info');
    record(base, { logger: child, stats: createStats() });
    expect(info).toHaveBeenCalledTimes(1);
    expect(JSON.parse(out[0] as string)).toMatchObject({ service: 'gateway', replica: 'gw-2', requestId: 'r-1', durationMs: 1.235, route: 'tracking.pixel' });
  });

  it('writes nothing at level warn, and a 5xx at error', () => {
    const { logger, out } = lines('warn');
    record(base, { logger, stats: createStats() });
    expect(out).toEqual([]);
    record({ ...base, status: 502, error: 'GW_ERR_UPSTREAM_CONNECT' }, { logger, stats: createStats() });
    expect(JSON.parse(out[0] as string)).toMatchObject({ level: 50, status: 502, error: 'GW_ERR_UPSTREAM_CONNECT' });
  });

  it('counts every request', () => {
    const stats = createStats();
    record(base, { logger: lines().logger, stats });
    record({ ...base, outcome: 'client-aborted', status: 499, error: 'GW_ERR_CLIENT_ABORTED' }, { logger: lines().logger, stats });
    expect(stats.snapshot()).toMatchObject({ requests: 2, clientAborted: 1, reasons: { default: 2 }, errors: { GW_ERR_CLIENT_ABORTED: 1 } });
  });
});
