// The real process: exit codes on bad configuration, and the SIGTERM drain.
import { connect } from 'node:net';
import { startControllableUpstream, type ControllableUpstream } from './support/controllable-upstream.ts';
import { spawnGateway, type GatewayProcess } from './support/spawn-gateway.ts';

let gw: GatewayProcess | undefined;
let legacy: ControllableUpstream | undefined;
afterEach(async () => {
  gw?.cleanup();
  await legacy?.close();
  gw = undefined;
  legacy = undefined;
});

describe('start-up with a bad configuration', () => {
  it('exits non-zero and lists every problem on stderr (through npx, like a user)', async () => {
    const config = {
      server: { port: -1, drainTimeoutMs: 'soon' },
      tenants: [{ id: 'a', hosts: ['a.example'], legacyUrl: 'http://a' }, { id: 'b', hosts: ['b.example'], legacyUrl: 'not a url' }],
      surprise: true,
    };
    gw = spawnGateway({ ADMIN_PORT: 'eighty', LEGACY_URL: 'ftp://legacy' }, config, ['npx', 'node']);
    expect(await gw.exited).toBe(1);
    const stderr = gw.stderr();
    for (const problem of [
      'server.port: Too small: expected number to be >=0',
      'server.drainTimeoutMs: Invalid input: expected number, received string',
      'tenants[1].legacyUrl: Invalid URL (expected http:// or https://)',
      'surprise: Unknown key',
      'admin.port (from ADMIN_PORT): Invalid input: expected number, received string',
      'upstreams.legacy.url (from LEGACY_URL): Invalid URL (expected http:// or https://)',
    ]) expect(stderr).toContain(problem);
    expect(stderr).toContain('6 problems');
  });

  it('exits non-zero when the config file is not JSON', async () => {
    gw = spawnGateway({}, '{ nope');
    expect(await gw.exited).toBe(1);
    expect(gw.stderr()).toMatch(/STRANGLER_CONFIG: ".*config\.json" is not valid JSON/);
  });

  it('exits non-zero when the port is taken', async () => {
    legacy = await startControllableUpstream('legacy');
    gw = spawnGateway({ PORT: new URL(legacy.url).port, ADMIN_PORT: '0' }, { server: { host: '127.0.0.1' } });
    expect(await gw.exited).toBe(1);
    expect(gw.stderr()).toContain('EADDRINUSE');
  });
});

describe('SIGTERM drain', () => {
  async function startWith(drainTimeoutMs: number): Promise<{ publicUrl: string; adminUrl: string }> {
    legacy = await startControllableUpstream('legacy', 'slow');
    legacy.delayMs = 400;
    gw = spawnGateway({ PORT: '0', ADMIN_PORT: '0', LEGACY_URL: legacy.url }, { server: { host: '127.0.0.1', drainTimeoutMs }, admin: { host: '127.0.0.1' } });
    const listening = await gw.line('gateway listening');
    return { publicUrl: listening.publicUrl as string, adminUrl: listening.adminUrl as string };
  }

  function connectRefused(url: string): Promise<string> {
    const { hostname, port } = new URL(url);
    return new Promise((resolve) => {
      const socket = connect(Number(port), hostname);
      socket.on('connect', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
    });
  }

  it('readyz goes 503, new connections are refused, the in-flight request completes, exit 0', async () => {
    const { publicUrl, adminUrl } = await startWith(5000);
    expect((await fetch(`${adminUrl}/readyz`)).status).toBe(200);
    const slow = fetch(`${publicUrl}/slow-page`, { headers: { 'x-request-id': 'in-flight' } });
    await legacy!.nextRequest();

    gw!.child.kill('SIGTERM');
    await gw!.line('draining');

    const ready = await fetch(`${adminUrl}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ ready: false, reasons: ['draining'] });
    expect(await connectRefused(publicUrl)).toBe('ECONNREFUSED');

    const res = await slow;
    expect(res.status).toBe(200);
    expect(res.headers.get('connection')).toBe('close');
    expect(((await res.json()) as { url: string }).url).toBe('/slow-page');
    expect(await gw!.exited).toBe(0);
    expect(gw!.lines.find((l) => l.msg === 'request' && l.requestId === 'in-flight')).toMatchObject({ status: 200 });
    expect(await gw!.line('gateway stopped')).toMatchObject({ drained: true });
  });

  it('cuts what is still running when drainTimeoutMs passes, and still exits 0', async () => {
    const { publicUrl } = await startWith(100);
    legacy!.behaviour = 'hang';
    const stuck = fetch(`${publicUrl}/stuck`).then((r) => r.status, () => 'cut');
    await legacy!.nextRequest();
    const started = Date.now();
    gw!.child.kill('SIGTERM');
    expect(await gw!.exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(await stuck).toBe('cut');
    expect(await gw!.line('gateway stopped')).toMatchObject({ drained: false });
  });
});
