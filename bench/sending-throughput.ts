/**
 * The sending rows of issue #15 (docs/architecture.md §10), measured in one run on MariaDB
 * into a local SMTP server (`smtp-count-child.ts`, a process of its own that accepts and counts):
 * - the mail worker's rate from the queue into SMTP with pooled connections, target ≥ 1,000
 *   msg/s, with its process's CPU per message (the figure a loaded machine distorts least);
 * - the stand-in's rate into SMTP for the same segment send (synchronous, Mautic's `sync://`);
 * - the sending service's API call (rendered, stored and queued) as context;
 * - how many workers hold a 15-million-a-day customer's peak (`PEAK_PER_SECOND`, assumed).
 * Every part runs as its container does (`node scripts/serve.ts <part>`), each on its own
 * database seeded by the seed CLI plus `messages` contacts in the newsletter segment. `npm run
 * bench` runs it as the extra measure `sending`; alone: `npx node bench/sending-throughput.ts
 * [contacts] [worker]` (`worker`: the service and its worker only; `SENDING_CONCURRENCY`,
 * `SENDING_SMTP_*` and `LOG_LEVEL` of the environment reach the worker).
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { Redis } from 'ioredis';
import { fetch } from 'undici';
import { freshDatabase, seed } from './bench-database.ts';
import { ROOT, startPart } from './parts.ts';
import { installCleanup, startChild, stopChild } from './processes.ts';
import type { ResultRow } from './report.ts';

const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** 15 million a day is 174/s on average; the peak assumed is ten times that (a morning broadcast). */
export const PEAK_PER_SECOND = Math.ceil((15_000_000 / 86_400) * 10);
/** The worker's settings for the run unless the environment says otherwise; `info` logs a line a message, as deployed. */
export const WORKER_DEFAULTS = { SENDING_CONCURRENCY: '50', SENDING_SMTP_MAX_CONNECTIONS: '50', SENDING_SMTP_MAX_MESSAGES: '100', LOG_LEVEL: 'info' } as const;

/** What one run measured. */
export interface SendingMeasure {
  messages: number;
  standin: { ms: number };
  api: { ms: number };
  /** The drain: wall time, the worker's CPU and the SMTP server's over it, the worker's start-up. */
  worker: { ms: number; cpuMs: number; sinkCpuMs: number; startupMs: number; settings: Record<string, string> };
}

/** The workers that hold `peak` messages/s when one holds `perWorker`. */
export function workersForPeak(peak: number, perWorker: number): number {
  return perWorker > 0 && Number.isFinite(perWorker) ? Math.ceil(peak / perWorker) : Number.NaN;
}

function rate(messages: number, ms: number): number {
  return (messages * 1000) / ms;
}

/** The RESULTS.md rows; `null` with the reason when not measured. */
export function sendingResultRows(m: SendingMeasure | null, reason = ''): ResultRow[] {
  const missing = `not measured${reason ? `: ${reason}` : ''}`;
  if (m === null) {
    return [
      { measure: 'sending worker into SMTP (msg/s)', value: 'not measured', anchor: 'stand-in: —', result: missing, target: '≥ 1000 msg/s', kind: 'target', pass: null },
      { measure: 'info: sending API segment send (msg/s rendered, stored, queued)', value: 'not measured', anchor: '—', result: missing, target: '—', kind: 'info', pass: null },
      { measure: `info: mail workers for a 15M/day peak (${PEAK_PER_SECOND}/s assumed)`, value: 'not measured', anchor: '—', result: missing, target: '—', kind: 'info', pass: null },
    ];
  }
  const workerRate = rate(m.messages, m.worker.ms);
  const standinRate = rate(m.messages, m.standin.ms);
  const cpuPerMessageUs = (m.worker.cpuMs * 1000) / m.messages;
  const perCore = 1e6 / cpuPerMessageUs;
  const settings = Object.entries(m.worker.settings).map(([k, v]) => `${k}=${v}`).join(', ');
  return [
    {
      measure: 'sending worker into SMTP (msg/s)', value: workerRate.toFixed(0), anchor: `stand-in: ${standinRate.toFixed(0)}`,
      result: `${(workerRate / standinRate).toFixed(1)}× the stand-in; ${m.messages} messages in ${(m.worker.ms / 1000).toFixed(2)} s (after a start-up of ${(m.worker.startupMs / 1000).toFixed(2)} s), ${cpuPerMessageUs.toFixed(0)} µs CPU a message: ${perCore.toFixed(0)} msg/s on a core of its own (${settings}); the SMTP server's CPU a message: ${((m.worker.sinkCpuMs * 1000) / m.messages).toFixed(0)} µs`,
      target: '≥ 1000 msg/s', kind: 'target', pass: workerRate >= 1000,
    },
    {
      measure: 'info: sending API segment send (msg/s rendered, stored, queued)', value: rate(m.messages, m.api.ms).toFixed(0), anchor: '—',
      result: `${m.messages} messages in ${(m.api.ms / 1000).toFixed(2)} s, batches of 200, MariaDB`, target: '—', kind: 'info', pass: null,
    },
    {
      measure: `info: mail workers for a 15M/day peak (${PEAK_PER_SECOND}/s assumed)`, value: String(workersForPeak(PEAK_PER_SECOND, perCore)), anchor: '—',
      result: `each on a core of its own at ${perCore.toFixed(0)} msg/s (its CPU a message); ${workersForPeak(PEAK_PER_SECOND, workerRate)} at this run's wall rate. Peak assumed: 10× the 174/s average of 15 million a day`,
      target: '—', kind: 'info', pass: null,
    },
  ];
}

/** CPU time (user + system) a process has used, in ms, from /proc. */
function cpuMsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  // utime and stime are fields 14 and 15 of stat, 12 and 13 after the command; in clock ticks (100/s).
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** The SMTP server in its own process. */
async function smtpSink(): Promise<{ url: string; pid: number; reached(n: number): Promise<void>; close(): Promise<void> }> {
  const child = fork(new URL('./smtp-count-child.ts', import.meta.url).pathname, [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const [ready] = (await once(child, 'message')) as [{ port: number }];
  return {
    url: `smtp://127.0.0.1:${ready.port}`,
    pid: child.pid!,
    async reached(n) {
      const answer = once(child, 'message');
      child.send({ waitFor: n });
      await answer;
    },
    async close() {
      const exited = once(child, 'exit');
      child.disconnect();
      await exited;
    },
  };
}

/** The seed's API user and newsletter email, as the seed CLI prints them. */
interface Seeded {
  url: string;
  auth: string;
  emailId: number;
  drop(): Promise<void>;
}

/** `n` copies of `row`, each changed by `vary` (ids and generated columns left to the database). */
async function copyRows(conn: Connection, table: string, row: Record<string, unknown>, n: number, vary: (i: number) => Record<string, unknown>): Promise<void> {
  const [generated] = await conn.query<RowDataPacket[]>("SELECT COLUMN_NAME AS name FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND EXTRA LIKE '%GENERATED%'", [table]);
  const skip = new Set(['id', ...generated.map((g) => String(g.name))]);
  const columns = Object.keys(row).filter((c) => !skip.has(c));
  for (let start = 0; start < n; start += 500) {
    const values: unknown[][] = [];
    for (let i = start; i < Math.min(n, start + 500); i += 1) {
      const changed = { ...row, ...vary(i) };
      values.push(columns.map((c) => changed[c]));
    }
    await conn.query(`INSERT INTO \`${table}\` (${columns.map((c) => `\`${c}\``).join(', ')}) VALUES ?`, [values]);
  }
}

/** A fresh database seeded by the seed CLI, its newsletter segment grown by `contacts` contacts. */
async function seededDatabase(contacts: number): Promise<Seeded> {
  const db = await freshDatabase();
  try {
    const printed = seed(db);
    const user = /API user \(HTTP Basic\):\s+(\S+) \/ (\S+)/.exec(printed);
    const emailId = Number(/newsletter (\d+) \(segment\)/.exec(printed)?.[1]);
    const segmentId = Number(/segments:\s+newsletter (\d+)/.exec(printed)?.[1]);
    if (!user || !emailId || !segmentId) throw new Error(`seed failed: no API user, newsletter or segment in ${printed}`);
    const { conn } = db;
    const [members] = await conn.query<RowDataPacket[]>('SELECT * FROM lead_lists_leads WHERE leadlist_id = ? LIMIT 1', [segmentId]);
    const [leads] = await conn.query<RowDataPacket[]>('SELECT * FROM leads WHERE id = ?', [members[0]!.lead_id]);
    const tag = randomBytes(3).toString('hex');
    await copyRows(conn, 'leads', leads[0]!, contacts, (i) => ({ email: `bench-${tag}-${i}@example.net`, firstname: `B${i}` }));
    const [made] = await conn.query<RowDataPacket[]>('SELECT id FROM leads WHERE email LIKE ? ORDER BY id', [`bench-${tag}-%`]);
    await copyRows(conn, 'lead_lists_leads', members[0]!, made.length, (i) => ({ lead_id: made[i]!.id }));
    return { url: db.url, auth: `Basic ${Buffer.from(`${user[1]}:${user[2]}`).toString('base64')}`, emailId, drop: () => db.drop() };
  } catch (err) {
    await db.drop();
    throw err;
  }
}

/** A segment send of the whole segment; resolves with its answer's `sentCount`. */
async function segmentSend(url: string, seeded: Seeded): Promise<number> {
  const res = await fetch(`${url}/api/emails/${seeded.emailId}/send`, { method: 'POST', headers: { authorization: seeded.auth, 'content-type': 'application/json' }, body: '{"batch":200}' });
  const body = await res.text();
  if (res.status !== 200) throw new Error(`the segment send answered ${res.status}: ${body}`);
  return (JSON.parse(body) as { sentCount: number }).sentCount;
}

/** The stand-in's segment send into SMTP: the time from the request until the server has every message. */
async function measureStandin(contacts: number): Promise<{ ms: number; messages: number }> {
  const seeded = await seededDatabase(contacts);
  const sink = await smtpSink();
  const standin = await startPart('legacy-standin', seeded.url, { SMTP_URL: sink.url });
  try {
    const started = performance.now();
    const messages = await segmentSend(standin.url, seeded);
    await sink.reached(messages);
    return { ms: performance.now() - started, messages };
  } finally {
    await stopChild(standin.child);
    await sink.close();
    await seeded.drop();
  }
}

/**
 * The sending service's segment send (rendered, stored, queued), then one mail worker's drain
 * of the queue into SMTP: timed from the worker's "reading" line until the server has every
 * message, with the worker process's CPU over the same span.
 */
async function measureService(contacts: number): Promise<{ api: { ms: number }; worker: SendingMeasure['worker']; messages: number }> {
  const seeded = await seededDatabase(contacts);
  const sink = await smtpSink();
  const prefix = `benchsnd${randomBytes(4).toString('hex')}`;
  const queueEnv = { REDIS_URL, SENDING_QUEUE_PREFIX: prefix, SMTP_URL: sink.url };
  const service = await startPart('sending', seeded.url, queueEnv);
  const settings: Record<string, string> = {};
  for (const [key, fallback] of Object.entries(WORKER_DEFAULTS)) settings[key] = process.env[key] ?? fallback;
  let worker: ChildProcess | undefined;
  try {
    const apiStarted = performance.now();
    const messages = await segmentSend(service.url, seeded);
    const api = { ms: performance.now() - apiStarted };
    const spawned = performance.now();
    worker = startChild(process.execPath, ['scripts/serve.ts', 'sending-worker'], { cwd: ROOT, env: { ...process.env, ...queueEnv, ...settings }, stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      let seen = '';
      worker!.stdout!.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
        if (seen.includes('sending worker reading')) resolve();
      });
      worker!.once('exit', (code) => reject(new Error(`the mail worker exited (${code}) before reading the queue`)));
    });
    worker.stdout!.resume();
    const cpuBefore = cpuMsOf(worker.pid!);
    const sinkCpuBefore = cpuMsOf(sink.pid);
    const started = performance.now();
    await sink.reached(messages);
    const ms = performance.now() - started;
    const cpuMs = cpuMsOf(worker.pid!) - cpuBefore;
    const sinkCpuMs = cpuMsOf(sink.pid) - sinkCpuBefore;
    return { api, worker: { ms, cpuMs, sinkCpuMs, startupMs: started - spawned, settings }, messages };
  } finally {
    if (worker) await stopChild(worker);
    await stopChild(service.child);
    await sink.close();
    await seeded.drop();
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  }
}

/**
 * Measures the rows with `contacts` more contacts in the seeded newsletter segment (plus the
 * seed's own members). The stand-in and the service each get a database of their own.
 */
export async function measureSendingRows(contacts = 2_000): Promise<SendingMeasure> {
  const standin = await measureStandin(contacts);
  const service = await measureService(contacts);
  if (standin.messages !== service.messages) throw new Error(`the stand-in sent ${standin.messages} messages, the service ${service.messages}`);
  return { messages: service.messages, standin: { ms: standin.ms }, api: service.api, worker: service.worker };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  installCleanup();
  // `node bench/sending-throughput.ts 2000 worker` measures the service and its worker alone (no stand-in).
  const contacts = Number(process.argv[2] ?? 2_000);
  const measured = process.argv[3] === 'worker'
    ? measureService(contacts).then((s): SendingMeasure => ({ messages: s.messages, standin: { ms: Number.NaN }, api: s.api, worker: s.worker }))
    : measureSendingRows(contacts);
  void measured.then((m) => {
    for (const row of sendingResultRows(m)) process.stdout.write(`${row.measure}: ${row.value} (${row.anchor}) ${row.result}${row.kind === 'target' ? ` [${row.pass ? 'pass' : 'FAIL'} ${row.target}]` : ''}\n`);
    process.exit(0);
  }, (err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
