/**
 * Sending rows of issue #15 (docs/architecture.md §10), measured in one run into a local SMTP
 * server (`smtp-server` on 127.0.0.1 that counts and accepts, in a child process of its own):
 * - messages/s of a segment send by the stand-in (synchronous, Mautic's `sync://`);
 * - the same send by the sending service with its queue on Redis: the API call's rate
 *   (rendered, stored, queued), then one mail worker's drain into SMTP (pooled connections);
 *   target ≥ 1,000/s; and the worker process's CPU per message, the figure a loaded machine
 *   distorts least;
 * - how many workers a 15-million-a-day customer needs at its peak (assumed below).
 * In-process (it drives the service and the stand-in, with the stand-in's test fixtures, as
 * libraries), so it lives with the service's tests and not in bench/, which runs every part as
 * its container does: `npx node extracted-services/sending/test/bench-sending.ts [messages]`
 * prints the rows.
 */
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { once } from 'node:events';
import { insertLead } from '../../../legacy-adapter/src/data/contacts.ts';
import { addLeadToSegment } from '../../../legacy-adapter/src/data/segments.ts';
import { migrate } from '../../../legacy-adapter/src/db/migrate.ts';
import { openDb } from '../../../legacy-adapter/src/db/open.ts';
import type { Db } from '../../../legacy-adapter/src/db/types.ts';
import { createSmtpMailer } from '../../../legacy-adapter/src/mail/smtp-mailer.ts';
import { standinConfig } from '../../../legacy-adapter/src/standin/deps.ts';
import { startStandin } from '../../../legacy-adapter/src/standin/server.ts';
import { ADMIN, SITE_URL, seedSending } from '../../../legacy-adapter/src/standin/sending/sending.fixtures.ts';
import { sendingConfig } from '../src/config.ts';
import { redisMailQueue } from '../src/delivery/mail-queue.ts';
import { createSendingMetrics } from '../src/delivery/metrics.ts';
import { startMailWorker } from '../src/delivery/mail-worker.ts';
import { startSending } from '../src/server.ts';

const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** 15 million a day is 174/s on average; we assume a peak of 10× the average (a morning broadcast). */
const PEAK_PER_SECOND = Math.ceil((15_000_000 / 86_400) * 10);
const AUTH = `Basic ${Buffer.from(`${ADMIN.username}:${ADMIN.password}`).toString('base64')}`;

/** One measured row. */
export interface SendingRow {
  name: string;
  value: number;
  unit: string;
  detail: string;
}

/** The SMTP server in a child process (smtp-count-child.ts), so the worker's CPU is its own. */
async function sink(): Promise<{ url: string; reached(n: number): Promise<void>; close(): Promise<void> }> {
  const child = fork(fileURLToPath(new URL('./smtp-count-child.ts', import.meta.url)), [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const [ready] = (await once(child, 'message')) as [{ port: number }];
  return {
    url: `smtp://127.0.0.1:${ready.port}`,
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

async function seededDb(dir: string, name: string, contacts: number): Promise<{ db: Db; emailId: number }> {
  const db = await openDb(`sqlite:${join(dir, `${name}.sqlite`)}`);
  await migrate(db);
  const seed = await seedSending(db, new Date());
  await db.transaction(async (tx) => {
    for (let i = 0; i < contacts; i += 1) {
      const id = await insertLead(tx, { email: `c${i}@example.net`, firstname: `C${i}` });
      await addLeadToSegment(tx, seed.segment, id, { date_added: '2024-01-01 00:00:00', manually_added: true });
    }
  });
  return { db, emailId: seed.listEmail };
}

async function timeSend(url: string, emailId: number, until: () => Promise<void>): Promise<number> {
  const started = performance.now();
  const res = await fetch(`${url}/api/emails/${emailId}/send`, { method: 'POST', headers: { authorization: AUTH, 'content-type': 'application/json' }, body: '{"batch":200}' });
  if (res.status !== 200) throw new Error(`send answered ${res.status}: ${await res.text()}`);
  await until();
  return performance.now() - started;
}

/** Measures the rows with `messages` contacts in the segment. */
export async function measureSending(messages = 2_000): Promise<SendingRow[]> {
  const dir = await mkdtemp(join(tmpdir(), 'strangler-bench-sending-'));
  const total = messages + 2; // the seed's ann and bob are in the segment too
  try {
    const standinSink = await sink();
    const a = await seededDb(dir, 'standin', messages);
    const standinMailer = createSmtpMailer(standinSink.url);
    const standin = await startStandin({ db: a.db, mailer: standinMailer, config: standinConfig({ siteUrl: SITE_URL }) }, { port: 0, host: '127.0.0.1' }, { log: { notice: () => {}, error: () => {} } });
    const standinMs = await timeSend(standin.url, a.emailId, () => standinSink.reached(total));
    await standin.close();
    await Promise.all([standinMailer.close(), a.db.close(), standinSink.close()]);

    const serviceSink = await sink();
    const b = await seededDb(dir, 'service', messages);
    const config = sendingConfig({ mautic: { siteUrl: SITE_URL }, queue: { concurrency: 50 } });
    const prefix = `bench${randomBytes(4).toString('hex')}`;
    const queue = redisMailQueue(REDIS_URL, config.queue, prefix);
    const fallback = createSmtpMailer(serviceSink.url);
    const workerMailer = createSmtpMailer(serviceSink.url, { maxConnections: 10 });
    const quiet = { sent: () => {}, uncertain: () => {}, dead: () => {}, error: () => {} };
    const service = await startSending({ db: b.db, config, mailer: fallback, queue }, { port: 0 });
    // The API call renders, stores and queues; the worker then drains the queue into SMTP.
    const queueMs = await timeSend(service.url, b.emailId, () => Promise.resolve());
    const drainStarted = performance.now();
    const cpuStarted = process.cpuUsage();
    const worker = await startMailWorker({ redisUrl: REDIS_URL, settings: config.queue, mailer: workerMailer, metrics: createSendingMetrics(), log: quiet, prefix });
    await serviceSink.reached(total);
    const drainMs = performance.now() - drainStarted;
    const cpu = process.cpuUsage(cpuStarted);
    await service.close();
    await worker.close();
    await Promise.all([queue.close(), fallback.close(), workerMailer.close(), b.db.close(), serviceSink.close()]);

    const serviceRate = Math.round((total / drainMs) * 1000);
    const queueRate = Math.round((total / queueMs) * 1000);
    const cpuPerMessageUs = Math.round((cpu.user + cpu.system) / total);
    const standinRate = Math.round((total / standinMs) * 1000);
    return [
      { name: 'sending service: one mail worker, messages/s from the queue into SMTP', value: serviceRate, unit: 'msg/s', detail: `${total} messages in ${Math.round(drainMs)} ms, concurrency 50, 10 pooled connections, SMTP server in its own process; target ≥ 1,000/s` },
      { name: 'sending service: one mail worker, CPU per message', value: cpuPerMessageUs, unit: 'µs', detail: `user+system of the worker's process over the drain; one core's worth is ${Math.round(1e6 / cpuPerMessageUs)} msg/s` },
      { name: 'sending service: API segment send, messages/s rendered, stored and queued', value: queueRate, unit: 'msg/s', detail: `${total} messages in ${Math.round(queueMs)} ms (SQLite, batches of 200)` },
      { name: 'stand-in: messages/s into SMTP (synchronous)', value: standinRate, unit: 'msg/s', detail: `${total} messages in ${Math.round(standinMs)} ms` },
      // From the CPU a message costs, not the wall rate: on a shared machine the wall rate measures the neighbours.
      { name: 'workers for a 15M/day peak', value: Math.ceil(PEAK_PER_SECOND / (1e6 / cpuPerMessageUs)), unit: 'workers', detail: `peak assumed ${PEAK_PER_SECOND}/s (10× the 174/s average); each worker on a core of its own, ${Math.round(1e6 / cpuPerMessageUs)} msg/s from its CPU per message` },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = await measureSending(Number(process.argv[2] ?? 2_000));
  for (const row of rows) process.stdout.write(`${row.name}: ${row.value} ${row.unit} (${row.detail})\n`);
  process.exit(0);
}
