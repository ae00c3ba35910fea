/**
 * `npm run seed` as a user runs it: a child process on a real database, twice. The second run
 * finds the first run's rows and prints the same ids (exit 0): the local stack and the compose
 * seed service run it on every start.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { makeMysql } from '../../../test-support/databases.ts';
import { describeWithMysql } from '../../../test-support/services.ts';
import { parseSeedArgs } from './seed-cli.ts';

const cli = resolve(__dirname, 'seed-cli.ts');
const runCli = (args: string[], databaseUrl: string) =>
  spawnSync(process.execPath, [cli, ...args], { env: { ...process.env, DATABASE_URL: databaseUrl }, encoding: 'utf8', timeout: 60_000 });

/** The printed lines that carry ids (everything after the first line, which says whether it wrote). */
const idLines = (stdout: string): string[] => stdout.split('\n').filter((l) => /^ {2}(API user|OAuth2|contacts|segments|emails|tracked links|sent email|forms)/.test(l));

function seedsTwice(url: string): void {
  const first = runCli([], url);
  expect(first.stderr).toBe('');
  expect(first.status).toBe(0);
  expect(first.stdout).toContain('Seeded tenant "default"');
  expect(first.stdout).toContain('API user (HTTP Basic):  api / strangler-api-password');
  const again = runCli([], url);
  expect(again.stderr).toBe('');
  expect(again.status).toBe(0);
  expect(again.stdout).toContain('Tenant "default" was seeded before');
  expect(idLines(again.stdout)).toEqual(idLines(first.stdout));
  expect(idLines(again.stdout)).toHaveLength(9);
  expect(runCli(['--if-empty'], url).status).toBe(0);
}

describe('npm run seed (seed-cli.ts)', () => {
  it('reads its arguments and refuses unknown ones', () => {
    expect(parseSeedArgs(['--tenant', 'acme', '--if-empty'])).toEqual({ tenant: 'acme', ifEmpty: true });
    expect(parseSeedArgs(['--tenant'])).toBe('--tenant needs a value');
    expect(parseSeedArgs(['--what'])).toBe('unknown argument --what');
  });

  it('seeds a fresh SQLite file, then prints the same ids again with exit 0', () => {
    const dir = mkdtempSync(join(tmpdir(), 'strangler-seed-'));
    try {
      seedsTwice(`sqlite:${join(dir, 'm.sqlite')}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits non-zero with a clear message for a bad DATABASE_URL or bad arguments', () => {
    const bad = runCli([], 'postgres://nope');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('DB_URL_INVALID');
    const usage = runCli(['--nope'], 'sqlite::memory:');
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('usage: npm run seed');
  });
});

describeWithMysql('npm run seed on MariaDB', () => {
  it('seeds a fresh database, then prints the same ids again with exit 0', async () => {
    const made = await makeMysql();
    try {
      seedsTwice(made.url);
    } finally {
      await made.remove();
    }
  });
});
