// The process logger writes in batches (observability/logger.ts); no line may be lost for it:
// close() writes what is buffered, and a process that exits writes the rest before it goes.
import { once } from 'node:events';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config/load.ts';
import { startGateway } from '../src/main.ts';
import { batchedDestination, createLogger } from '../src/observability/logger.ts';
import { startControllableUpstream, type ControllableUpstream } from './support/controllable-upstream.ts';
import { spawnGateway, type GatewayProcess } from './support/spawn-gateway.ts';

let legacy: ControllableUpstream | undefined;
let gw: GatewayProcess | undefined;
let dir: string | undefined;
afterEach(async () => {
  gw?.cleanup();
  await legacy?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  gw = undefined;
  legacy = undefined;
  dir = undefined;
});

function linesOf(text: string): Array<Record<string, unknown>> {
  return text.split('\n').filter((l) => l.length > 0).map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('log lines are never lost to batching', () => {
  it('close() writes the last request line (well under one batch) before it resolves', async () => {
    legacy = await startControllableUpstream('legacy');
    dir = mkdtempSync(join(tmpdir(), 'strangler-log-'));
    const file = join(dir, 'gateway.log');
    const fd = openSync(file, 'a');
    try {
      const logger = createLogger('info', batchedDestination(fd));
      const gateway = await startGateway(loadConfig({ PORT: '0', ADMIN_PORT: '0', LEGACY_URL: legacy.url, STRANGLER_CONFIG: 'inline.json' },
        () => JSON.stringify({ server: { host: '127.0.0.1' }, admin: { host: '127.0.0.1' } })), { logger });
      const res = await fetch(`${gateway.publicUrl}/some/page`, { headers: { 'x-request-id': 'last-line-1' } });
      expect(res.status).toBe(200);
      await res.arrayBuffer();
      await gateway.close();
      const lines = linesOf(readFileSync(file, 'utf8'));
      expect(lines.find((l) => l.msg === 'request' && l.requestId === 'last-line-1')).toMatchObject({ status: 200, outcome: 'complete' });
      expect(lines.at(-1)).toMatchObject({ msg: 'gateway stopped' });
    } finally {
      closeSync(fd);
    }
  });

  it('a process that exits 1 at start-up (port taken) still writes its last lines to stdout', async () => {
    legacy = await startControllableUpstream('legacy');
    gw = spawnGateway({ PORT: new URL(legacy.url).port, ADMIN_PORT: '0' }, { server: { host: '127.0.0.1' } });
    const closed = once(gw.child, 'close');
    expect(await gw.exited).toBe(1);
    await closed;
    expect(gw.lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['draining', 'gateway stopped']));
  });

  it('SIGTERM: the request served before the drain is on stdout when the process has exited', async () => {
    legacy = await startControllableUpstream('legacy');
    gw = spawnGateway({ PORT: '0', ADMIN_PORT: '0', LEGACY_URL: legacy.url }, { server: { host: '127.0.0.1' }, admin: { host: '127.0.0.1' } });
    const { publicUrl } = await gw.line('gateway listening');
    const res = await fetch(`${publicUrl as string}/page`, { headers: { 'x-request-id': 'before-term-1' } });
    await res.arrayBuffer();
    const closed = once(gw.child, 'close');
    gw.child.kill('SIGTERM');
    expect(await gw.exited).toBe(0);
    await closed;
    expect(gw.lines.find((l) => l.msg === 'request' && l.requestId === 'before-term-1')).toMatchObject({ status: 200 });
  });
});
