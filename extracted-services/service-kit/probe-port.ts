/**
 * The probe port of a part that serves no HTTP of its own (the two workers): `/healthz`
 * (the process answers) and `/readyz` (503 once the part drains, or while `check` says what it
 * cannot reach: worker-readiness.ts), so Kubernetes and compose
 * probe a worker as they probe a service (k8s/parts/worker, k8s/parts/sending-worker). Any
 * other path is a 404 with the part's own not-found code.
 */
import { createServer } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';

/** A listening probe port. */
export interface ProbePort {
  /** Base URL, e.g. `http://127.0.0.1:8111`. */
  url: string;
  /** From now on `/readyz` answers 503 `{"status":"draining"}`. */
  drain(): void;
  /** Stops listening and cuts the probes' idle keep-alive connections. */
  close(): Promise<void>;
}

/** Where to listen, and the code a wrong path is answered with (from the part's registry). */
export interface ProbePortOptions {
  port: number;
  host: string;
  notFoundCode: string;
  /** Asked by each `/readyz`: null when ready, else the 503's body. None: ready until it drains. */
  check?: () => Promise<{ readonly status: string; readonly code?: string } | null>;
}

/**
 * Starts the probe port.
 *
 * @example
 * const probes = await startProbePort({ port: 8111, host: '0.0.0.0', notFoundCode: 'TRK_ERR_NOT_FOUND' });
 * process.once('SIGTERM', () => { probes.drain(); … await probes.close(); });
 */
export async function startProbePort(options: ProbePortOptions): Promise<ProbePort> {
  let draining = false;
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const answer = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
    };
    if (path !== '/healthz' && path !== '/readyz') return answer(404, { error: { code: options.notFoundCode, message: `No probe at ${path}: this port answers /healthz and /readyz only` } });
    if (path === '/healthz') return answer(200, { status: 'ok' });
    if (draining) return answer(503, { status: 'draining' });
    if (options.check === undefined) return answer(200, { status: 'ready' });
    options.check().then((notReady) => answer(notReady === null ? 200 : 503, notReady ?? { status: 'ready' }), (err: unknown) => answer(503, { status: 'check-failed', code: String(err) }));
  });
  server.listen(options.port, options.host);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host === '0.0.0.0' ? '127.0.0.1' : options.host}:${port}`,
    drain: () => void (draining = true),
    close: () => new Promise<void>((done) => {
      server.close(() => done());
      server.closeIdleConnections();
    }),
  };
}

/** `PORT` of a worker: unset or empty means no probe port (tests, `npm start`); otherwise 0–65535. */
export function probePortFromEnv(env: Record<string, string | undefined>): number | undefined {
  if (env.PORT === undefined || env.PORT === '') return undefined;
  const port = Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT: must be a port number 0–65535, got ${JSON.stringify(env.PORT)}`);
  return port;
}
