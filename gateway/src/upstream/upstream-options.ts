/**
 * Validates UpstreamOptions once, when an upstream is created, and fills in the
 * defaults, which are the configuration schema's (written once, in
 * config/schema.ts). A bad value is a configuration error (GW_ERR_CONFIG_INVALID)
 * that names the upstream and the field.
 */
import { UPSTREAM_DEFAULTS } from '../config/schema.ts';
import { GatewayError } from '../errors.ts';
import type { UpstreamOptions } from './types.ts';

/** UpstreamOptions with every default applied and the URL split. */
export interface ResolvedUpstreamOptions {
  readonly name: string;
  /** `scheme://host:port`. */
  readonly origin: string;
  /** Path prefix without a trailing slash, '' for none. */
  readonly basePath: string;
  readonly connectTimeoutMs: number;
  readonly headersTimeoutMs: number;
  readonly totalTimeoutMs: number;
  readonly connections: number;
  readonly keepAliveTimeoutMs: number;
}

/** Applies defaults and validates; throws GW_ERR_CONFIG_INVALID listing every problem. */
export function resolveUpstreamOptions(opts: UpstreamOptions): ResolvedUpstreamOptions {
  const problems: string[] = [];
  const name = typeof opts.name === 'string' && opts.name.length > 0 ? opts.name : '';
  if (!name) problems.push('name must be a non-empty string');
  const url = parseUrl(opts.url, problems);
  const number = (field: keyof typeof UPSTREAM_DEFAULTS): number => {
    const value = opts[field] ?? UPSTREAM_DEFAULTS[field];
    if (!Number.isInteger(value) || value < 1) problems.push(`${field} must be a positive integer, got ${String(value)}`);
    return value;
  };
  const resolved: ResolvedUpstreamOptions = {
    name,
    origin: url?.origin ?? '',
    basePath: url ? url.pathname.replace(/\/+$/, '') : '',
    connectTimeoutMs: number('connectTimeoutMs'),
    headersTimeoutMs: number('headersTimeoutMs'),
    totalTimeoutMs: number('totalTimeoutMs'),
    connections: number('connections'),
    keepAliveTimeoutMs: number('keepAliveTimeoutMs'),
  };
  if (problems.length > 0) {
    throw new GatewayError('GW_ERR_CONFIG_INVALID', {
      params: { detail: `upstream ${name || '(unnamed)'}: ${problems.join('; ')}` },
      details: { upstream: name, problems },
    });
  }
  return resolved;
}

function parseUrl(raw: unknown, problems: string[]): URL | null {
  if (typeof raw !== 'string') {
    problems.push('url must be a string like http://127.0.0.1:8090');
    return null;
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    problems.push(`url ${JSON.stringify(raw)} is not a valid URL`);
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') problems.push(`url must be http: or https:, got ${url.protocol}`);
  if (url.search || url.hash) problems.push('url must not carry a query or fragment');
  if (url.username || url.password) problems.push('url must not carry credentials');
  return url;
}
