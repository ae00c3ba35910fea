/**
 * Starts a real gateway in-process (ports from 0) in front of four
 * controllable upstreams, with its log lines captured, and helpers for the
 * admin API. Every test file builds one per test and closes it in afterEach.
 */
import { EventEmitter, once } from 'node:events';
import { loadConfig } from '../../src/config/load.ts';
import { startGateway, type GatewayOverrides, type RunningGateway } from '../../src/main.ts';
import { createLogger } from '../../src/observability/logger.ts';
import type { Mode } from '../../src/model.ts';
import type { Catalogue } from '../../src/routing/types.ts';
import { startControllableUpstream, type ControllableUpstream } from './controllable-upstream.ts';
import { createTestCatalogue } from './test-catalogue.ts';

/** The admin token every harness gateway accepts (audited as "admin"). */
export const TEST_TOKEN = 'test-token-0123456789abcdef';

/** What `GET /admin/stats` answers. */
export type StatsJson = Record<string, number> & { reasons: Record<string, number>; errors: Record<string, number>; fallbacks: Record<string, number> };

/** One captured pino line. */
export type LogLine = Record<string, unknown> & { msg: string; level: number };

/** Options of `startHarness`. */
export interface HarnessOptions {
  /** Extra configuration-file content (merged over the harness defaults). */
  readonly config?: Record<string, unknown>;
  /** Extra env (applied after the harness's own). */
  readonly env?: Record<string, string>;
  /** Default: the test catalogue. Pass `null` for the real routes/ catalogue. */
  readonly catalogue?: Catalogue | null;
  readonly overrides?: Omit<GatewayOverrides, 'catalogue' | 'logger'>;
}

/** A running gateway with its upstreams. */
export interface Harness {
  readonly gateway: RunningGateway;
  readonly legacy: ControllableUpstream;
  readonly tracking: ControllableUpstream;
  readonly forms: ControllableUpstream;
  readonly sending: ControllableUpstream;
  readonly logs: LogLine[];
  /** Resolves with the `request` log line of a request id (once it is recorded). */
  requestLine(requestId: string): Promise<LogLine>;
  /** Resolves with the `n`-th log line (1-based) that `match` accepts, once it is recorded. */
  nthLine(match: (line: LogLine) => boolean, n?: number): Promise<LogLine>;
  /** Calls the admin API with the test token (or `token`). */
  admin(method: string, path: string, body?: unknown, token?: string | null): Promise<Response>;
  /** Sets a flag through the admin API and fails the test when refused. */
  setFlag(routeId: string, mode: Mode, extra?: { percent?: number; tenant?: string; why?: string }): Promise<void>;
  /** `GET /admin/stats`. */
  stats(): Promise<StatsJson>;
  close(): Promise<void>;
}

/**
 * Starts upstreams and a gateway in front of them.
 *
 * @example
 * const h = await startHarness();
 * await h.setFlag('tracking.pixel', 'extracted');
 */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const [legacy, tracking, forms, sending] = await Promise.all(['legacy', 'tracking', 'forms', 'sending'].map((n) => startControllableUpstream(n)));
  const logs: LogLine[] = [];
  const lines = new EventEmitter();
  const destination = {
    write(chunk: string) {
      const line = JSON.parse(chunk) as LogLine;
      logs.push(line);
      lines.emit('line', line);
    },
  };
  // The guard is off unless a test configures it: one that sends failing traffic on purpose must not see its route moved back.
  const file = JSON.stringify({ server: { host: '127.0.0.1', drainTimeoutMs: 1000 }, admin: { host: '127.0.0.1' }, guard: { enabled: false }, ...options.config });
  const config = loadConfig(
    {
      STRANGLER_CONFIG: 'harness.json', PORT: '0', ADMIN_PORT: '0', ADMIN_TOKEN: TEST_TOKEN, LOG_LEVEL: 'debug',
      LEGACY_URL: legacy!.url, TRACKING_URL: tracking!.url, FORMS_URL: forms!.url, SENDING_URL: sending!.url, ...options.env,
    },
    () => file,
  );
  const catalogue = options.catalogue === null ? undefined : (options.catalogue ?? createTestCatalogue());
  const gateway = await startGateway(config, { ...options.overrides, ...(catalogue ? { catalogue } : {}), logger: createLogger('debug', destination) });

  const admin: Harness['admin'] = (method, path, body, token = TEST_TOKEN) => {
    const headers: Record<string, string> = {};
    if (token !== null) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    return fetch(`${gateway.adminUrl}${path}`, { method, headers, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
  };

  return {
    gateway, legacy: legacy!, tracking: tracking!, forms: forms!, sending: sending!, logs, admin,
    async requestLine(requestId) {
      const find = () => logs.find((l) => l.msg === 'request' && l.requestId === requestId);
      for (let line = find(); ; line = find()) {
        if (line) return line;
        await once(lines, 'line');
      }
    },
    // One pass over the lines, resumed where it stopped: tests with steady traffic log thousands
    // of lines, and rescanning them all on every new line made a wait quadratic.
    async nthLine(match, n = 1) {
      let found = 0;
      for (let next = 0; ; await once(lines, 'line')) {
        for (; next < logs.length; next += 1) if (match(logs[next] as LogLine) && (found += 1) === n) return logs[next] as LogLine;
      }
    },
    async setFlag(routeId, mode, extra = {}) {
      const res = await admin('PUT', `/admin/flags/${routeId}`, { mode, ...extra });
      if (res.status !== 200) throw new Error(`setFlag ${routeId} ${mode}: ${res.status} ${await res.text()}`);
    },
    async stats() {
      return (await (await admin('GET', '/admin/stats')).json()) as StatsJson;
    },
    async close() {
      await gateway.close();
      await Promise.all([legacy, tracking, forms, sending].map((u) => u!.close()));
    },
  };
}

/** Parses the JSON an echoing upstream answered. */
export interface Echo {
  upstream: string;
  method: string;
  url: string;
  headers: Record<string, string | string[]>;
  bodyBytes: number;
  body: string | null;
}
