/**
 * A worker killed mid-batch (SIGKILL, a real child process: `npm run serve -- sending-worker`)
 * and restarted leaves every recipient with the mail exactly once at a real SMTP server
 * (README § Delivery, issue #15). The kill lands while the server holds messages in DATA
 * without answering: those were never accepted, and the restarted worker sends them (and
 * counts them uncertain: it cannot know the server did not take them).
 */
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { resolve } from 'node:path';
import { ADMIN } from '../../../legacy-adapter/src/standin/sending/sending.fixtures.ts';
import { describeWithRedis, testRedisUrl } from '../../../test-support/services.ts';
import { queuedSetup } from './queue-fixtures.ts';
import type { QueuedSetup } from './queue-fixtures.ts';
import { startSmtpSink } from './smtp-sink.ts';
import type { SmtpSink } from './smtp-sink.ts';
import { killAndWait } from '../../../test-support/kill-and-wait.ts';

const ROOT = resolve(__dirname, '../../..');
const auth = `Basic ${Buffer.from(`${ADMIN.username}:${ADMIN.password}`).toString('base64')}`;

/** A worker child and the log lines it printed. */
interface WorkerChild {
  child: ChildProcessWithoutNullStreams;
  /** Resolves once the worker logged `n` lines with `msg`. */
  logged(msg: string, n: number): Promise<void>;
}

function startWorker(setup: QueuedSetup, smtpUrl: string): WorkerChild {
  const child = spawn(process.execPath, ['scripts/serve.ts', 'sending-worker'], {
    cwd: ROOT, stdio: 'pipe',
    env: { ...process.env, REDIS_URL: testRedisUrl!, SMTP_URL: smtpUrl, SENDING_QUEUE_PREFIX: setup.prefix, SENDING_LOCK_MS: '1000', SENDING_CONCURRENCY: '4', SENDING_BACKOFF_MS: '50' },
  });
  const counts = new Map<string, number>();
  const waiters: { msg: string; n: number; done: () => void }[] = [];
  let buffer = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop()!;
    for (const line of lines) {
      const msg = line.startsWith('{') ? (JSON.parse(line) as { msg?: string }).msg ?? '' : '';
      counts.set(msg, (counts.get(msg) ?? 0) + 1);
    }
    for (const w of waiters.splice(0)) {
      if ((counts.get(w.msg) ?? 0) >= w.n) w.done();
      else waiters.push(w);
    }
  });
  child.stderr.resume();
  return {
    child,
    logged: (msg, n) => new Promise<void>((done) => ((counts.get(msg) ?? 0) >= n ? done() : waiters.push({ msg, n, done }))),
  };
}

function stop(worker: WorkerChild, signal: NodeJS.Signals): Promise<void> {
  return killAndWait(worker.child, signal);
}

describeWithRedis('a mail worker killed mid-batch', () => {
  let sink: SmtpSink;
  let setup: QueuedSetup;
  const children: WorkerChild[] = [];

  afterEach(async () => {
    for (const w of children.splice(0)) await stop(w, 'SIGKILL');
    await setup?.close();
    await sink?.close();
  });

  it('is restarted and every recipient has the mail exactly once', async () => {
    sink = await startSmtpSink();
    setup = await queuedSetup(testRedisUrl!, sink.url, 28);
    const first = startWorker(setup, sink.url);
    children.push(first);
    await first.logged('', 1); // "sending worker reading …"
    const res = await fetch(`${setup.sending.url}/api/emails/${setup.seed.listEmail}/send`, { method: 'POST', headers: { authorization: auth } });
    expect(await res.json()).toEqual({ success: 1, sentCount: 30, failedRecipients: 0 });

    // Ten accepted and marked sent, then the server stops answering: the worker is mid-batch.
    await sink.waitFor(10);
    sink.mode = { kind: 'hold' };
    await first.logged('message sent', sink.received.length);
    await stop(first, 'SIGKILL');
    const heldAtKill = sink.held;
    expect(sink.received.length).toBeLessThan(30);

    sink.mode = { kind: 'accept' };
    const second = startWorker(setup, sink.url);
    children.push(second);
    await sink.waitFor(30);
    await setup.drained();
    // The held messages were never accepted, but the worker cannot know: it counts them.
    await second.logged('message sent again: an earlier try may have been accepted', heldAtKill);
    await stop(second, 'SIGTERM');

    const to = sink.received.map((m) => m.headers.get('to')![0]!.replace(/^.*<|>$/g, ''));
    expect(to).toHaveLength(30);
    expect([...to].sort()).toEqual([...setup.recipients].sort());
  });
});
