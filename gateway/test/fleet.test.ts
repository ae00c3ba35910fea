// Three gateway processes on one Redis flag store (the shared Redis, a fresh key prefix): a change
// made through one replica is applied by all three, and /readyz and the fleet status show it
// (docs/architecture.md §7).
import { execFile } from 'node:child_process';
import { Redis } from 'ioredis';
import { describeWithRedis, testRedisUrl } from '../../test-support/services.ts';
import { startControllableUpstream, type ControllableUpstream } from './support/controllable-upstream.ts';
import { deletePrefix, uniquePrefix } from './support/redis-server.ts';
import { REPO_ROOT, spawnGateway, type GatewayProcess } from './support/spawn-gateway.ts';
import { TEST_TOKEN } from './support/harness.ts';
import { untilTrue, waitForLine } from './support/process-lines.ts';

/** Runs the strangler CLI against `adminUrl`. */
function runCli(args: string[], adminUrl: string): Promise<{ code: number; stdout: string }> {
  const env = { PATH: process.env.PATH ?? '', STRANGLER_ADMIN_URL: adminUrl, STRANGLER_TOKEN: TEST_TOKEN };
  return new Promise((resolve) => {
    execFile(process.execPath, ['gateway/src/cli/strangler.ts', ...args], { cwd: REPO_ROOT, env }, (err, stdout) => resolve({ code: err ? Number(err.code) : 0, stdout }));
  });
}

interface Readyz { ready: boolean; degraded: boolean; flags: { version: number; store: string; replica: string } }
interface Fleet { version: number; replicas: { id: string; version: number; straggler: boolean }[]; stragglers: string[] }

describeWithRedis('a fleet of three replicas', () => {
  const prefix = uniquePrefix('fleet');
  const gateways: GatewayProcess[] = [];
  let upstreams: ControllableUpstream[] = [];
  afterAll(async () => {
    for (const g of gateways) g.cleanup();
    await Promise.all(upstreams.map((u) => u.close()));
    await deletePrefix(testRedisUrl as string, prefix);
  });

  it('applies a change on every replica; each /readyz and the fleet status show the new version', async () => {
    upstreams = await Promise.all(['legacy', 'tracking'].map((n) => startControllableUpstream(n)));
    const [legacy, tracking] = upstreams as [ControllableUpstream, ControllableUpstream];
    const config = { server: { host: '127.0.0.1' }, admin: { host: '127.0.0.1' }, flags: { heartbeatIntervalMs: 200, resyncIntervalMs: 500 } };
    for (const id of ['gw-1', 'gw-2', 'gw-3']) {
      gateways.push(spawnGateway({
        PORT: '0', ADMIN_PORT: '0', ADMIN_TOKEN: TEST_TOKEN, LOG_LEVEL: 'info', REDIS_URL: testRedisUrl as string,
        STRANGLER_REDIS_PREFIX: prefix, STRANGLER_REPLICA_ID: id, LEGACY_URL: legacy.url, TRACKING_URL: tracking.url,
      }, config));
    }
    const listening = await Promise.all(gateways.map((g) => g.line('gateway listening')));
    const admins = listening.map((l) => l.adminUrl as string);
    const publics = listening.map((l) => l.publicUrl as string);
    await Promise.all(gateways.map((g) => waitForLine(g, (l) => l.msg === 'flag snapshot applied' && l.version === 0)));

    const res = await fetch(`${admins[0]}/admin/routes/tracking.pixel/mode`, {
      method: 'PUT', headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json', 'if-match': '"0"' },
      body: JSON.stringify({ mode: 'extracted', reason: 'fleet test' }),
    });
    expect(res.status).toBe(200);
    await Promise.all(gateways.map((g) => waitForLine(g, (l) => l.msg === 'flag snapshot applied' && l.version === 1)));

    for (const [i, admin] of admins.entries()) {
      const ready = (await (await fetch(`${admin}/readyz`)).json()) as Readyz;
      expect(ready).toMatchObject({ ready: true, degraded: false, flags: { version: 1, store: 'redis', replica: `gw-${i + 1}` } });
      expect((await fetch(`${publics[i]}/mtracking.gif`)).headers.get('x-upstream')).toBe('tracking');
    }
    // Heartbeats land a moment after the apply: read the fleet until all three report version 1.
    const fleet = await untilTrue(async () => {
      const f = (await (await fetch(`${admins[2]}/admin/fleet`, { headers: { authorization: `Bearer ${TEST_TOKEN}` } })).json()) as Fleet;
      return f.replicas.length === 3 && f.stragglers.length === 0 ? f : null;
    });
    expect(fleet).toEqual({
      version: 1, stragglers: [],
      replicas: ['gw-1', 'gw-2', 'gw-3'].map((id) => ({ id, version: 1, straggler: false, seenAt: expect.any(String) })),
    });

    // A replica stuck at version 0 (its heartbeat written by hand): the CLI's status names it and exits 9.
    const raw = new Redis(testRedisUrl as string);
    await raw.multi().zadd(`${prefix}fleet:seen`, Date.now(), 'gw-stuck').hset(`${prefix}fleet:replicas`, 'gw-stuck', JSON.stringify({ version: 0, seenAt: new Date().toISOString() })).exec();
    raw.disconnect();
    const status = await runCli(['status'], admins[1] as string);
    expect(status.code).toBe(9);
    expect(status.stdout).toMatch(/gw-stuck\s+0\s+\S+\s+behind/);
    expect(status.stdout).toContain('store version 1, 4 replica(s), behind: gw-stuck');
  });
});
