/**
 * Turning admin request input into typed values or coded refusals: bodies and
 * queries through their zod schema, and the `If-Match` revision.
 */
import type { Request } from 'express';
import type { z } from 'zod';
import { GatewayError, type ErrorCode } from '../errors.ts';
import type { AdminIdentity } from './auth.ts';

/** Which code a problem with a field gets; other fields give GW_ERR_ADMIN_BAD_REQUEST. */
const FIELD_CODES: Readonly<Record<string, ErrorCode>> = { mode: 'GW_ERR_ADMIN_UNKNOWN_MODE', percent: 'GW_ERR_ADMIN_BAD_PERCENT' };

/**
 * Parses `input` with `schema`, or throws the refusal of its first problem.
 *
 * @example const body = parseInput(modeChangeBody, req.body);
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = String(issue?.path[0] ?? '');
  const code = FIELD_CODES[field];
  const value = field ? (input as Record<string, unknown>)[field] : undefined;
  if (code === 'GW_ERR_ADMIN_UNKNOWN_MODE') throw new GatewayError(code, { params: { mode: show(value) } });
  if (code === 'GW_ERR_ADMIN_BAD_PERCENT') throw new GatewayError(code, { params: { percent: show(value) } });
  const where = issue?.code === 'unrecognized_keys' ? `unknown field(s) ${issue.keys.join(', ')}` : `${field || 'body'}: ${issue?.message ?? 'invalid'}`;
  throw new GatewayError('GW_ERR_ADMIN_BAD_REQUEST', { params: { detail: where } });
}

/**
 * The revision of `If-Match: "<n>"` (or a bare `<n>`); undefined when the
 * header is absent or `*`.
 *
 * @throws GW_ERR_ADMIN_BAD_REQUEST for anything else.
 */
export function ifMatchRevision(req: Request): number | undefined {
  const raw = req.headers['if-match'];
  if (raw === undefined || raw.trim() === '*') return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(raw);
  if (!match) throw new GatewayError('GW_ERR_ADMIN_BAD_REQUEST', { params: { detail: `If-Match must be a revision like "12", not ${show(raw)}` } });
  return Number(match[1]);
}

/** The caller, as the token check found it (admin-app.ts). */
export function identityOf(req: Request): AdminIdentity {
  return (req as Request & { admin?: AdminIdentity }).admin ?? { label: 'admin', role: 'operator' };
}

/** A value as JSON for a message; "nothing" when absent. */
export function show(value: unknown): string {
  return value === undefined ? 'nothing' : (JSON.stringify(value) ?? String(value)).slice(0, 100);
}
