/**
 * Sends a contract request with node:http, byte for byte: the target is not re-encoded,
 * headers may repeat, and the whole answer is kept as bytes.
 */
import { request as httpRequest } from 'node:http';
import type { ContractRequest, ContractResponse } from './contract-case.ts';

/** Sends `req` to `baseUrl` (e.g. `http://127.0.0.1:4312`) and reads the whole answer. */
export function sendRaw(baseUrl: string, req: ContractRequest): Promise<ContractResponse> {
  const url = new URL(baseUrl);
  const body = req.body === undefined ? undefined : Buffer.from(req.body);
  const headers: Record<string, string | string[]> = { ...req.headers };
  if (body) headers['content-length'] = String(body.length);
  return new Promise((resolve, reject) => {
    const out = httpRequest({ host: url.hostname, port: url.port, method: req.method ?? 'GET', path: req.path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const flat: Record<string, string> = {};
        for (const [name, value] of Object.entries(res.headers)) {
          if (name !== 'set-cookie' && value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
        }
        resolve({ status: res.statusCode ?? 0, headers: flat, cookies: res.headers['set-cookie'] ?? [], body: Buffer.concat(chunks) });
      });
    });
    out.on('error', reject);
    out.end(body);
  });
}

/** The `name=value` pairs of Set-Cookie values, as a Cookie header. */
export function cookieHeaderFrom(setCookies: readonly string[]): string {
  const pairs = new Map<string, string>();
  for (const c of setCookies) {
    const pair = c.split(';')[0] ?? '';
    pairs.set(pair.slice(0, pair.indexOf('=')), pair);
  }
  return [...pairs.values()].join('; ');
}
