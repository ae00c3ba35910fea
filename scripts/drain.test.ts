/**
 * SIGTERM drains every part within its pod's grace period (k8s/parts/<part>/deployment.yaml):
 * each part runs as a child process as its container does (`npm run serve -- <part>`, from the
 * sources) and answers its probes. A part that listens gets a request that it holds in flight
 * (the headers, answered `100 Continue`, then nothing until after SIGTERM), stops accepting
 * connections, finishes that request whole with `Connection: close`, and exits 0 within the
 * grace period less its preStop. A new listening part is one line of PARTS.
 * A worker holds a job that cannot finish yet (the tracking worker: a batch whose row another
 * MariaDB transaction has locked; the mail worker: a message the SMTP server holds in DATA),
 * gets SIGTERM, says it drains (readiness 503), finishes that job once it can (the rows
 * complete and the message acknowledged; the mail accepted and marked sent) and exits 0 in time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { SMTPServer } from 'smtp-server';
import { parse } from 'yaml';
import { sendingConfig } from '../extracted-services/sending/src/config.ts';
import { mailQueueName, redisMailQueue } from '../extracted-services/sending/src/delivery/mail-queue.ts';
import { trackingConfig } from '../extracted-services/tracking/src/config.ts';
import { DEAD_HIT_STREAM, HIT_GROUP, HIT_STREAM, redisHitQueue } from '../extracted-services/tracking/src/queue/hit-queue.ts';
import { startTracking } from '../extracted-services/tracking/src/server.ts';
import { openDb } from '../legacy-adapter/src/db/open.ts';
import { createTestDb, type TestDb } from '../test-support/databases.ts';
import { lockWaitsOn } from '../test-support/lock-waits.ts';
import { describeWithMysql, describeWithRedis, testRedisUrl } from '../test-support/services.ts';

const ROOT = resolve(__dirname, '..');

interface Context { readonly dir: string; readonly legacyUrl: string }
/** The URL of each named container port, read from what the part prints once it listens; null until then. */
type PortUrls = (stdout: string) => Record<string, string> | null;

const listeningLine = (part: string): PortUrls => (out) => {
  const url = new RegExp(`${part} listening on (http://\\S+)`).exec(out)?.[1];
  return url ? { http: url } : null;
};
const gatewayLine: PortUrls = (out) => {
  const line = out.split('\n').find((l) => l.includes('"msg":"gateway listening"'));
  const { publicUrl, adminUrl } = line ? (JSON.parse(line) as { publicUrl: string; adminUrl: string }) : {};
  return publicUrl && adminUrl ? { http: publicUrl, admin: adminUrl } : null;
};

/** The request each part holds in flight: one it reads the body of before answering, and the status it then answers. */
interface Held { readonly path: string; readonly body: string; readonly status: number }
const PIXEL: Held = { path: '/mtracking.gif', body: 'page_url=https%3A%2F%2Fexample.com%2Fdrain', status: 200 };

const PARTS: readonly { part: string; env: (c: Context) => Record<string, string>; urls: PortUrls; held: Held }[] = [
  { part: 'gateway', env: (c) => ({ PORT: '0', ADMIN_PORT: '0', LEGACY_URL: c.legacyUrl }), urls: gatewayLine, held: PIXEL },
  { part: 'legacy-standin', env: (c) => ({ PORT: '0', DATABASE_URL: `sqlite:${join(c.dir, 'db.sqlite')}`, STRANGLER_OUTBOX_DIR: join(c.dir, 'outbox') }), urls: listeningLine('legacy-standin'), held: PIXEL },
  { part: 'tracking', env: (c) => ({ PORT: '0', DATABASE_URL: `sqlite:${join(c.dir, 'db.sqlite')}` }), urls: listeningLine('tracking'), held: PIXEL },
  // A form that does not exist: Mautic's AJAX answer, 200 (docs/mautic/public-http.md §4.3).
  { part: 'forms', env: (c) => ({ PORT: '0', DATABASE_URL: `sqlite:${join(c.dir, 'db.sqlite')}`, FORMS_UPLOAD_DIR: join(c.dir, 'uploads') }), urls: listeningLine('forms'), held: { path: '/form/submit?ajax=1', body: 'mauticform%5BformId%5D=12345', status: 200 } },
  // No credentials: Mautic's 401, given after the body is read (§5.1).
  { part: 'sending', env: (c) => ({ PORT: '0', DATABASE_URL: `sqlite:${join(c.dir, 'db.sqlite')}`, STRANGLER_OUTBOX_DIR: join(c.dir, 'outbox'), REDIS_URL: '', SMTP_URL: '' }), urls: listeningLine('sending'), held: { path: '/api/emails/1/send', body: '{}', status: 401 } },
];

interface PodFacts { readonly graceMs: number; readonly preStopMs: number; readonly probes: { port: string; path: string }[] }

/** The grace period, the preStop sleep and the HTTP probes of a part's Deployment. */
async function podFacts(part: string): Promise<PodFacts> {
  const d = parse(await readFile(join(ROOT, 'k8s', 'parts', part, 'deployment.yaml'), 'utf8'));
  const pod = d.spec.template.spec;
  const c = pod.containers[0];
  const sleep = c.lifecycle?.preStop?.exec?.command;
  const probes = [c.startupProbe, c.readinessProbe, c.livenessProbe].filter((p) => p?.httpGet).map((p) => ({ port: p.httpGet.port as string, path: p.httpGet.path as string }));
  return { graceMs: pod.terminationGracePeriodSeconds * 1000, preStopMs: sleep?.[0] === 'sleep' ? Number(sleep[1]) * 1000 : 0, probes };
}

function start(part: string, env: Record<string, string>, urls: PortUrls): { child: ChildProcess; ports: Promise<Record<string, string>> } {
  const child = spawn(process.execPath, ['scripts/serve.ts', part], { cwd: ROOT, env: { ...process.env, HOST: '127.0.0.1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const ports = new Promise<Record<string, string>>((done, fail) => {
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const found = urls(out);
      if (found) done(found);
    });
    child.once('exit', (code) => fail(new Error(`${part} exited ${code} before listening: ${err}`)));
  });
  return { child, ports };
}

/** A POST whose headers the part has taken (it answered 100 Continue) and whose body is not sent yet. */
async function holdRequest(url: string, held: Held): Promise<{ finish(): Promise<{ head: string; body: string }> }> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  await once(socket, 'connect');
  socket.setEncoding('latin1');
  const { body } = held;
  const type = body.startsWith('{') ? 'application/json' : 'application/x-www-form-urlencoded';
  socket.write(`POST ${held.path} HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: ${type}\r\nContent-Length: ${body.length}\r\nExpect: 100-continue\r\n\r\n`);
  let received = '';
  await new Promise<void>((done) => socket.on('data', (chunk: string) => (received += chunk).includes('\r\n\r\n') && done()));
  expect(received).toMatch(/^HTTP\/1\.1 100 Continue\r\n/);
  received = '';
  return {
    async finish() {
      socket.write(body);
      // The part closes the connection after its answer (or cuts it, which the caller sees).
      await once(socket, 'close');
      const at = received.indexOf('\r\n\r\n');
      return { head: received.slice(0, at), body: received.slice(at + 4) };
    },
  };
}

/** Resolves once `url`'s port refuses new connections (the part stopped accepting). */
async function refusesConnections(url: string): Promise<void> {
  const { hostname, port } = new URL(url);
  for (;;) {
    const accepted = await new Promise<boolean>((done) => {
      const s = connect(Number(port), hostname);
      s.once('connect', () => (s.destroy(), done(true)));
      s.once('error', () => done(false));
    });
    if (!accepted) return;
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('SIGTERM drains every part within its grace period', () => {
  let dir: string;
  let legacy: Server;
  let legacyUrl: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'strangler-drain-'));
    // The gateway's legacy upstream: reads the body, answers 200.
    legacy = createServer((req, res) => req.resume().on('end', () => res.end('legacy answered')));
    legacy.listen(0, '127.0.0.1');
    await once(legacy, 'listening');
    legacyUrl = `http://127.0.0.1:${(legacy.address() as { port: number }).port}`;
  });

  afterEach(async () => {
    legacy.closeAllConnections();
    await new Promise((r) => legacy.close(r));
    await rm(dir, { recursive: true, force: true });
  });

  it.each(PARTS)('$part answers its probes, finishes the request in flight and exits 0', async ({ part, env, urls, held: request }) => {
    const facts = await podFacts(part);
    const { child, ports } = start(part, env({ dir, legacyUrl }), urls);
    try {
      const url = await ports;
      for (const probe of facts.probes) expect([probe.path, (await fetch(`${url[probe.port]}${probe.path}`)).status]).toEqual([probe.path, 200]);
      const held = await holdRequest(url.http!, request);
      const exited = once(child, 'exit');
      const signalled = Date.now();
      child.kill('SIGTERM');
      await refusesConnections(url.http!);
      const { head, body } = await held.finish();
      expect(head).toMatch(new RegExp(`^HTTP/1\\.1 ${request.status} `));
      expect(head).toMatch(/\r\nconnection: close(\r\n|$)/i);
      const length = /\r\ncontent-length: (\d+)/i.exec(head)?.[1];
      expect(Buffer.byteLength(body, 'latin1')).toBe(Number(length));
      const [code] = (await exited) as [number | null];
      expect(code).toBe(0);
      expect(Date.now() - signalled).toBeLessThan(facts.graceMs - facts.preStopMs);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});

/** The URL a worker prints for its probe port (`…, probes listening on http://…`). */
const probesLine = (out: string): Record<string, string> | null => {
  const url = /probes listening on (http:\/\/\S+)/.exec(out)?.[1];
  return url ? { probes: url } : null;
};

/** Starts a worker part and resolves with its probe URL; `said(text)` resolves once its stdout holds `text`. */
function startWorker(part: string, env: Record<string, string>): { child: ChildProcess; ports: Promise<Record<string, string>>; said(text: string): Promise<void> } {
  const started = start(part, { PORT: '0', ...env }, probesLine);
  let out = '';
  const waiters: { text: string; done: () => void }[] = [];
  started.child.stdout!.on('data', (c: Buffer) => {
    out += c.toString();
    for (const w of waiters.splice(0)) {
      if (out.includes(w.text)) w.done();
      else waiters.push(w);
    }
  });
  return { ...started, said: (text) => new Promise<void>((done) => (out.includes(text) ? done() : waiters.push({ text, done }))) };
}

/** Its probes answer 200 before SIGTERM; after it, `/readyz` answers 503 while the job in hand finishes. */
async function expectProbes(facts: PodFacts, urls: Record<string, string>, readyStatus: number): Promise<void> {
  expect(facts.probes.length).toBe(3);
  for (const probe of facts.probes) {
    const status = (await fetch(`${urls[probe.port]}${probe.path}`)).status;
    expect([probe.path, status]).toEqual([probe.path, probe.path === '/readyz' ? readyStatus : 200]);
  }
}

/** A real SMTP server that takes the DATA of each message and answers only once released. */
async function gatedSmtp(): Promise<{ url: string; inData: Promise<void>; release(): void; accepted: string[]; close(): Promise<void> }> {
  let entered!: () => void;
  const inData = new Promise<void>((r) => (entered = r));
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  const accepted: string[] = [];
  const server = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS', 'AUTH'], logger: false,
    onData(stream, _session, callback) {
      let text = '';
      stream.on('data', (c: Buffer) => (text += c.toString()));
      stream.on('end', () => {
        entered();
        void released.then(() => {
          accepted.push(text);
          callback();
        });
      });
    },
  });
  // The worker's pooled connection may be reset as its process exits; smtp-server reports that as an 'error' event.
  server.on('error', () => undefined);
  server.listen(0, '127.0.0.1');
  await once(server.server, 'listening');
  return {
    url: `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`,
    inData, release, accepted,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

describeWithRedis('SIGTERM drains the mail worker', () => {
  it('sends the message the SMTP server holds, marks it sent, empties the queue and exits 0', async () => {
    const facts = await podFacts('sending-worker');
    const smtp = await gatedSmtp();
    const settings = sendingConfig().queue;
    const prefix = `draintest${randomBytes(5).toString('hex')}`;
    const queue = redisMailQueue(testRedisUrl!, settings, prefix);
    const watcher = new Queue(mailQueueName(settings), { connection: { url: testRedisUrl! }, prefix });
    const redis = new Redis(testRedisUrl!);
    const worker = startWorker('sending-worker', { REDIS_URL: testRedisUrl!, SMTP_URL: smtp.url, SENDING_QUEUE_PREFIX: prefix });
    try {
      const message = { from: { address: 'news@example.com' }, to: { address: 'drain@example.org' }, subject: 'Drained', html: '<p>hi</p>', text: 'hi', headers: {}, messageId: '<4242.drain@example.com>' };
      expect(await queue.enqueue([{ statId: 4242, emailId: 1, contactId: 2, message }])).toBe(true);
      const urls = await worker.ports;
      await expectProbes(facts, urls, 200);
      await smtp.inData;
      const exited = once(worker.child, 'exit');
      const signalled = Date.now();
      worker.child.kill('SIGTERM');
      await worker.said('sending worker draining');
      await expectProbes(facts, urls, 503);
      expect(smtp.accepted).toEqual([]);
      smtp.release();
      const [code] = (await exited) as [number | null];
      expect(code).toBe(0);
      expect(Date.now() - signalled).toBeLessThan(facts.graceMs - facts.preStopMs);
      expect(smtp.accepted).toHaveLength(1);
      expect(smtp.accepted[0]).toContain('Subject: Drained');
      expect(await redis.get(`${prefix}:${mailQueueName(settings)}:sent:4242`)).not.toBeNull();
      const counts = await watcher.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed');
      expect(counts).toEqual({ waiting: 0, paused: 0, active: 0, delayed: 0, failed: 0, completed: 0 });
    } finally {
      if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
      smtp.release();
      await watcher.obliterate({ force: true }).catch(() => {});
      for (const key of await redis.keys(`${prefix}:*`)) await redis.del(key);
      await Promise.all([queue.close(), watcher.close(), smtp.close()]);
      redis.disconnect();
    }
  });
});

describeWithRedis('SIGTERM drains the tracking worker', () => {
  describeWithMysql('on MariaDB', () => {
    let testDb: TestDb;
    // Its own Redis database: the worker reads the one stream name every deployment uses.
    const redisUrl = (() => {
      if (!testRedisUrl) return '';
      const url = new URL(testRedisUrl);
      url.pathname = '/13';
      return url.toString();
    })();

    beforeAll(async () => {
      testDb = await createTestDb('mysql');
    });
    afterAll(async () => {
      await testDb?.drop();
    });

    it('commits and acknowledges the batch a lock holds up, then exits 0', async () => {
      const facts = await podFacts('worker');
      const redis = new Redis(redisUrl);
      await redis.del(HIT_STREAM, DEAD_HIT_STREAM);
      const queue = redisHitQueue(redisUrl);
      const config = trackingConfig({ mautic: { siteUrl: 'http://127.0.0.1:8080' } });
      const tracking = await startTracking({ db: testDb.db, config, queue }, { port: 0 });
      const locker = await openDb(testDb.url);
      let unlock!: () => void;
      const unlocked = new Promise<void>((r) => (unlock = r));
      let lockHeld: Promise<void> | undefined;
      let worker: ReturnType<typeof startWorker> | undefined;
      try {
        expect(await queue.ready(5_000)).toBe(true);
        const res = await fetch(`${tracking.url}/mtracking.gif?page_url=https%3A%2F%2Fexample.com%2Fdrain`, { headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0' } });
        expect(res.status).toBe(200);
        const hits = await testDb.db.query<{ id: number; lead_id: number | null }>(`SELECT id, lead_id FROM ${testDb.db.table('page_hits')}`);
        expect(hits).toEqual([{ id: expect.any(Number), lead_id: null }]);
        expect(await redis.xlen(HIT_STREAM)).toBe(1);
        // Another transaction holds the hit's row: the worker's batch waits on it.
        await new Promise<void>((held) => {
          lockHeld = locker.transaction(async (tx) => {
            await tx.query(`SELECT id FROM ${tx.table('page_hits')} WHERE id = ? FOR UPDATE`, [hits[0]!.id]);
            held();
            await unlocked;
          });
        });
        worker = startWorker('worker', { REDIS_URL: redisUrl, DATABASE_URL: testDb.url, TRACKING_WORKER_NAME: 'drain-test', WORKER_QUEUES: 'tracking' });
        const urls = await worker.ports;
        await expectProbes(facts, urls, 200);
        // The only way to see the batch in hand: the server lists its transaction as waiting for the lock
        // (from the InnoDB monitor, not INNODB_TRX, whose cache a fast poll keeps stale: test-support/lock-waits.ts).
        const database = new URL(testDb.url).pathname.slice(1);
        while ((await lockWaitsOn((sql) => locker.query(sql), database, 'page_hits')) === 0) await new Promise((r) => setTimeout(r, 20));
        const exited = once(worker.child, 'exit');
        const signalled = Date.now();
        worker.child.kill('SIGTERM');
        await worker.said('worker draining');
        await expectProbes(facts, urls, 503);
        unlock();
        await lockHeld;
        const [code] = (await exited) as [number | null];
        expect(code).toBe(0);
        expect(Date.now() - signalled).toBeLessThan(facts.graceMs - facts.preStopMs);
        const [done] = await testDb.db.query<{ lead_id: number | null }>(`SELECT lead_id FROM ${testDb.db.table('page_hits')} WHERE id = ?`, [hits[0]!.id]);
        expect(done?.lead_id).toEqual(expect.any(Number));
        const [pending] = (await redis.xpending(HIT_STREAM, HIT_GROUP)) as [number];
        expect(pending).toBe(0);
      } finally {
        if (worker && worker.child.exitCode === null) worker.child.kill('SIGKILL');
        unlock();
        await lockHeld?.catch(() => {});
        await tracking.close();
        await Promise.all([queue.close(), locker.close()]);
        await redis.del(HIT_STREAM, DEAD_HIT_STREAM);
        redis.disconnect();
      }
    });
  });
});
