/**
 * Where a persisted hit's time goes (bench/README.md "What is known", tracking rows): runs
 * one part over a fresh MariaDB database under the pixel load of tracking-persisted.ts and
 * reports, per complete `page_hits` row, the statements, transactions and server CPU that
 * MariaDB counted for the part's own user (`information_schema.USER_STATISTICS`, so other
 * clients of a shared server do not count; the part connects as a user made for the run and
 * `userstat` is switched on for the run), the CPU of the part's process and of the load's
 * client (this process), and the client's wall time per answer.
 * `node bench/tracking-profile.ts tracking|legacy-standin [seconds]`; `PROFILE_ENV=K=V,…`
 * adds environment to the part (e.g. `NODE_OPTIONS=--cpu-prof`).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createConnection } from 'mysql2/promise';
import { installCleanup, stopChild } from './processes.ts';
import { freshDatabase } from './bench-database.ts';
import { startPart } from './parts.ts';
import { pixelLoad } from './tracking-persisted.ts';

const CLK_TCK = 100;
const cpuSeconds = (pid: number): number => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
};

const USER = 'strangler_profile';
const COUNTERS = ['SELECT_COMMANDS', 'UPDATE_COMMANDS', 'OTHER_COMMANDS', 'COMMIT_TRANSACTIONS', 'ROWS_INSERTED', 'ROWS_UPDATED', 'CPU_TIME', 'BUSY_TIME'];

async function userStatistics(): Promise<Map<string, number>> {
  const conn = await createConnection({ host: '127.0.0.1', user: 'root' });
  const [rows] = await conn.query(`SELECT ${COUNTERS.join(', ')} FROM information_schema.USER_STATISTICS WHERE USER = ?`, [USER]);
  await conn.end();
  const row = (rows as Record<string, number>[])[0] ?? {};
  return new Map(COUNTERS.map((k) => [k, Number(row[k] ?? 0)]));
}

async function asRoot(sql: string): Promise<void> {
  const conn = await createConnection({ host: '127.0.0.1', user: 'root' });
  await conn.query(sql);
  await conn.end();
}

async function main(): Promise<void> {
  const part = (process.argv[2] ?? 'tracking') as 'tracking' | 'legacy-standin';
  const seconds = Number(process.argv[3] ?? 8);
  const extra = Object.fromEntries((process.env.PROFILE_ENV ?? '').split(',').filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
  const db = await freshDatabase();
  await asRoot(`CREATE USER IF NOT EXISTS '${USER}'@'127.0.0.1'`);
  await asRoot(`GRANT ALL ON *.* TO '${USER}'@'127.0.0.1'`);
  await asRoot('SET GLOBAL userstat = 1');
  const url = new URL(db.url);
  url.username = USER;
  const mariadbPid = Number(execFileSync('pidof', ['mariadbd']).toString().trim().split(' ')[0]);
  let migrator: Awaited<ReturnType<typeof startPart>> | undefined;
  let target: Awaited<ReturnType<typeof startPart>> | undefined;
  try {
    migrator = await startPart('legacy-standin', url.toString());
    target = part === 'tracking' ? await startPart('tracking', url.toString(), extra) : migrator;
    await pixelLoad(target.url, 2);
    const rowsBefore = await db.completeHits();
    const statusBefore = await userStatistics();
    const cpuBefore = [cpuSeconds(target.child.pid!), cpuSeconds(mariadbPid)];
    const started = performance.now();
    const clientBefore = process.cpuUsage();
    const ok = await pixelLoad(target.url, seconds);
    const client = process.cpuUsage(clientBefore);
    const wall = (performance.now() - started) / 1000;
    const cpuAfter = [cpuSeconds(target.child.pid!), cpuSeconds(mariadbPid)];
    const statusAfter = await userStatistics();
    const rows = (await db.completeHits()) - rowsBefore;
    const per = (n: number): string => (n / rows).toFixed(2);
    process.stdout.write(`${part}: ${rows} rows in ${wall.toFixed(1)} s = ${(rows / wall).toFixed(0)} hits/s, ${ok} answers, ${(16 * wall * 1000 / ok).toFixed(1)} ms per answer (16 connections)\n`);
    const delta = (k: string): number => (statusAfter.get(k) ?? 0) - (statusBefore.get(k) ?? 0);
    for (const k of COUNTERS.slice(0, 6)) process.stdout.write(`  ${k.toLowerCase().padEnd(22)} ${per(delta(k))} per hit\n`);
    process.stdout.write(`  CPU of ${part}: ${(1e6 * (cpuAfter[0]! - cpuBefore[0]!) / rows).toFixed(0)} µs per hit; MariaDB for its user: CPU ${(1e6 * delta('CPU_TIME') / rows).toFixed(0)} µs, busy ${(1e6 * delta('BUSY_TIME') / rows).toFixed(0)} µs per hit (all of mariadbd: ${(1e6 * (cpuAfter[1]! - cpuBefore[1]!) / rows).toFixed(0)} µs); the load's client: ${((client.user + client.system) / ok).toFixed(0)} µs per answer\n`);
  } finally {
    if (target && target !== migrator) await stopChild(target.child);
    if (migrator) await stopChild(migrator.child);
    await db.drop();
    await asRoot('SET GLOBAL userstat = 0');
  }
}

installCleanup();
// A reader that stops early (`| head`) must not end the run before its clean-up.
process.stdout.on('error', () => {});
void main().then(() => process.exit(0), (err: unknown) => {
  console.error(err);
  process.exit(1);
});
