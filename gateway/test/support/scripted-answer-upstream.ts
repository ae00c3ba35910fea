/**
 * A real upstream on 127.0.0.1 (port 0) whose answer to each request is a function the test
 * sets: status, header fields and body, or `hang` (read the request, answer after `hangMs` or
 * never). Records what it received. For the shadow tests, where legacy and the new service
 * must give chosen answers with chosen headers (`X-Strangler-Dry-Run`, cookies, JSON).
 */
import { EventEmitter, once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One answer. */
export interface ScriptedAnswer {
  readonly status: number;
  /** name, value, name, value… */
  readonly headers: readonly string[];
  readonly body: string | Buffer;
  /** Answer only after this many ms (the request is read at once). */
  readonly delayMs?: number;
}

/** One request as received. */
export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** A running scripted upstream. */
export interface ScriptedUpstream {
  readonly url: string;
  /** What to answer; default 200 `ok`. */
  answer: (req: SeenRequest) => ScriptedAnswer;
  readonly received: SeenRequest[];
  /** Resolves with the next request once its body is in. */
  nextRequest(): Promise<SeenRequest>;
  close(): Promise<void>;
}

/**
 * Starts one.
 *
 * @example
 * const tracking = await startScriptedUpstream();
 * tracking.answer = () => ({ status: 200, headers: ['X-Strangler-Dry-Run', '1'], body: '{}', delayMs: 2_000 });
 */
export async function startScriptedUpstream(): Promise<ScriptedUpstream> {
  const events = new EventEmitter();
  const timers = new Set<NodeJS.Timeout>();
  const received: SeenRequest[] = [];
  const server = createServer({ keepAliveTimeout: 1_000 }, (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const seen: SeenRequest = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks) };
      received.push(seen);
      events.emit('request', seen);
      const a = upstream.answer(seen);
      const send = (): void => {
        if (res.destroyed) return;
        res.writeHead(a.status, [...a.headers] as string[]);
        res.end(a.body);
      };
      if (!a.delayMs) return send();
      const t = setTimeout(() => (timers.delete(t), send()), a.delayMs);
      timers.add(t);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const upstream: ScriptedUpstream = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    answer: () => ({ status: 200, headers: [], body: 'ok' }),
    received,
    async nextRequest() {
      return (await once(events, 'request'))[0] as SeenRequest;
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
  return upstream;
}
