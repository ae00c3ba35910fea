import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  ERRORS, ERROR_HEADER, GatewayError, formatMessage, isGatewayError, renderError, sendError,
} from './errors.ts';
import type { ErrorCode } from './errors.ts';

/** Rows of docs/errors.md: code → status cell. */
function documentedCodes(): Map<string, string> {
  const doc = readFileSync(join(__dirname, '../../docs/errors.md'), 'utf8');
  const rows = new Map<string, string>();
  for (const match of doc.matchAll(/^\|\s*`(GW_ERR_[A-Z0-9_]+)`\s*\|\s*([^|]+)\|/gm)) {
    rows.set(match[1] as string, (match[2] as string).trim());
  }
  return rows;
}

describe('error registry', () => {
  const codes = Object.keys(ERRORS) as ErrorCode[];

  it('lists every registry code in docs/errors.md with its status', () => {
    const documented = documentedCodes();
    for (const code of codes) {
      expect(documented.has(code)).toBe(true);
      expect(documented.get(code)?.startsWith(String(ERRORS[code].status))).toBe(true);
    }
  });

  it('documents no code the registry does not have', () => {
    const unknown = [...documentedCodes().keys()].filter((code) => !Object.hasOwn(ERRORS, code));
    expect(unknown).toEqual([]);
  });

  it('names every code GW_ERR_<AREA>_<WHAT> with a 4xx/5xx status and a message', () => {
    for (const code of codes) {
      expect(code).toMatch(/^GW_ERR_[A-Z]+_[A-Z0-9_]+$/);
      expect(ERRORS[code].status).toBeGreaterThanOrEqual(400);
      expect(ERRORS[code].status).toBeLessThan(600);
      expect(ERRORS[code].message.length).toBeGreaterThan(10);
    }
  });
});

describe('formatMessage', () => {
  it.each([
    ['{a} and {b}', { a: 'x', b: 2 }, 'x and 2'],
    ['{missing} stays', {}, '{missing} stays'],
    ['no placeholders', { a: 1 }, 'no placeholders'],
    ['{toString}', {}, '{toString}'],
  ])('formats %j', (template, params, expected) => {
    expect(formatMessage(template, params)).toBe(expected);
  });
});

describe('GatewayError', () => {
  it('takes status and message from the registry', () => {
    const err = new GatewayError('GW_ERR_TENANT_UNKNOWN_HOST', { params: { host: 'x.example' }, details: { a: 1 } });
    expect(err).toBeInstanceOf(Error);
    expect(err.status).toBe(421);
    expect(err.message).toBe('No tenant is configured for host x.example');
    expect(err.details).toEqual({ a: 1 });
    expect(isGatewayError(err)).toBe(true);
    expect(isGatewayError(new Error('plain'))).toBe(false);
    expect(isGatewayError({ code: 'GW_ERR_REQUEST_BAD', status: 400 })).toBe(false);
  });

  it('keeps the cause', () => {
    const cause = new Error('econnrefused');
    expect(new GatewayError('GW_ERR_REQUEST_BAD', { cause }).cause).toBe(cause);
  });

  it('renders JSON with the code header', () => {
    const rendered = renderError(new GatewayError('GW_ERR_REQUEST_BAD', { params: { detail: 'bad target' } }));
    expect(rendered.status).toBe(400);
    expect(rendered.headers[ERROR_HEADER]).toBe('GW_ERR_REQUEST_BAD');
    expect(JSON.parse(rendered.body.toString('utf8'))).toEqual({
      error: { code: 'GW_ERR_REQUEST_BAD', message: 'Bad request: bad target' },
    });
    expect(rendered.headers['content-length']).toBe(String(rendered.body.length));
  });
});

describe('sendError through a real socket', () => {
  it('answers status, header and JSON body', async () => {
    const server = createServer((_req, res) => sendError(res, new GatewayError('GW_ERR_ADMIN_UNAUTHORIZED')));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const res = await fetch(`http://127.0.0.1:${port}/`);
      expect(res.status).toBe(401);
      expect(res.headers.get('x-strangler-error')).toBe('GW_ERR_ADMIN_UNAUTHORIZED');
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(await res.json()).toEqual({ error: { code: 'GW_ERR_ADMIN_UNAUTHORIZED', message: 'A valid admin token is required' } });
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('cuts the connection when the response had already started', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('partial', () => sendError(res, new GatewayError('GW_ERR_UPSTREAM_RESET')));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const res = await fetch(`http://127.0.0.1:${port}/`);
      expect(res.status).toBe(200);
      await expect(res.arrayBuffer()).rejects.toThrow();
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
