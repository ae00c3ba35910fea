/**
 * docker-compose.yml, checked without Docker (no daemon runs here): what it passes to each part
 * must be what that part accepts, so `docker compose up` gives the README's "Try it" results as
 * `npm start` does. `npm run lint:compose` (dclint) checks the file against the compose
 * specification; this checks the commands, the environment, the ports, the start order, and
 * runs the seed service's command with its environment on a fresh MariaDB database, twice.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '../gateway/src/config/load.ts';
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
  depends_on?: Record<string, { condition: string }>;
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
    expect(built.map(([name]) => name).sort()).toEqual(['gateway', 'legacy-standin', 'seed']);
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
    expect(services['legacy-standin']?.depends_on).toEqual({ seed: { condition: 'service_completed_successfully' } });
    expect(services.seed?.depends_on).toEqual({ mariadb: { condition: 'service_healthy' } });
    expect(services.gateway?.depends_on).toEqual({ 'legacy-standin': { condition: 'service_started' } });
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
