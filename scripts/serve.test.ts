/** `npm run serve -- <part>` as a container runs it: a real child process. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { describeWithRedis, testRedisUrl } from '../test-support/services.ts';

const ROOT = resolve(__dirname, '..');

function serve(part: string, env: Record<string, string> = {}) {
  return spawn(process.execPath, ['scripts/serve.ts', part], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

async function output(child: ReturnType<typeof serve>): Promise<{ code: number | null; stderr: string }> {
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stderr };
}

/** The URL the part prints once it listens; rejects if it exits first. */
function listeningUrl(child: ReturnType<typeof serve>): Promise<string> {
  let stdout = '';
  return new Promise<string>((done, fail) => {
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
      const m = /listening on (http:\/\/\S+)/.exec(stdout);
      if (m) done(m[1]!);
    });
    child.once('exit', (code) => fail(new Error(`exited ${code} before listening`)));
  });
}

describe('npm run serve', () => {
  it('exits 2 naming the parts for an unknown part', async () => {
    const { code, stderr } = await output(serve('nope'));
    expect(code).toBe(2);
    expect(stderr).toContain('usage: npm run serve -- <gateway|legacy-standin|tracking|worker|forms|sending|sending-worker|seed>');
  });

  it('refuses to run the worker without REDIS_URL, saying why', async () => {
    const { code, stderr } = await output(serve('worker', { REDIS_URL: '' }));
    expect(code).toBe(1);
    expect(stderr).toContain('REDIS_URL: the worker reads the hit stream from Redis');
  });

  /** Runs `part` over a fresh SQLite file, hands its URL to `check`, then stops it with SIGTERM (exit 0 expected). */
  async function runAlone(part: string, env: (dir: string) => Record<string, string>, check: (url: string) => Promise<void>): Promise<void> {
    const dir = await mkdtemp(join(tmpdir(), 'strangler-serve-'));
    const child = serve(part, { PORT: '0', HOST: '127.0.0.1', DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, ...env(dir) });
    try {
      await check(await listeningUrl(child));
      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
      expect(code).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    }
  }

  it.each([['legacy-standin'], ['tracking']])('runs %s alone, answers the pixel, and exits 0 on SIGTERM', async (part) => {
    await runAlone(part, (dir) => ({ STRANGLER_OUTBOX_DIR: join(dir, 'outbox') }), async (url) => {
      const res = await fetch(`${url}/mtracking.gif`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/gif');
    });
  });

  it('runs forms alone: ready on its database, a submission answered, exits 0 on SIGTERM', async () => {
    await runAlone('forms', (dir) => ({ FORMS_UPLOAD_DIR: join(dir, 'uploads') }), async (url) => {
      expect((await fetch(`${url}/readyz`)).status).toBe(200);
      const res = await fetch(`${url}/form/submit?ajax=1`, { method: 'POST', body: new URLSearchParams({ 'mauticform[formId]': '12345' }) });
      expect(await res.json()).toEqual({ success: 0, errorMessage: 'This form is no longer available.' });
    });
  });

  it('refuses a WORKER_QUEUES that names no queue, saying which are', async () => {
    const { code, stderr } = await output(serve('worker', { WORKER_QUEUES: 'tracking,mails' }));
    expect(code).toBe(1);
    expect(stderr).toContain('WORKER_QUEUES: "mails" is not a queue; use a comma-separated list of tracking, mail');
  });

  it('refuses to run the mail worker without REDIS_URL, saying why', async () => {
    const { code, stderr } = await output(serve('sending-worker', { REDIS_URL: '' }));
    expect(code).toBe(1);
    expect(stderr).toContain('REDIS_URL: the mail worker reads the queue from Redis');
  });

  it('runs sending alone, answers Mautic\'s 401 on a send without credentials, and exits 0 on SIGTERM', async () => {
    await runAlone('sending', (dir) => ({ STRANGLER_OUTBOX_DIR: join(dir, 'outbox'), REDIS_URL: '', SMTP_URL: '' }), async (url) => {
      const res = await fetch(`${url}/api/emails/1/send`, { method: 'POST' });
      expect([res.status, await res.json()]).toEqual([401, { errors: [{ message: 'API authorization denied.', code: 401, type: 'access_denied' }] }]);
    });
  });
});

describeWithRedis('npm run serve -- worker', () => {
    it('runs both queue workers in one process by default: one probe port, one drain, exit 0 on SIGTERM', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'strangler-serve-'));
      const stream = `strangler:test:serve-workers:${process.pid}:${Date.now()}`;
      const redis = new Redis(testRedisUrl!);
      const child = serve('worker', {
        PORT: '0', HOST: '127.0.0.1', REDIS_URL: testRedisUrl!, DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, TRACKING_HIT_STREAM: stream,
        SENDING_QUEUE_PREFIX: `strangler-test-serve-${process.pid}`, STRANGLER_OUTBOX_DIR: join(dir, 'outbox'), SMTP_URL: '', WORKER_QUEUES: '', LOG_LEVEL: 'warn',
      });
      let stdout = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      try {
        const probes = await listeningUrl(child);
        expect(stdout).toMatch(new RegExp(`^worker reading ${stream}\nsending worker reading sending\\.\\S+, probes listening on http://`));
        expect((await fetch(`${probes}/readyz`)).status).toBe(200);
        // The tracking worker reads the hit stream in its consumer group.
        const groups = (await redis.xinfo('GROUPS', stream)) as unknown[][];
        expect(groups).toHaveLength(1);
        child.kill('SIGTERM');
        const [code] = (await once(child, 'exit')) as [number | null];
        expect(code).toBe(0);
        expect(stdout).toContain('worker draining: finishing the batch in hand\nsending worker draining: finishing the messages in hand\n');
      } finally {
        if (child.exitCode === null) child.kill('SIGKILL');
        await redis.del(stream);
        redis.disconnect();
        await rm(dir, { recursive: true, force: true });
      }
    });
});
