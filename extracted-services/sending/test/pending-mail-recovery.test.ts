/**
 * Stats committed but never queued are recovered (README § Delivery, issue #15): the sending
 * service (a real child process, `npm run serve -- sending`, on MariaDB) is killed with SIGKILL
 * after its batch committed and while its enqueue is on the way to Redis; a restarted service's
 * pending-mail sweeper queues the message, and a worker sends it exactly once to a real SMTP server.
 * A second sweep of the same message (a sweeper that died before deleting its row) sends
 * nothing more; and when Redis does not take the enqueue in time, the message waits as pending mail.
 */
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { resolve } from 'node:path';
import { Queue } from 'bullmq';
import { ensurePendingMailTable, insertPendingMail, listPendingMailBefore } from '../../../legacy-adapter/src/data/pending-mail.ts';
import { createSmtpMailer } from '../../../legacy-adapter/src/mail/smtp-mailer.ts';
import { TEST_NOW } from '../../../legacy-adapter/src/standin/standin-test-kit.ts';
import { ADMIN, SITE_URL, seedSending } from '../../../legacy-adapter/src/standin/sending/sending.fixtures.ts';
import type { SendingSeed } from '../../../legacy-adapter/src/standin/sending/sending.fixtures.ts';
import { createTestDb } from '../../../test-support/databases.ts';
import type { TestDb } from '../../../test-support/databases.ts';
import { describeWithMysql, describeWithRedis, testRedisUrl } from '../../../test-support/services.ts';
import { sendingConfig } from '../src/config.ts';
import { mailQueueName, redisMailQueue } from '../src/delivery/mail-queue.ts';
import type { MailQueue } from '../src/delivery/mail-queue.ts';
import { createSendingMetrics } from '../src/delivery/metrics.ts';
import { redisConnection } from '../src/delivery/redis-connection.ts';
import { startMailWorker } from '../src/delivery/mail-worker.ts';
import type { RunningMailWorker } from '../src/delivery/mail-worker.ts';
import { sweepPendingMail } from '../src/delivery/pending-mail-sweeper.ts';
import type { PendingMailSweeperLog } from '../src/delivery/pending-mail-sweeper.ts';
import { startSending } from '../src/server.ts';
import { startRedisTap, startSilentRedis } from './redis-tap.ts';
import type { RedisTap } from './redis-tap.ts';
import { startSmtpSink } from './smtp-sink.ts';
import type { SmtpSink } from './smtp-sink.ts';
import { killAndWait } from '../../../test-support/kill-and-wait.ts';

const ROOT = resolve(__dirname, '../../..');
const auth = `Basic ${Buffer.from(`${ADMIN.username}:${ADMIN.password}`).toString('base64')}`;
const QUEUE = mailQueueName(sendingConfig().queue);
const QUIET_WORKER = { sent: () => {}, uncertain: () => {}, dead: () => {}, error: () => {} };
const QUIET_SWEEPER: PendingMailSweeperLog = { swept: () => {}, unreadable: () => {}, error: () => {} };

/** A service child and what it printed. */
interface ServiceChild {
  child: ChildProcessWithoutNullStreams;
  url: Promise<string>;
  /** Resolves once a JSON log line with this `msg` was printed. */
  logged(msg: string): Promise<void>;
}

function startService(env: Record<string, string>): ServiceChild {
  const child = spawn(process.execPath, ['scripts/serve.ts', 'sending'], { cwd: ROOT, stdio: 'pipe', env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ...env } });
  const seen = new Set<string>();
  const waiters: { msg: string; done: () => void }[] = [];
  let onUrl!: (url: string) => void;
  const url = new Promise<string>((done) => (onUrl = done));
  let buffer = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop()!;
    for (const line of lines) {
      const listening = /^sending listening on (\S+)/.exec(line);
      if (listening) onUrl(listening[1]!);
      if (line.startsWith('{')) seen.add((JSON.parse(line) as { msg?: string }).msg ?? '');
    }
    for (const w of waiters.splice(0)) {
      if (seen.has(w.msg)) w.done();
      else waiters.push(w);
    }
  });
  child.stderr.resume();
  return { child, url, logged: (msg) => new Promise<void>((done) => (seen.has(msg) ? done() : waiters.push({ msg, done }))) };
}

function stop(service: ServiceChild, signal: NodeJS.Signals): Promise<void> {
  return killAndWait(service.child, signal);
}

describeWithMysql('stats committed but never queued', () => {
  let sink: SmtpSink;
  let testDb: TestDb;
  let seed: SendingSeed;
  let prefix: string;
  let watcher: Queue;
  const closers: (() => Promise<unknown>)[] = [];

  beforeEach(async () => {
    if (!testRedisUrl) throw new Error('these tests need Redis as well as MariaDB');
    sink = await startSmtpSink();
    testDb = await createTestDb('mysql');
    seed = await seedSending(testDb.db, TEST_NOW);
    prefix = `sndbox${Math.random().toString(16).slice(2, 10)}`;
    watcher = new Queue(QUEUE, { connection: redisConnection(testRedisUrl, false), prefix });
  });

  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
    await watcher.obliterate({ force: true }).catch(() => {});
    await watcher.close();
    await testDb.drop();
    await sink.close();
  });

  async function statsOf(contactId: number): Promise<{ id: number; tracking_hash: string }[]> {
    return testDb.db.query('SELECT id, tracking_hash FROM email_stats WHERE email_id = ? AND lead_id = ?', [seed.templateEmail, contactId]);
  }

  async function startWorker(): Promise<{ worker: RunningMailWorker; metrics: ReturnType<typeof createSendingMetrics> }> {
    const mailer = createSmtpMailer(sink.url);
    const metrics = createSendingMetrics();
    const worker = await startMailWorker({ redisUrl: testRedisUrl!, settings: sendingConfig().queue, mailer, metrics, log: QUIET_WORKER, prefix });
    closers.push(() => worker.close().then(() => mailer.close()));
    return { worker, metrics };
  }

  async function drained(): Promise<void> {
    for (;;) {
      const counts = await watcher.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'paused');
      if (Object.values(counts).every((n) => n === 0)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('a service killed between its commit and its enqueue: a restarted one queues the message, a worker sends it once (§5.3)', async () => {
    const tap: RedisTap = await startRedisTap(testRedisUrl!);
    closers.push(() => tap.close());
    const env = { DATABASE_URL: testDb.url, SMTP_URL: sink.url, SENDING_QUEUE_PREFIX: prefix, MAUTIC_SITE_URL: SITE_URL };
    const doomed = startService({ ...env, REDIS_URL: tap.url, SENDING_PENDING_MAIL_AFTER_MS: '3600000' });
    closers.push(() => stop(doomed, 'SIGKILL'));
    const doomedUrl = await doomed.url;
    await tap.ready;

    const answer = fetch(`${doomedUrl}/api/emails/${seed.templateEmail}/contact/${seed.members.ann}/send`, { method: 'POST', headers: { authorization: auth } })
      .then(() => 'answered', () => 'cut off');
    await tap.caught;
    await stop(doomed, 'SIGKILL');
    expect(await answer).toBe('cut off');

    // The crash left a committed stat, its pending-mail row, an empty queue and no mail.
    const [stat, ...others] = await statsOf(seed.members.ann);
    expect(others).toEqual([]);
    expect(stat).toBeDefined();
    expect((await listPendingMailBefore(testDb.db, QUEUE, Number.MAX_SAFE_INTEGER, 10)).map((r) => r.statId)).toEqual([stat!.id]);
    expect(await watcher.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed')).toMatchObject({ waiting: 0, active: 0, delayed: 0, completed: 0, failed: 0 });
    const [email] = await testDb.db.query<{ sent_count: number }>('SELECT sent_count FROM emails WHERE id = ?', [seed.templateEmail]);
    expect(Number(email?.sent_count)).toBe(1);

    const { metrics } = await startWorker();
    const restarted = startService({ ...env, REDIS_URL: testRedisUrl!, SENDING_PENDING_MAIL_AFTER_MS: '200', SENDING_PENDING_MAIL_INTERVAL_MS: '100' });
    closers.push(() => stop(restarted, 'SIGTERM'));
    await restarted.logged('pending mail queued: committed earlier, never queued');
    await sink.waitFor(1);
    await drained();
    expect(await listPendingMailBefore(testDb.db, QUEUE, Number.MAX_SAFE_INTEGER, 10)).toEqual([]);
    const host = new URL(SITE_URL).host;
    expect(sink.received[0]!.headers.get('message-id')).toEqual([`<${stat!.id}.${stat!.tracking_hash}@${host}>`]);
    expect(sink.received[0]!.headers.get('to')![0]).toContain('ann@example.org');
    await stop(restarted, 'SIGTERM');

    // The sweeper died before deleting its row: the row is back, swept again, and not sent again.
    const queue: MailQueue = redisMailQueue(testRedisUrl!, sendingConfig().queue, prefix);
    closers.push(() => queue.close());
    const job = { statId: stat!.id, emailId: seed.templateEmail, contactId: seed.members.ann, message: { from: { address: 'x@example.com' }, to: { address: 'ann@example.org' }, subject: 'again', html: '', text: '', headers: {} } };
    await insertPendingMail(testDb.db, [{ statId: stat!.id, queue: QUEUE, job: JSON.stringify(job), createdAtMs: 0 }]);
    expect(await sweepPendingMail({ db: testDb.db, queue, metrics: createSendingMetrics(), log: QUIET_SWEEPER, afterMs: 0 })).toBe(1);
    await drained();
    expect((await metrics.registry.getSingleMetric('sending_messages_total')!.get()).values.map((v) => [v.labels.outcome, v.value]).sort())
      .toEqual([['already-sent', 1], ['sent', 1]]);
    expect(sink.received).toHaveLength(1);
  });

  it('a batch Redis does not take (it hangs) waits as pending mail, answered as handed over, and the sweeper queues it once Redis takes it (§5.2)', async () => {
    const config = sendingConfig({ mautic: { siteUrl: SITE_URL } });
    const silent = await startSilentRedis();
    closers.push(() => silent.close());
    const refusing = redisMailQueue(silent.url, config.queue, prefix);
    const mailer = createSmtpMailer(sink.url);
    const sending = await startSending({ db: testDb.db, config, mailer, queue: refusing, now: () => TEST_NOW }, { port: 0 });
    closers.push(() => sending.close().then(() => Promise.all([refusing.close(), mailer.close()])));
    const res = await fetch(`${sending.url}/api/emails/${seed.listEmail}/send`, { method: 'POST', headers: { authorization: auth } });
    expect(await res.json()).toEqual({ success: 1, sentCount: 2, failedRecipients: 0 });
    const waiting = await listPendingMailBefore(testDb.db, QUEUE, Number.MAX_SAFE_INTEGER, 10);
    expect(waiting).toHaveLength(2);
    expect(sink.received).toHaveLength(0);

    // Too young to sweep: a request may be between its commit and its enqueue.
    const queue = redisMailQueue(testRedisUrl!, config.queue, prefix);
    closers.push(() => queue.close());
    const sweep = (now: number) => sweepPendingMail({ db: testDb.db, queue, metrics: createSendingMetrics(), log: QUIET_SWEEPER, afterMs: 30_000, pageSize: 1, now: () => now });
    expect(await sweep(waiting[1]!.createdAtMs + 29_000)).toBe(0);
    await startWorker();
    expect(await sweep(waiting[1]!.createdAtMs + 31_000)).toBe(2);
    await sink.waitFor(2);
    await drained();
    expect(sink.received.map((m) => m.headers.get('to')![0]!.replace(/^.*<|>$/g, '')).sort()).toEqual(['ann@example.org', 'bob@example.org']);
    expect(await listPendingMailBefore(testDb.db, QUEUE, Number.MAX_SAFE_INTEGER, 10)).toEqual([]);
  });
});

describeWithRedis('the pending-mail sweeper and a row it cannot read', () => {
  it('queues the readable rows page by page, leaves the unreadable one in place and reports it', async () => {
    const testDb = await createTestDb('sqlite');
    const prefix = `sndpend${Math.random().toString(16).slice(2, 10)}`;
    const queue = redisMailQueue(testRedisUrl!, sendingConfig().queue, prefix);
    const watcher = new Queue(QUEUE, { connection: redisConnection(testRedisUrl!, false), prefix });
    try {
      await ensurePendingMailTable(testDb.db);
      const job = (statId: number) => JSON.stringify({ statId, emailId: 1, contactId: statId, message: { from: { address: 'a@example.com' }, to: { address: `c${statId}@example.org` }, subject: 's', html: '', text: '', headers: {} } });
      await insertPendingMail(testDb.db, [
        { statId: 1, queue: QUEUE, job: job(1), createdAtMs: 0 },
        { statId: 2, queue: QUEUE, job: '{"statId": 2, "message": ', createdAtMs: 0 },
        { statId: 3, queue: QUEUE, job: job(3), createdAtMs: 0 },
        { statId: 4, queue: 'sending.other.smtp', job: job(4), createdAtMs: 0 },
      ]);
      const unreadable: number[] = [];
      const swept: number[][] = [];
      const log: PendingMailSweeperLog = { swept: (_n, ids) => swept.push([...ids]), unreadable: (id) => unreadable.push(id), error: () => {} };
      expect(await sweepPendingMail({ db: testDb.db, queue, metrics: createSendingMetrics(), log, afterMs: 0, pageSize: 1 })).toBe(2);
      expect({ swept, unreadable }).toEqual({ swept: [[1], [3]], unreadable: [2] });
      expect((await listPendingMailBefore(testDb.db, QUEUE, Number.MAX_SAFE_INTEGER, 10)).map((r) => r.statId)).toEqual([2]);
      expect((await listPendingMailBefore(testDb.db, 'sending.other.smtp', Number.MAX_SAFE_INTEGER, 10)).map((r) => r.statId)).toEqual([4]);
      expect((await watcher.getJobs(['waiting'])).map((j) => j.id).sort()).toEqual(['stat-1', 'stat-3']);
    } finally {
      await watcher.obliterate({ force: true }).catch(() => {});
      await Promise.all([watcher.close(), queue.close()]);
      await testDb.drop();
    }
  });
});
