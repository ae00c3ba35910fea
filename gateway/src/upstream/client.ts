/**
 * The HTTP client of one upstream: an undici Pool (keep-alive, pipelining 1)
 * per origin, with the timeouts and failure classification of exchange.ts.
 *
 * undici queues without bound when every connection is busy; here the queue
 * has `queueLimit` places, and a request beyond them fails at once (side
 * `queue-full`, never written) rather than waiting out its timeouts behind
 * requests that hold every connection.
 */
import { Pool } from 'undici';
import { createConnector } from './connector.ts';
import { runExchange } from './exchange.ts';
import { UpstreamError } from './upstream-error.ts';
import { resolveUpstreamOptions } from './upstream-options.ts';
import type { Upstream, UpstreamOptions, UpstreamRequest, UpstreamResponse, UpstreamStats } from './types.ts';

/**
 * Creates the client of one upstream. Validates the options first and throws
 * GW_ERR_CONFIG_INVALID when one is wrong. Connections open lazily.
 *
 * @example
 * const legacy = createUpstream({ name: 'legacy', url: 'http://127.0.0.1:8090', totalTimeoutMs: 30_000 });
 * const res = await legacy.request({ method: 'GET', path: '/mtracking.gif', headers, body: null, signal });
 * res.body.pipe(clientResponse);
 * await legacy.close();
 */
export function createUpstream(opts: UpstreamOptions): Upstream {
  const resolved = resolveUpstreamOptions(opts);
  const pool = new Pool(resolved.origin, {
    connections: resolved.connections,
    pipelining: 1,
    connect: createConnector(resolved.connectTimeoutMs),
    // exchange.ts runs the headers and total timeouts on precise timers; the
    // total one also bounds the body, so there is no per-chunk idle timer.
    headersTimeout: 0,
    bodyTimeout: 0,
    keepAliveTimeout: resolved.keepAliveTimeoutMs,
  });
  let closed = false;
  /** Exchanges started and not yet ended: each holds a connection, or a place in the queue. */
  let outstanding = 0;
  let refused = 0;
  const capacity = resolved.connections + resolved.queueLimit;
  const ended = (): void => void (outstanding -= 1);

  function request(req: UpstreamRequest): Promise<UpstreamResponse> {
    if (closed) {
      return Promise.reject(new UpstreamError({ upstream: resolved.name, side: 'connect', delivered: false, cause: new Error('upstream client is closed') }));
    }
    if (outstanding >= capacity) {
      refused += 1;
      const cause = new Error(`${resolved.connections} connections busy and ${resolved.queueLimit} requests queued`);
      return Promise.reject(new UpstreamError({ upstream: resolved.name, side: 'queue-full', delivered: false, cause }));
    }
    outstanding += 1;
    return runExchange(pool, resolved, req, ended);
  }

  function stats(): UpstreamStats {
    const { connected, free, pending, running } = pool.stats;
    return { connected, free, pending, running, refused };
  }

  async function close(): Promise<void> {
    if (closed) return;
    closed = true;
    await pool.close();
  }

  return { name: resolved.name, origin: resolved.origin, request, stats, close };
}
