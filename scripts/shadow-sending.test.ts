/**
 * The sending API in shadow (docs/architecture.md §5, §6; issue #15): the stand-in monolith
 * answers and sends into a real SMTP server, the real sending service (with its mail queue on
 * Redis) runs every copy dry, both over one database, and the gateway compares the two answers
 * with the rules in routes/. Every sending contract case goes through the gateway; every
 * shadowed answer must match, and the dry runs must leave no mail, no job, no pending-mail row and no
 * row of their own: the SMTP server holds exactly the stand-in's messages, the tables exactly
 * the stand-in's rows. Runs here because it is the one place allowed to hold the gateway, the
 * stand-in and a service together.
 */
import { once, EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { sendRaw } from '../extracted-services/contract/send-raw.ts';
import type { ContractRequest, Fixture } from '../extracted-services/contract/contract-case.ts';
import { API_CASES } from '../extracted-services/contract/sending/api.cases.ts';
import { ATTACHMENT_CASES } from '../extracted-services/contract/sending/attachment.cases.ts';
import { ADMIN, basic, clearSendingContract, post, seeded } from '../extracted-services/contract/sending/fixtures.ts';
import { REPLY_CASES } from '../extracted-services/contract/sending/reply.cases.ts';
import { SEND_CASES } from '../extracted-services/contract/sending/send.cases.ts';
import type { SendingCase, SendingSettings } from '../extracted-services/contract/sending/sending-contract.ts';
import { sendingConfig } from '../extracted-services/sending/src/config.ts';
import { mailQueueName, redisMailQueue } from '../extracted-services/sending/src/delivery/mail-queue.ts';
import { redisConnection } from '../extracted-services/sending/src/delivery/redis-connection.ts';
import { startSending } from '../extracted-services/sending/src/server.ts';
import { startSmtpSink, type SmtpSink } from '../extracted-services/sending/test/smtp-sink.ts';
import { loadConfig } from '../gateway/src/config/load.ts';
import { createMemoryFlagStore } from '../gateway/src/flags/memory-store.ts';
import { startGateway, type RunningGateway } from '../gateway/src/main.ts';
import { createLogger } from '../gateway/src/observability/logger.ts';
import { loadCatalogue } from '../gateway/src/routing/compile.ts';
import { PENDING_MAIL_TABLE, ensurePendingMailTable } from '../legacy-adapter/src/data/pending-mail.ts';
import { createSmtpMailer } from '../legacy-adapter/src/mail/smtp-mailer.ts';
import { TEST_NOW, count, startTestStandin } from '../legacy-adapter/src/standin/standin-test-kit.ts';
import { createTestDb, type TestDb } from '../test-support/databases.ts';
import { describeWithRedis, testRedisUrl } from '../test-support/services.ts';

type Line = Record<string, unknown>;

const catalogue = loadCatalogue();
const SENDING_API_ROUTES = ['sending.segment', 'sending.contact', 'sending.reply'];
/** Tables a send or a reply writes: after each exchange they hold the stand-in's rows only. */
const WRITTEN = ['email_stats', 'email_copies', 'email_stat_replies', 'page_redirects', 'channel_url_trackables', 'lead_donotcontact'];

interface Stack {
  gateway: RunningGateway;
  line(id: string): Promise<Line>;
  close(): Promise<void>;
}

describeWithRedis('the sending API in shadow: the stand-in answers and sends, the sending service runs dry, every answer matches', () => {
  let testDb: TestDb;
  let sink: SmtpSink;
  let prefix: string;
  let watcher: Queue;
  const stacks = new Map<string, Promise<Stack>>();
  let shadowedCount = 0;

  /** A stand-in, a queued sending service and a gateway in front of both, per case settings. */
  function stackFor(settings: SendingSettings): Promise<Stack> {
    const key = JSON.stringify(settings);
    let started = stacks.get(key);
    if (started === undefined) {
      started = (async () => {
        const standinMailer = createSmtpMailer(sink.url);
        const serviceMailer = createSmtpMailer(sink.url);
        const config = sendingConfig({ mautic: settings, dryRunLockTimeoutMs: 10_000 });
        const queue = redisMailQueue(testRedisUrl!, config.queue, prefix);
        const standin = await startTestStandin(testDb.db, settings, standinMailer);
        const sending = await startSending({ db: testDb.db, config, mailer: serviceMailer, queue, now: () => TEST_NOW }, { port: 0, drainTimeoutMs: 1_000 });
        const lines: Line[] = [];
        const seen = new EventEmitter();
        const logger = createLogger('debug', { write: (chunk: string) => void (lines.push(...chunk.split('\n').filter(Boolean).map((t) => JSON.parse(t) as Line)), seen.emit('line')) });
        const file = JSON.stringify({ server: { host: '127.0.0.1' }, admin: { host: '127.0.0.1' }, shadow: { deadlineMs: 15_000 } });
        const gatewayConfig = loadConfig({ STRANGLER_CONFIG: 'shadow.json', PORT: '0', ADMIN_PORT: '0', LEGACY_URL: standin.url, SENDING_URL: sending.url }, () => file);
        const flagStore = createMemoryFlagStore();
        for (const routeId of SENDING_API_ROUTES) await flagStore.set({ routeId, tenant: null, mode: 'shadow' }, { who: 'test', why: 'shadow proof' });
        const gateway = await startGateway(gatewayConfig, { flagStore, logger, catalogue });
        return {
          gateway,
          async line(id) {
            for (;;) {
              const found = lines.find((l) => l.msg === 'request' && l.requestId === id);
              if (found) return found;
              await once(seen, 'line');
            }
          },
          async close() {
            await gateway.close();
            await Promise.all([standin.close(), sending.close()]);
            await Promise.all([queue.close(), standinMailer.close(), serviceMailer.close()]);
          },
        };
      })();
      stacks.set(key, started);
    }
    return started;
  }

  /** The case's requests through the gateway; each waited for until its comparison is on its log line. */
  async function through(settings: SendingSettings, requests: readonly ContractRequest[]): Promise<Line[]> {
    const { gateway, line } = await stackFor(settings);
    const out: Line[] = [];
    for (const request of requests) {
      const res = await sendRaw(gateway.publicUrl, request);
      out.push(await line(res.headers['x-request-id']!));
    }
    return out;
  }

  /** Row counts of the written tables, the pending mail's, the queue's jobs and the mail received. */
  async function footprint(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const table of [...WRITTEN, PENDING_MAIL_TABLE]) out[table] = await count(testDb.db, table);
    const jobs = await watcher.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized');
    out.jobs = Object.values(jobs).reduce((a, b) => a + b, 0);
    out.mail = sink.received.length;
    return out;
  }

  beforeAll(async () => {
    testDb = await createTestDb('sqlite');
    await ensurePendingMailTable(testDb.db);
    sink = await startSmtpSink();
    prefix = `sndshadow${randomBytes(4).toString('hex')}`;
    watcher = new Queue(mailQueueName(sendingConfig().queue), { connection: redisConnection(testRedisUrl!, false), prefix });
  });
  afterAll(async () => {
    for (const s of stacks.values()) await (await s).close();
    await watcher?.obliterate({ force: true }).catch(() => {});
    await watcher?.close();
    await sink?.close();
    await testDb?.drop();
  });
  beforeEach(async () => {
    await clearSendingContract(testDb.db);
    sink.received.length = 0;
  });

  it('a contact send: one message at the SMTP server (the stand-in\'s), one stat, nothing queued; then a reply to it (§5.3, §5.4)', async () => {
    const settings = { siteUrl: 'https://m.example.com' };
    const fx: Fixture = await seeded(testDb.db);
    const [send] = await through(settings, [post(`/api/emails/${fx.templateEmail}/contact/${fx.ann}/send`, { tokens: { coupon: 'SPRING' } })]);
    expect(send).toMatchObject({ route: 'sending.contact', mode: 'shadow', upstream: 'legacy', status: 200, diff: 'match' });
    expect(await footprint()).toMatchObject({ email_stats: 1, email_stat_replies: 0, [PENDING_MAIL_TABLE]: 0, jobs: 0, mail: 1 });
    expect(sink.received[0]!.headers.get('to')![0]).toContain('ann@example.org');

    const [stat] = await testDb.db.query<{ tracking_hash: string }>('SELECT tracking_hash FROM email_stats');
    const hash = stat!.tracking_hash;
    const answers = await through(settings, [
      post(`/api/emails/reply/${hash}`), post('/api/emails/reply/nohash123'), post(`/api/emails/reply/${hash}`, undefined, basic({ ...ADMIN, password: 'wrong' })),
    ]);
    expect(answers.map((l) => [l.route, l.status, l.diff])).toEqual([['sending.reply', 201, 'match'], ['sending.reply', 404, 'match'], ['sending.reply', 401, 'match']]);
    expect(await footprint()).toMatchObject({ email_stats: 1, email_stat_replies: 1, [PENDING_MAIL_TABLE]: 0, jobs: 0, mail: 1 });
    shadowedCount += 4;
  });

  const cases: readonly SendingCase[] = [...API_CASES, ...SEND_CASES, ...REPLY_CASES, ...ATTACHMENT_CASES];
  it.each(cases.map((c) => [`${c.name} (${c.cite})`, c] as const))('%s', async (_name, kase) => {
    const fx = kase.given ? await kase.given(testDb.db) : {};
    const before = await footprint();
    const { gateway } = await stackFor(kase.settings);
    const stored = (await gateway.comparisons.store.list({ limit: 1_000 })).length;
    const results = await through(kase.settings, [...(kase.before?.(fx) ?? []), kase.request(fx)]);
    const shadowed = results.filter((r) => SENDING_API_ROUTES.includes(String(r.route)));
    shadowedCount += shadowed.length;
    const all = await gateway.comparisons.store.list({ limit: 1_000 });
    const mismatches = all.slice(0, all.length - stored).map((d) => ({ route: d.routeId, differences: d.differences }));
    expect({ results: shadowed.map((r) => ({ route: r.route, diff: r.diff, skipped: r.diffSkipReason })), mismatches })
      .toEqual({ results: shadowed.map((r) => ({ route: r.route, diff: 'match', skipped: undefined })), mismatches: [] });
    // What the stand-in alone would have left: the case's own rows and mail, nothing queued.
    const want = kase.expect(fx);
    const after = await footprint();
    for (const table of WRITTEN) {
      if (want.rows?.[table]) expect([table, after[table]]).toEqual([table, (want.rows[table] as unknown[]).length]);
    }
    expect({ pendingMail: after[PENDING_MAIL_TABLE], jobs: after.jobs }).toEqual({ pendingMail: 0, jobs: before.jobs });
    if (!kase.mail) expect(after.mail).toBe(before.mail);
  });

  it('compared every shadowed request, none skipped, none different', async () => {
    const totals = { compared: 0, matched: 0, skipped: 0 };
    for (const s of stacks.values()) {
      for (const stats of Object.values((await s).gateway.comparisons.stats.snapshot())) {
        totals.compared += stats.compared;
        totals.matched += stats.matched;
        totals.skipped += Object.values(stats.skipped).reduce((a, b) => a + b, 0);
      }
    }
    expect(shadowedCount).toBeGreaterThan(cases.length / 2);
    expect(totals).toEqual({ compared: shadowedCount, matched: shadowedCount, skipped: 0 });
  });
});
