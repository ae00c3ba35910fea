/**
 * docker-compose.yml, checked without Docker (no daemon runs here): what it passes to each part
 * must be what that part accepts, so `docker compose up` gives the README's "Try it" results as
 * `npm start` does. `npm run lint:compose` (dclint) checks the file against the compose
 * specification; this checks the commands, the environment, the ports, the start order and the
 * healthchecks of every part (the gateway, the stand-in, the three services and the two workers), where traces (Jaeger), mails (Mailpit) and metrics (Prometheus) go, the
 * real-mautic profile, and runs the seed service's command with its environment on a fresh
 * MariaDB database, twice.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { formsConfigFromEnv } from '../extracted-services/forms/src/config-from-env.ts';
import { sendingConfigFromEnv } from '../extracted-services/sending/src/config-from-env.ts';
import { mailQueueName } from '../extracted-services/sending/src/delivery/mail-queue.ts';
import { probePortFromEnv } from '../extracted-services/service-kit/probe-port.ts';
import { trackingConfigFromEnv } from '../extracted-services/tracking/src/config-from-env.ts';
import { loadConfig } from '../gateway/src/config/load.ts';
import { workerQueuesFromEnv } from './workers.ts';
import { openDb } from '../legacy-adapter/src/db/open.ts';
import { standinConfigFromEnv } from '../legacy-adapter/src/standin/config-from-env.ts';
import { makeMysql } from '../test-support/databases.ts';
import { describeWithMysql } from '../test-support/services.ts';

const ROOT = resolve(__dirname, '..');

interface Service {
  build?: string;
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  profiles?: string[];
}

const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')) as { services: Record<string, Service> };
const services = compose.services;

/** Compose's `${NAME:-default}` with NAME unset, as `docker compose up` sees it without a .env. */
function interpolated(env: Record<string, string> = {}): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).map(([k, v]) => {
      const value = v.replace(/\$\{([A-Z_]+):-([^}]*)\}/g, (_m, _name: string, fallback: string) => fallback);
      if (value.includes('$')) throw new Error(`${k}: a compose expression this test does not read: ${v}`);
      return [k, value];
    }),
  );
}

const envOf = (name: string): Record<string, string> => interpolated(services[name]?.environment);

/** The Redis service as the parts reach it. */
const redisUrl = (): string => `redis://redis:${/:(\d+)$/.exec(services.redis!.ports![0]!)![1]}`;

/** The URL a part's healthcheck asks (`fetch('…')` in its node -e command). */
const healthcheckUrl = (name: string): string | undefined => /fetch\('([^']+)'\)/.exec(services[name]?.healthcheck?.test.join(' ') ?? '')?.[1];

/** `node scripts/serve.ts <part>` as the image's ENTRYPOINT runs it (from the sources here). */
function serve(args: string[], env: Record<string, string>) {
  return spawnSync(process.execPath, ['scripts/serve.ts', ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8', timeout: 60_000 });
}

describe('docker-compose.yml', () => {
  it('runs only parts that `npm run serve` knows, from the one image', () => {
    const usage = serve([], {}).stderr;
    const parts = /usage: npm run serve -- <([^>]+)>/.exec(usage)?.[1]?.split('|');
    expect(parts).toContain('gateway');
    const built = Object.entries(services).filter(([, s]) => s.build !== undefined);
    expect(built.map(([name]) => name).sort()).toEqual(['forms', 'gateway', 'legacy-standin', 'seed', 'sending', 'sending-worker', 'tracking', 'worker']);
    for (const [, service] of built) {
      expect(service.build).toBe('.');
      expect(service.command).toHaveLength(1);
      expect(parts).toContain(service.command![0]);
    }
  });

  it('publishes every port on 127.0.0.1 only', () => {
    const ports = Object.values(services).flatMap((s) => s.ports ?? []);
    expect(ports.length).toBeGreaterThanOrEqual(5);
    for (const p of ports) expect(p).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
  });

  it('gives the gateway an environment its configuration schema accepts, listening inside its container', () => {
    const env = envOf('gateway');
    const config = loadConfig(env);
    expect(config.admin.token?.length).toBeGreaterThanOrEqual(16);
    expect([config.server.host, config.admin.host]).toEqual(['0.0.0.0', '0.0.0.0']);
    expect(services.gateway?.ports).toEqual([`127.0.0.1:${config.server.port}:${config.server.port}`, `127.0.0.1:${config.admin.port}:${config.admin.port}`]);
    // The legacy upstream is the stand-in service, on the port it listens on.
    const legacy = new URL(config.upstreams.legacy.url);
    expect(legacy.hostname).toBe('legacy-standin');
    expect(legacy.port).toBe(envOf('legacy-standin').PORT);
    // What the file used to pass: the schema refuses it, so this check can fail.
    expect(() => loadConfig({ ...env, ADMIN_TOKEN: 'change-me' })).toThrow(/admin\.token \(from ADMIN_TOKEN\)/);
  });

  it('gives the stand-in an environment it accepts, with the gateway as its site_url', () => {
    const env = envOf('legacy-standin');
    expect(standinConfigFromEnv(env).siteUrl).toBe(`http://127.0.0.1:${loadConfig(envOf('gateway')).server.port}`);
    expect(env.HOST).toBe('0.0.0.0');
    expect(services['legacy-standin']?.ports).toEqual([`127.0.0.1:${env.PORT}:${env.PORT}`]);
  });

  it('seeds the database the stand-in uses, before the stand-in starts', () => {
    const standin = envOf('legacy-standin');
    expect(envOf('seed').DATABASE_URL).toBe(standin.DATABASE_URL);
    const db = new URL(standin.DATABASE_URL!);
    expect(db.hostname).toBe('mariadb');
    expect(db.pathname).toBe(`/${envOf('mariadb').MARIADB_DATABASE}`);
    expect(services['legacy-standin']?.depends_on).toEqual({ mailpit: { condition: 'service_healthy' }, seed: { condition: 'service_completed_successfully' } });
    expect(services.seed?.depends_on).toEqual({ mariadb: { condition: 'service_healthy' } });
    expect(services.gateway?.depends_on).toEqual({
      forms: { condition: 'service_healthy' }, 'legacy-standin': { condition: 'service_healthy' }, redis: { condition: 'service_healthy' },
      sending: { condition: 'service_healthy' }, tracking: { condition: 'service_healthy' },
    });
  });

  it('runs the tracking service on the stand-in\'s database and site_url, where the gateway looks for it', () => {
    const env = envOf('tracking');
    const standin = envOf('legacy-standin');
    expect([env.DATABASE_URL, env.MAUTIC_SITE_URL, env.HOST]).toEqual([standin.DATABASE_URL, standin.MAUTIC_SITE_URL, '0.0.0.0']);
    const tracking = new URL(loadConfig(envOf('gateway')).upstreams.tracking.url);
    expect([tracking.hostname, tracking.port]).toEqual(['tracking', env.PORT]);
    expect(services.tracking?.ports).toEqual([`127.0.0.1:${env.PORT}:${env.PORT}`]);
    expect(services.tracking?.depends_on).toEqual({ redis: { condition: 'service_healthy' }, seed: { condition: 'service_completed_successfully' } });
    expect(() => trackingConfigFromEnv(env)).not.toThrow();
    expect(env.REDIS_URL).toBe(redisUrl());
  });

  it('runs the tracking worker on the tracking service\'s queue and database, probed on its PORT', () => {
    const env = envOf('worker');
    const tracking = envOf('tracking');
    expect([env.REDIS_URL, env.DATABASE_URL, env.MAUTIC_SITE_URL]).toEqual([tracking.REDIS_URL, tracking.DATABASE_URL, tracking.MAUTIC_SITE_URL]);
    expect(() => trackingConfigFromEnv(env)).not.toThrow();
    expect(env.TRACKING_WORKER_NAME).toMatch(/\S/);
    // Tracking's queue only: the mail queue is sending-worker's.
    expect(workerQueuesFromEnv(env)).toEqual(['tracking']);
    expect(services.worker?.depends_on).toEqual({ redis: { condition: 'service_healthy' }, seed: { condition: 'service_completed_successfully' } });
    expect(healthcheckUrl('worker')).toBe(`http://127.0.0.1:${probePortFromEnv(env)}/readyz`);
    // Nothing calls a worker: its probe port stays inside the compose network.
    expect(services.worker?.ports).toBeUndefined();
  });

  it('runs the forms service on the stand-in\'s database and site_url, where the gateway looks for it', () => {
    const env = envOf('forms');
    const standin = envOf('legacy-standin');
    expect([env.DATABASE_URL, env.MAUTIC_SITE_URL, env.HOST]).toEqual([standin.DATABASE_URL, standin.MAUTIC_SITE_URL, '0.0.0.0']);
    expect(() => formsConfigFromEnv(env)).not.toThrow();
    const forms = new URL(loadConfig(envOf('gateway')).upstreams.forms.url);
    expect([forms.hostname, forms.port]).toEqual(['forms', env.PORT]);
    expect(services.forms?.ports).toEqual([`127.0.0.1:${env.PORT}:${env.PORT}`]);
    expect(services.forms?.depends_on).toEqual({ seed: { condition: 'service_completed_successfully' } });
    expect(healthcheckUrl('forms')).toBe(`http://127.0.0.1:${env.PORT}/readyz`);
  });

  it('runs the sending service on the stand-in\'s database, queueing on Redis, where the gateway looks for it', () => {
    const env = envOf('sending');
    const standin = envOf('legacy-standin');
    expect([env.DATABASE_URL, env.MAUTIC_SITE_URL, env.HOST, env.REDIS_URL]).toEqual([standin.DATABASE_URL, standin.MAUTIC_SITE_URL, '0.0.0.0', redisUrl()]);
    expect(() => sendingConfigFromEnv(env)).not.toThrow();
    const sending = new URL(loadConfig(envOf('gateway')).upstreams.sending.url);
    expect([sending.hostname, sending.port]).toEqual(['sending', env.PORT]);
    expect(services.sending?.ports).toEqual([`127.0.0.1:${env.PORT}:${env.PORT}`]);
    expect(services.sending?.depends_on).toEqual({ mailpit: { condition: 'service_healthy' }, redis: { condition: 'service_healthy' }, seed: { condition: 'service_completed_successfully' } });
    expect(healthcheckUrl('sending')).toBe(`http://127.0.0.1:${env.PORT}/readyz`);
  });

  it('runs the mail worker on the sending service\'s queue, into Mailpit, probed on its PORT', () => {
    const env = envOf('sending-worker');
    const sending = envOf('sending');
    expect(env.REDIS_URL).toBe(sending.REDIS_URL);
    // Both name the same queue (sending.<tenant>.<transport>), or messages would wait for ever.
    expect(mailQueueName(sendingConfigFromEnv(env).queue)).toBe(mailQueueName(sendingConfigFromEnv(sending).queue));
    expect(env.SMTP_URL).toBe(sending.SMTP_URL);
    expect(services['sending-worker']?.depends_on).toEqual({ mailpit: { condition: 'service_healthy' }, redis: { condition: 'service_healthy' } });
    expect(healthcheckUrl('sending-worker')).toBe(`http://127.0.0.1:${probePortFromEnv(env)}/readyz`);
    expect(services['sending-worker']?.ports).toBeUndefined();
  });

  it('has a healthcheck on every long-running service, and waits on health (or on the one-shot seed finishing)', () => {
    for (const [name, service] of Object.entries(services)) {
      if (name !== 'seed') expect([name, service.healthcheck?.test[0]]).toEqual([name, 'CMD']);
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        expect([name, dependency, condition]).toEqual([name, dependency, dependency === 'seed' ? 'service_completed_successfully' : 'service_healthy']);
      }
    }
  });

  it('sends the gateway\'s traces to Jaeger v2 over OTLP/HTTP, on a receiver open to the network', () => {
    const jaeger = services.jaeger!;
    expect(jaeger.image).toBe('jaegertracing/jaeger:2');
    expect(jaeger.command).toContain('--set=receivers.otlp.protocols.http.endpoint=0.0.0.0:4318');
    expect(loadConfig(envOf('gateway')).services.otelExporterOtlpEndpoint).toBe('http://jaeger:4318');
    for (const part of ['tracking', 'worker', 'forms', 'sending', 'sending-worker']) expect([part, envOf(part).OTEL_EXPORTER_OTLP_ENDPOINT]).toEqual([part, 'http://jaeger:4318']);
    expect(jaeger.ports).toContain('127.0.0.1:16686:16686');
  });

  it('sends the stand-in\'s and the sending service\'s mails to Mailpit, whose web UI shows them', () => {
    const smtp = new URL(envOf('legacy-standin').SMTP_URL!);
    expect([smtp.protocol, smtp.hostname]).toEqual(['smtp:', 'mailpit']);
    for (const part of ['sending', 'sending-worker']) expect([part, envOf(part).SMTP_URL]).toEqual([part, smtp.toString().replace(/\/$/, '')]);
    expect(services.mailpit?.image).toMatch(/^axllent\/mailpit:/);
    expect(services.mailpit?.ports).toEqual([`127.0.0.1:${smtp.port}:${smtp.port}`, '127.0.0.1:8025:8025']);
  });

  it('has Prometheus scrape /metrics on the gateway\'s admin port and on the tracking and sending services\' ports', () => {
    const mount = services.prometheus?.volumes?.find((v) => v.endsWith(':/etc/prometheus/prometheus.yml:ro'));
    const config = parse(readFileSync(join(ROOT, mount!.split(':')[0]!), 'utf8')) as { scrape_configs: { metrics_path: string; static_configs: { targets: string[] }[] }[] };
    const pathOf = (target: string) => config.scrape_configs.find((j) => j.static_configs.some((c) => c.targets.includes(target)))?.metrics_path;
    expect(pathOf(`gateway:${loadConfig(envOf('gateway')).admin.port}`)).toBe('/metrics');
    for (const part of ['tracking', 'sending']) expect([part, pathOf(`${part}:${envOf(part).PORT}`)]).toEqual([part, '/metrics']);
  });

  it('runs the real Mautic 5 on its own database only in the real-mautic profile, and the gateway can front it', () => {
    const profiled = Object.entries(services).filter(([, s]) => s.profiles !== undefined).map(([name]) => name).sort();
    expect(profiled).toEqual(['mautic', 'mautic-db']);
    for (const name of profiled) expect(services[name]?.profiles).toEqual(['real-mautic']);
    expect(services.mautic?.image).toMatch(/^mautic\/mautic:5-/);
    const mautic = envOf('mautic');
    const db = envOf('mautic-db');
    expect([mautic.MAUTIC_DB_HOST, mautic.MAUTIC_DB_DATABASE, mautic.MAUTIC_DB_USER, mautic.MAUTIC_DB_PASSWORD]).toEqual(['mautic-db', db.MARIADB_DATABASE, db.MARIADB_USER, db.MARIADB_PASSWORD]);
    // Services outside the profile never wait on it: `docker compose up` works without it.
    for (const [name, s] of Object.entries(services)) if (!s.profiles) expect([name, Object.keys(s.depends_on ?? {}).filter((d) => profiled.includes(d))]).toEqual([name, []]);
    // LEGACY_URL=http://mautic, as the header comment says to run the profile.
    const { host, port } = new URL(loadConfig({ ...envOf('gateway'), LEGACY_URL: 'http://mautic' }).upstreams.legacy.url);
    expect(host).toBe('mautic');
    expect(services.mautic?.ports).toEqual([`127.0.0.1:8070:${port || 80}`]);
  });
});

describeWithMysql('the compose seed service, run as compose runs it', () => {
  const count = async (url: string, table: string): Promise<number> => {
    const db = await openDb(url);
    try {
      return Number((await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${db.table(table)}`))[0]?.n);
    } finally {
      await db.close();
    }
  };

  it('seeds a fresh database and exits 0, then exits 0 again without writing (every `docker compose up`)', async () => {
    const made = await makeMysql();
    try {
      // The compose URL, pointed at the test server's fresh database instead of the `mariadb` container.
      const composeUrl = new URL(envOf('seed').DATABASE_URL!);
      const url = new URL(made.url);
      expect([composeUrl.protocol, composeUrl.username, composeUrl.password]).toEqual(['mysql:', 'root', '']);
      const env = { ...envOf('seed'), DATABASE_URL: url.toString() };
      const command = services.seed!.command!;

      const first = serve(command, env);
      expect(first.stderr).toBe('');
      expect(first.status).toBe(0);
      expect(first.stdout).toContain('Seeded tenant "default"');
      expect([await count(made.url, 'users'), await count(made.url, 'leads'), await count(made.url, 'forms')]).toEqual([1, 7, 2]);

      const again = serve(command, env);
      expect(again.stderr).toBe('');
      expect(again.status).toBe(0);
      expect(again.stdout).toContain('Tenant "default" was seeded before');
      expect([await count(made.url, 'users'), await count(made.url, 'leads'), await count(made.url, 'forms')]).toEqual([1, 7, 2]);
    } finally {
      await made.remove();
    }
  });
});
