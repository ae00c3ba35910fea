/** `npm run serve -- <part>` as a container runs it: a real child process. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

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
