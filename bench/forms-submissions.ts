/**
 * The forms row of issue #14 (docs/architecture.md §10), measured in one run on MariaDB:
 * stored submissions per second of the forms service against the stand-in, each a new
 * contact's AJAX submission of the seeded "Contact us" form; target: the service not below
 * the stand-in. A stored submission is a `form_submissions` row counted after the run, not a
 * 200. Each part runs as its container does (`node scripts/serve.ts <part>`); the database is
 * seeded by `npm run seed`'s CLI. `npm run bench` runs it as the extra measure `forms`
 * (extra-measures.ts); alone: `npx node bench/forms-submissions.ts`.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import { Pool } from 'undici';
import { freePort, installCleanup, startChild, stopChild, waitForPort } from './processes.ts';
import type { ResultRow } from './report.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const DB_SERVER = process.env.BENCH_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/';
const BROWSER = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';

/** One measured row. */
export interface FormsRow {
  name: string;
  value: number;
  unit: string;
  detail: string;
}

/** A fresh database seeded by the seed CLI; the id of its "Contact us" form. */
async function seededDatabase(): Promise<{ url: string; formId: number; submissions(): Promise<number>; drop(): Promise<void> }> {
  const name = `strangler_bench_${randomBytes(4).toString('hex')}`;
  const server = new URL(DB_SERVER);
  const conn = await createConnection({ host: server.hostname, port: Number(server.port || 3306), user: server.username || 'root', password: server.password });
  await conn.query(`CREATE DATABASE \`${name}\` DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  server.pathname = `/${name}`;
  const url = server.toString();
  const seed = spawnSync(process.execPath, ['legacy-adapter/src/seed/seed-cli.ts'], { cwd: ROOT, env: { ...process.env, DATABASE_URL: url }, encoding: 'utf8' });
  const formId = Number(/contact us (\d+)/.exec(seed.stdout)?.[1]);
  if (seed.status !== 0 || !formId) throw new Error(`seed failed: ${seed.stderr || seed.stdout}`);
  return {
    url, formId,
    async submissions() {
      const [rows] = await conn.query(`SELECT COUNT(*) AS n FROM \`${name}\`.form_submissions`);
      return Number((rows as { n: number }[])[0]?.n ?? 0);
    },
    async drop() {
      await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await conn.end();
    },
  };
}

async function startPart(part: string, databaseUrl: string) {
  const port = await freePort();
  const child = startChild(process.execPath, ['scripts/serve.ts', part], {
    cwd: ROOT, env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' },
  });
  await waitForPort(port);
  return { url: `http://127.0.0.1:${port}`, child };
}

/** Closed-loop load of new contacts' submissions for `seconds`; returns the successes. */
async function submitLoad(url: string, formId: number, seconds: number, connections = 16): Promise<number> {
  const pool = new Pool(url, { connections, pipelining: 1 });
  const until = Date.now() + seconds * 1000;
  let ok = 0;
  let n = 0;
  await Promise.all(Array.from({ length: connections }, async () => {
    while (Date.now() < until) {
      n += 1;
      const body = new URLSearchParams({ 'mauticform[formId]': String(formId), 'mauticform[email]': `bench${n}-${randomBytes(3).toString('hex')}@example.com` }).toString();
      const res = await pool.request({ method: 'POST', path: '/form/submit?ajax=1', body, headers: { 'user-agent': BROWSER, 'content-type': 'application/x-www-form-urlencoded' } });
      const json = (await res.body.json()) as { success?: number };
      if (res.statusCode === 200 && json.success === 1) ok += 1;
    }
  }));
  await pool.close();
  return ok;
}

async function storedRate(part: 'legacy-standin' | 'forms', seconds: number): Promise<{ rate: number; ok: number; rows: number }> {
  const db = await seededDatabase();
  const target = await startPart(part, db.url);
  try {
    await submitLoad(target.url, db.formId, 2);
    const before = await db.submissions();
    const ok = await submitLoad(target.url, db.formId, seconds);
    const rows = (await db.submissions()) - before;
    return { rate: rows / seconds, ok, rows };
  } finally {
    await stopChild(target.child);
    await db.drop();
  }
}

/** Measures the rows. */
export async function measureFormsRows(seconds = 8): Promise<FormsRow[]> {
  const standin = await storedRate('legacy-standin', seconds);
  const service = await storedRate('forms', seconds);
  return [
    { name: 'stand-in stored submissions/s (MariaDB)', value: standin.rate, unit: 'sub/s', detail: `${standin.rows} rows, ${standin.ok} answers` },
    { name: 'forms service stored submissions/s (MariaDB)', value: service.rate, unit: 'sub/s', detail: `${service.rows} rows, ${service.ok} answers` },
    { name: 'forms ÷ stand-in (target ≥ 1×)', value: service.rate / standin.rate, unit: '×', detail: '' },
  ];
}

/**
 * The results-table row: the service's stored submissions/s against the stand-in's, target ≥ 1×
 * (docs/architecture.md §10). `rows` null: not measured, with `reason`.
 */
export function formsResultRows(rows: readonly FormsRow[] | null, reason = ''): ResultRow[] {
  const standin = rows?.[0]?.value ?? Number.NaN;
  const service = rows?.[1]?.value ?? Number.NaN;
  const ratio = rows?.[2]?.value ?? Number.NaN;
  const measured = rows !== null;
  return [{
    measure: 'forms service stored submissions/s (MariaDB)', value: measured ? service.toFixed(0) : 'not measured',
    anchor: `stand-in: ${measured ? standin.toFixed(0) : '—'}`,
    result: measured ? `${ratio.toFixed(2)}× the stand-in` : `not measured${reason ? `: ${reason}` : ''}`,
    target: '≥ 1×', kind: 'target', pass: measured ? ratio >= 1 : null,
  }];
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  installCleanup();
  void measureFormsRows(Number(process.env.BENCH_SECONDS ?? 8)).then((rows) => {
    for (const r of rows) process.stdout.write(`${r.name.padEnd(52)} ${r.value.toFixed(2).padStart(10)} ${r.unit} ${r.detail}\n`);
    process.exit(0);
  }, (err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
