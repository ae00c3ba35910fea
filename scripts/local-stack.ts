/**
 * The whole local stack in one process (docs/architecture.md §9, "fresh machine"): the
 * stand-in monolith on the embedded defaults (SQLite file, outbox folder) and
 * the gateway in front of it. With `LEGACY_URL` set, the gateway fronts that
 * monolith instead and no stand-in starts. `DATABASE_URL` and `SMTP_URL`
 * switch the stand-in to MariaDB/MySQL and real SMTP. Every port listens on
 * 127.0.0.1 unless `HOST` says otherwise (a container needs `0.0.0.0`).
 *
 * The tracking service runs beside the stand-in, over the same database, on
 * TRACKING_PORT (8101), and so do the forms service on FORMS_PORT (8102) and the sending
 * service on SENDING_PORT (8103, sharing the stand-in's mailer: inline delivery, no queue);
 * the gateway's TRACKING_URL, FORMS_URL and SENDING_URL point to them, so a flag can move
 * those routes there.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../gateway/src/config/load.ts';
import { startGateway, type RunningGateway } from '../gateway/src/main.ts';
import type { Logger } from '../gateway/src/observability/logger.ts';
import { isDbError } from '../legacy-adapter/src/db/errors.ts';
import { migrate } from '../legacy-adapter/src/db/migrate.ts';
import { openDb } from '../legacy-adapter/src/db/open.ts';
import { seedIfEmpty, type SeedResult } from '../legacy-adapter/src/seed/seed.ts';
import type { Db } from '../legacy-adapter/src/db/types.ts';
import { DEFAULT_DATABASE_URL, redact } from '../legacy-adapter/src/db/url.ts';
import { createMailer } from '../legacy-adapter/src/mail/create-mailer.ts';
import type { Mailer } from '../legacy-adapter/src/mail/types.ts';
import { standinConfigFromEnv } from '../legacy-adapter/src/standin/config-from-env.ts';
import { DEFAULT_STANDIN_PORT, startStandin, type RunningStandin } from '../legacy-adapter/src/standin/server.ts';
import type { StandinAppOptions } from '../legacy-adapter/src/standin/app.ts';
import { formsConfigFromEnv } from '../extracted-services/forms/src/config-from-env.ts';
import { DEFAULT_FORMS_PORT } from '../extracted-services/forms/src/config.ts';
import { startForms, type RunningForms } from '../extracted-services/forms/src/server.ts';
import type { TrackingLog } from '../extracted-services/tracking/src/app.ts';
import { trackingConfigFromEnv } from '../extracted-services/tracking/src/config-from-env.ts';
import { DEFAULT_TRACKING_PORT } from '../extracted-services/tracking/src/config.ts';
import { pinoTrackingLog, startTracking, type RunningTracking } from '../extracted-services/tracking/src/server.ts';
import { sendingConfigFromEnv } from '../extracted-services/sending/src/config-from-env.ts';
import { DEFAULT_SENDING_PORT } from '../extracted-services/sending/src/config.ts';
import { startSending, type RunningSending } from '../extracted-services/sending/src/server.ts';

type Env = Readonly<Record<string, string | undefined>>;

/** A running local stack. */
export interface LocalStack {
  readonly gateway: RunningGateway;
  /** Null when `LEGACY_URL` points at another monolith. */
  readonly standin: RunningStandin | null;
  /** The tracking service; null when `LEGACY_URL` points at another monolith. */
  readonly tracking: RunningTracking | null;
  /** The sending service; null when `LEGACY_URL` points at another monolith. */
  readonly sending: RunningSending | null;
  /** The forms service; null when `LEGACY_URL` points at another monolith. */
  readonly forms: RunningForms | null;
  /** What `seedIfEmpty` made or found from an earlier start; null when the database holds other data (or no stand-in runs). */
  readonly seeded: SeedResult | null;
  /** Why the seed's ids could not be read back (an earlier seed lost rows); the stack runs anyway. */
  readonly seedProblem: string | null;
  /** The admin token in force: `ADMIN_TOKEN`, or one generated for this run. */
  readonly adminToken: string;
  /** The database URL in use, password redacted. */
  readonly databaseUrl: string;
  /** Stops the gateway (draining), then the stand-in, the mailer and the database. */
  close(): Promise<void>;
}

/** Options for tests; `npm start` passes none. */
export interface LocalStackOptions {
  /** Gateway logger (default: pino on stdout). */
  readonly logger?: Logger;
  /** Stand-in log (default: pino on stdout). */
  readonly standinLog?: StandinAppOptions['log'];
  /** Tracking service log (default: pino on stdout). */
  readonly trackingLog?: TrackingLog;
}

/**
 * Starts the stack. `PORT`/`ADMIN_PORT` (8080/8081) and `STANDIN_PORT` (8090)
 * may be `0` for free ports; the stand-in's `site_url` is always the gateway's
 * public URL, because Mautic builds every absolute URL from it.
 *
 * @throws ConfigError / StandinConfigError / DbError / MailError with a clear message.
 * @example
 * const stack = await startLocalStack(process.env);
 */
export async function startLocalStack(env: Env, options: LocalStackOptions = {}): Promise<LocalStack> {
  // A port picked for `0` is free when picked, not when listened on: another process may take it
  // in between. Only then is starting again with new picks the answer.
  for (let attempt = 1; ; attempt += 1) {
    const picked = new Set<number>();
    try {
      return await startLocalStackOnce(env, options, picked);
    } catch (err) {
      const { code, port } = err as { code?: unknown; port?: unknown };
      if (attempt >= PICKED_PORT_ATTEMPTS || code !== 'EADDRINUSE' || typeof port !== 'number' || !picked.has(port)) throw err;
    }
  }
}

/** Starts with a port picked for `0` taken meanwhile by someone else: tries this often in all. */
const PICKED_PORT_ATTEMPTS = 3;

/** One try; every port it picks for `0` goes into `picked`. */
async function startLocalStackOnce(env: Env, options: LocalStackOptions, picked: Set<number>): Promise<LocalStack> {
  const adminToken = env.ADMIN_TOKEN || randomBytes(24).toString('hex');
  const host = env.HOST || DEFAULT_STACK_HOST;
  const fronted = Boolean(env.LEGACY_URL);
  const ports = readPorts(env);
  const gatewayPort = await concretePort(picked, ports.PORT);
  const standinPort = fronted ? 0 : await concretePort(picked, ports.STANDIN_PORT);
  const trackingPort = fronted ? 0 : await concretePort(picked, ports.TRACKING_PORT);
  const sendingPort = fronted ? 0 : await concretePort(picked, ports.SENDING_PORT);
  const formsPort = fronted ? 0 : await concretePort(picked, ports.FORMS_PORT);
  const gatewayEnv = {
    ...env,
    PORT: String(gatewayPort),
    HOST: host,
    ADMIN_TOKEN: adminToken,
    LEGACY_URL: env.LEGACY_URL || `http://127.0.0.1:${standinPort}`,
    TRACKING_URL: env.TRACKING_URL || `http://127.0.0.1:${trackingPort}`,
    SENDING_URL: env.SENDING_URL || `http://127.0.0.1:${sendingPort}`,
    FORMS_URL: env.FORMS_URL || `http://127.0.0.1:${formsPort}`,
  };
  // Validate everything before anything listens, so a bad variable never leaves half a stack.
  const config = loadConfig(gatewayEnv);
  const standinConfig = fronted ? null : standinConfigFromEnv({ MAUTIC_SITE_URL: `http://127.0.0.1:${gatewayPort}`, ...env });
  const trackingConfig = fronted ? null : trackingConfigFromEnv({ MAUTIC_SITE_URL: `http://127.0.0.1:${gatewayPort}`, ...env });
  const sendingConfig = fronted ? null : sendingConfigFromEnv({ MAUTIC_SITE_URL: `http://127.0.0.1:${gatewayPort}`, ...env });
  const formsConfig = fronted ? null : formsConfigFromEnv({ MAUTIC_SITE_URL: `http://127.0.0.1:${gatewayPort}`, ...env });
  const databaseUrl = env.DATABASE_URL || DEFAULT_DATABASE_URL;

  let db: Db | null = null;
  let mailer: Mailer | null = null;
  let standin: RunningStandin | null = null;
  let tracking: RunningTracking | null = null;
  let sending: RunningSending | null = null;
  let forms: RunningForms | null = null;
  // Everything but the gateway, newest first; the gateway is closed first, so nothing routes to a closed part.
  const closeParts = async (): Promise<void> => {
    await forms?.close();
    await sending?.close();
    await tracking?.close();
    await standin?.close();
    await mailer?.close();
    await db?.close();
  };
  let seeded: SeedResult | null = null;
  let seedProblem: string | null = null;
  try {
    if (standinConfig) {
      db = await openDb(databaseUrl);
      await migrate(db);
      // A lost seed row only costs the summary its ids: the stand-in serves the database as it is.
      seeded = await seedIfEmpty(db).catch((err: unknown) => {
        if (!isDbError(err, 'DB_SEED_INCOMPLETE')) throw err;
        seedProblem = err.message;
        return null;
      });
      mailer = createMailer(env);
      standin = await startStandin(
        { db, mailer, config: standinConfig },
        { port: standinPort, host },
        options.standinLog ? { log: options.standinLog } : {},
      );
    }
    if (db && trackingConfig) {
      tracking = await startTracking({ db, config: trackingConfig, log: options.trackingLog ?? pinoTrackingLog() }, { port: trackingPort, host });
    }
    if (db && mailer && sendingConfig) sending = await startSending({ db, config: sendingConfig, mailer }, { port: sendingPort, host });
    if (db && formsConfig) forms = await startForms({ db, config: formsConfig }, { port: formsPort, host });
    const gateway = await startGateway(config, options.logger ? { logger: options.logger } : {});
    const close = async (): Promise<void> => {
      await gateway.close();
      await closeParts();
    };
    return { gateway, standin, tracking, sending, forms, seeded, seedProblem, adminToken, databaseUrl: redact(databaseUrl), close };
  } catch (err) {
    await closeParts();
    throw err;
  }
}

/** A bad port variable; every one is listed. */
export class LocalStackConfigError extends Error {
  readonly code = 'STACK_CONFIG_INVALID';
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`Invalid local stack configuration:\n- ${problems.join('\n- ')}`);
    this.name = 'LocalStackConfigError';
    this.problems = problems;
  }
}

/** Where the stack listens without `HOST`: this machine only, unlike a container's part (gateway/README.md § Configuration). */
export const DEFAULT_STACK_HOST = '127.0.0.1';

const PORT_DEFAULTS = { PORT: 8080, STANDIN_PORT: DEFAULT_STANDIN_PORT, TRACKING_PORT: DEFAULT_TRACKING_PORT, FORMS_PORT: DEFAULT_FORMS_PORT, SENDING_PORT: DEFAULT_SENDING_PORT } as const;

/** The ports the stack must know before anything listens (ADMIN_PORT stays the gateway schema's). */
function readPorts(env: Env): Record<keyof typeof PORT_DEFAULTS, number> {
  const problems: string[] = [];
  const read = (name: keyof typeof PORT_DEFAULTS): number => {
    const value = env[name];
    if (value === undefined || value === '') return PORT_DEFAULTS[name];
    if (/^\d{1,5}$/.test(value) && Number(value) <= 65535) return Number(value);
    problems.push(`${name}: must be a port number 0–65535, got ${JSON.stringify(value)}`);
    return 0;
  };
  const ports = { PORT: read('PORT'), STANDIN_PORT: read('STANDIN_PORT'), TRACKING_PORT: read('TRACKING_PORT'), FORMS_PORT: read('FORMS_PORT'), SENDING_PORT: read('SENDING_PORT') };
  if (problems.length > 0) throw new LocalStackConfigError(problems);
  return ports;
}

/**
 * The port itself, or for `0` a free port picked now. Both halves need each
 * other's address up front (the gateway forwards to the stand-in, whose
 * site_url is the gateway), so `0` cannot be left to `listen`.
 */
async function concretePort(picked: Set<number>, wanted: number): Promise<number> {
  if (wanted !== 0) return wanted;
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  picked.add(port);
  return port;
}
