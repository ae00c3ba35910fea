/**
 * undici's socket connector with a precise connect timeout. undici measures its
 * own connect and headers timeouts on a coarse shared clock (about 1 s steps),
 * so a 100 ms timeout fires after about a second; here the connect phase gets a
 * native timer instead, and exchange.ts does the same for the headers.
 */
import type { Socket } from 'node:net';
import { buildConnector } from 'undici';

/** Error of a connect that did not finish in time; same code as undici's own. */
class ConnectTimeoutError extends Error {
  readonly code = 'UND_ERR_CONNECT_TIMEOUT';

  constructor(host: string, port: string, timeoutMs: number) {
    super(`connect to ${host}:${port} timed out after ${timeoutMs} ms`);
    this.name = 'ConnectTimeoutError';
  }
}

/**
 * Builds a connector whose connect attempt fails with ConnectTimeoutError after
 * `timeoutMs` (ms). The socket gets TCP_NODELAY, as undici's does.
 */
export function createConnector(timeoutMs: number): buildConnector.connector {
  // undici's connector returns the socket it opened although its type says void.
  const base = buildConnector({ timeout: 0 }) as unknown as
    (options: buildConnector.Options, callback: buildConnector.Callback) => Socket | undefined;
  return function connectWithTimeout(options, callback) {
    let settled = false;
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      socket?.destroy();
      callback(new ConnectTimeoutError(options.hostname, options.port, timeoutMs), null);
    }, timeoutMs);
    const socket = base(options, (...args) => {
      if (settled) {
        args[1]?.destroy();
        return;
      }
      settled = true;
      clearTimeout(timer);
      callback(...args);
    });
  };
}
