/**
 * One HTTP request with full control of the headers (fetch refuses Host and
 * Connection), collecting the whole response.
 */
import { request } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';

/** A collected response. */
export interface Sent {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/**
 * Sends a request to `baseUrl + path`.
 *
 * @example const res = await send(gw.publicUrl, '/mtracking.gif', { headers: { host: 'acme.example' } });
 */
export function send(baseUrl: string, path: string, options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<Sent> {
  return new Promise((resolve, reject) => {
    const req = request(`${baseUrl}${path}`, { method: options.method ?? 'GET', headers: options.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}
