/**
 * The CLI's client of the admin API: bearer token from STRANGLER_TOKEN, JSON
 * in and out, and every refusal turned into a CliError whose message says
 * what to do next.
 */
import { CliError, EXIT } from './exit-codes.ts';

/** Where the admin API is and who calls it. */
export interface AdminTarget {
  /** e.g. `http://127.0.0.1:8081`. */
  readonly url: string;
  readonly token: string | undefined;
}

/** Longest wait for one admin call. */
const CALL_TIMEOUT_MS = 10_000;

/** One admin call's options. */
export interface CallOptions {
  readonly body?: unknown;
  readonly ifMatch?: number;
}

/**
 * Calls the admin API and returns its JSON answer.
 *
 * @throws CliError with the exit code and advice for every failure.
 */
export async function callAdmin<T>(target: AdminTarget, method: string, path: string, options: CallOptions = {}): Promise<T> {
  const headers: Record<string, string> = {};
  if (target.token) headers.authorization = `Bearer ${target.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.ifMatch !== undefined) headers['if-match'] = `"${options.ifMatch}"`;
  let res: Response;
  try {
    res = await fetch(new URL(path, target.url), { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body), signal: AbortSignal.timeout(CALL_TIMEOUT_MS) });
  } catch (err) {
    const { cause } = err as { cause?: { code?: string; message?: string } };
    const why = cause?.code ?? cause?.message ?? (err as Error).message;
    throw new CliError(EXIT.unavailable, `Cannot reach the admin API at ${target.url} (${why}). Set --admin-url or STRANGLER_ADMIN_URL to the gateway's admin port.`);
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CliError(EXIT.unexpected, `The admin API answered ${res.status} with something that is not JSON: ${text.slice(0, 200)}`);
  }
  if (res.ok) return json as T;
  const error = (json as { error?: { code?: string; message?: string } }).error ?? {};
  throw refusal(res.status, error.code ?? '?', error.message ?? text.slice(0, 200), target);
}

function refusal(status: number, code: string, message: string, target: AdminTarget): CliError {
  const said = `${message} (${status} ${code})`;
  if (status === 401) {
    const hint = target.token ? 'STRANGLER_TOKEN holds a token the gateway does not know' : 'STRANGLER_TOKEN is not set';
    return new CliError(EXIT.auth, `${said}.\n${hint}: set STRANGLER_TOKEN to an admin token (ADMIN_TOKEN, ADMIN_VIEWER_TOKEN, or one of admin.tokens[] in the gateway's configuration).`);
  }
  if (status === 403) return new CliError(EXIT.auth, `${said}.\nSet STRANGLER_TOKEN to an operator token to change modes.`);
  if (code === 'GW_ERR_ADMIN_DIFF_NOT_FOUND') return new CliError(EXIT.notFound, `${said}.\nList the stored diffs with: strangler diffs --route <route>`);
  if (status === 404) return new CliError(EXIT.notFound, `${said}.\nList the routes and tenants with: strangler routes list`);
  if (code === 'GW_ERR_DIFF_STORE_UNAVAILABLE') return new CliError(EXIT.unavailable, `${said}.\nThe diffs are in Redis (services.redisUrl); retry when it answers.`);
  if (status === 409 && code === 'GW_ERR_ADMIN_VERSION_CONFLICT') {
    return new CliError(EXIT.conflict, `${said}.\nSomeone changed this route since it was read. Re-read it (strangler routes list), check the change is still wanted, and run the command again.`);
  }
  if (status === 409) return new CliError(EXIT.conflict, `${said}.`);
  if (status === 503) return new CliError(EXIT.unavailable, `${said}.\nNothing was changed; traffic keeps its current modes. Retry when Redis is back (strangler status shows the fleet).`);
  if (status === 400 || status === 412) return new CliError(EXIT.refused, `${said}.`);
  return new CliError(EXIT.unexpected, said);
}
