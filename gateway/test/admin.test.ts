// The admin port: health, readiness, the token-protected flag API and its audit list.
import { createMemoryFlagStore } from '../src/flags/memory-store.ts';
import type { FlagStore } from '../src/flags/store.ts';
import { expectCodedError } from './support/coded-error.ts';
import { startHarness, TEST_TOKEN, type Harness } from './support/harness.ts';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

interface ErrorBody { error: { code: string; message: string } }

describe('health and readiness', () => {
  it('GET /healthz answers 200, GET /readyz 200 once the flags are applied', async () => {
    h = await startHarness();
    expect((await fetch(`${h.gateway.adminUrl}/healthz`)).status).toBe(200);
    const ready = await fetch(`${h.gateway.adminUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ready: true, reasons: [], degraded: false, flags: { store: 'memory', connected: true, applied: true, version: 0 } });
  });

  it('GET /readyz answers 503 until a flag snapshot is applied', async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const memory = createMemoryFlagStore();
    const slowStore: FlagStore = { ...memory, ready: () => gate, get version() { return memory.version; } };
    h = await startHarness({ overrides: { flagStore: slowStore } });
    const before = await fetch(`${h.gateway.adminUrl}/readyz`);
    expect(before.status).toBe(503);
    expect(await before.json()).toMatchObject({ ready: false, reasons: ['not flags applied'], degraded: true, flags: { applied: false } });
    // Not ready yet, but serving with the catalogue defaults (docs/architecture.md §7).
    expect((await fetch(`${h.gateway.publicUrl}/mtracking.gif`)).headers.get('x-upstream')).toBe('legacy');
    open();
    await gate;
    await new Promise(setImmediate);
    expect((await fetch(`${h.gateway.adminUrl}/readyz`)).status).toBe(200);
  });
});

describe('tokens', () => {
  beforeEach(async () => {
    h = await startHarness({ config: { admin: { host: '127.0.0.1', tokens: [{ label: 'alice', token: 'alice-token-0123456789' }] } } });
  });

  it.each<[string, string | null]>([
    ['no Authorization header', null],
    ['a wrong token', 'wrong-token-0123456789'],
    ['an empty bearer', ''],
  ])('%s → 401 GW_ERR_ADMIN_UNAUTHORIZED', async (_name, token) => {
    const res = await h.admin('GET', '/admin/flags', undefined, token);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="strangler-admin"');
    expect(((await res.json()) as ErrorBody).error.code).toBe('GW_ERR_ADMIN_UNAUTHORIZED');
  });

  it('a Basic credential is not a token', async () => {
    const res = await fetch(`${h.gateway.adminUrl}/admin/flags`, { headers: { authorization: `Basic ${Buffer.from(`admin:${TEST_TOKEN}`).toString('base64')}` } });
    expect(res.status).toBe(401);
  });

  it('records who changed a flag by token label ("admin" for ADMIN_TOKEN)', async () => {
    await h.admin('PUT', '/admin/flags/tracking.pixel', { mode: 'shadow' }, 'alice-token-0123456789');
    await h.admin('PUT', '/admin/flags/tracking.pixel', { mode: 'extracted', why: 'shadow was clean' });
    const audit = (await (await h.admin('GET', '/admin/audit')).json()) as { entries: { who: string }[] };
    expect(audit.entries.map((e) => e.who)).toEqual(['admin', 'alice']);
  });
});

describe('flag API', () => {
  beforeEach(async () => {
    h = await startHarness({ config: { tenants: [{ id: 'acme', hosts: ['acme.example'], legacyUrl: 'http://127.0.0.1:1' }] } });
  });

  it('sets, lists and removes flags, and the audit list tells who, when, route, tenant, from, to and why', async () => {
    const set = await h.admin('PUT', '/admin/flags/tracking.pixel', { mode: 'canary', percent: 12.5, why: 'first ramp' });
    expect(set.status).toBe(200);
    expect(((await set.json()) as { change: object }).change).toMatchObject({ version: 1, routeId: 'tracking.pixel', tenant: null, from: null, to: { mode: 'canary', percent: 12.5 }, who: 'admin', why: 'first ramp' });
    await h.setFlag('tracking.pixel', 'legacy', { tenant: 'acme' });
    const list = (await (await h.admin('GET', '/admin/flags')).json()) as { version: number; flags: object[] };
    expect(list.version).toBe(2);
    expect(list.flags).toEqual([
      { routeId: 'tracking.pixel', tenant: null, mode: 'canary', percent: 12.5 },
      { routeId: 'tracking.pixel', tenant: 'acme', mode: 'legacy' },
    ]);
    const removed = await h.admin('DELETE', '/admin/flags/tracking.pixel?tenant=acme&why=done');
    expect(removed.status).toBe(200);
    expect(((await removed.json()) as { change: object }).change).toMatchObject({ version: 3, tenant: 'acme', from: { mode: 'legacy' }, to: null, why: 'done' });
    const audit = (await (await h.admin('GET', '/admin/audit?limit=2')).json()) as { entries: { version: number; at: string }[] };
    expect(audit.entries.map((e) => e.version)).toEqual([3, 2]);
    expect(Date.parse(audit.entries[0]?.at ?? '')).toBeGreaterThan(Date.now() - 60_000);
  });

  it('applies a change to the very next request', async () => {
    expect((await fetch(`${h.gateway.publicUrl}/mtracking.gif`)).headers.get('x-upstream')).toBe('legacy');
    await h.setFlag('tracking.pixel', 'extracted');
    expect((await fetch(`${h.gateway.publicUrl}/mtracking.gif`)).headers.get('x-upstream')).toBe('tracking');
    await h.admin('DELETE', '/admin/flags/tracking.pixel');
    expect((await fetch(`${h.gateway.publicUrl}/mtracking.gif`)).headers.get('x-upstream')).toBe('legacy');
  });

  it.each<[string, string, string, unknown, number, string]>([
    ['unknown route id', 'PUT', '/admin/flags/tracking.nope', { mode: 'extracted' }, 404, 'GW_ERR_ADMIN_UNKNOWN_ROUTE'],
    ['unknown mode', 'PUT', '/admin/flags/tracking.pixel', { mode: 'new' }, 400, 'GW_ERR_ADMIN_UNKNOWN_MODE'],
    ['percent above 100', 'PUT', '/admin/flags/tracking.pixel', { mode: 'canary', percent: 101 }, 400, 'GW_ERR_ADMIN_BAD_PERCENT'],
    ['percent with three decimals', 'PUT', '/admin/flags/tracking.pixel', { mode: 'canary', percent: 0.125 }, 400, 'GW_ERR_ADMIN_BAD_PERCENT'],
    ['percent for a non-canary mode', 'PUT', '/admin/flags/tracking.pixel', { mode: 'shadow', percent: 5 }, 400, 'GW_ERR_ADMIN_PERCENT_NOT_CANARY'],
    ['canary on a legacy-only route', 'PUT', '/admin/flags/legacy.admin', { mode: 'canary', percent: 5 }, 400, 'GW_ERR_ADMIN_ROUTE_LEGACY_ONLY'],
    ['extracted on the legacy default route', 'PUT', '/admin/flags/legacy.default', { mode: 'extracted' }, 400, 'GW_ERR_ADMIN_ROUTE_LEGACY_ONLY'],
    ['unknown tenant', 'PUT', '/admin/flags/tracking.pixel', { mode: 'extracted', tenant: 'globex' }, 404, 'GW_ERR_ADMIN_UNKNOWN_TENANT'],
    ['unknown field', 'PUT', '/admin/flags/tracking.pixel', { mode: 'extracted', ttl: 5 }, 400, 'GW_ERR_ADMIN_BAD_REQUEST'],
    ['body not JSON', 'PUT', '/admin/flags/tracking.pixel', '{ mode: extracted', 400, 'GW_ERR_ADMIN_BAD_REQUEST'],
    ['body a JSON string', 'PUT', '/admin/flags/tracking.pixel', '"extracted"', 400, 'GW_ERR_ADMIN_BAD_REQUEST'],
    ['no body', 'PUT', '/admin/flags/tracking.pixel', undefined, 400, 'GW_ERR_ADMIN_BAD_REQUEST'],
    ['body over 16 KiB', 'PUT', '/admin/flags/tracking.pixel', { mode: 'extracted', why: 'x'.repeat(20_000) }, 400, 'GW_ERR_ADMIN_BAD_REQUEST'],
    ['remove on an unknown route', 'DELETE', '/admin/flags/tracking.nope', undefined, 404, 'GW_ERR_ADMIN_UNKNOWN_ROUTE'],
    ['remove for an unknown tenant', 'DELETE', '/admin/flags/tracking.pixel?tenant=globex', undefined, 404, 'GW_ERR_ADMIN_UNKNOWN_TENANT'],
    ['remove a flag that does not exist', 'DELETE', '/admin/flags/tracking.pixel', undefined, 404, 'GW_ERR_ADMIN_FLAG_NOT_FOUND'],
    ['audit limit not a number', 'GET', '/admin/audit?limit=all', undefined, 400, 'GW_ERR_ADMIN_BAD_REQUEST'],
    ['audit limit too large', 'GET', '/admin/audit?limit=5000', undefined, 400, 'GW_ERR_ADMIN_BAD_REQUEST'],
    ['unknown endpoint', 'GET', '/admin/nothing', undefined, 404, 'GW_ERR_ADMIN_NOT_FOUND'],
  ])('%s: %s %s', async (_name, method, path, body, status, code) => {
    await expectCodedError(await h.admin(method, path, body), status, code);
    // A refused change changes nothing.
    expect(((await (await h.admin('GET', '/admin/flags')).json()) as { version: number }).version).toBe(0);
  });

  it('lists the catalogue', async () => {
    const routes = ((await (await h.admin('GET', '/admin/routes')).json()) as { routes: { id: string }[] }).routes;
    expect(routes.map((r) => r.id)).toContain('tracking.pixel');
    expect(routes.map((r) => r.id)).toContain('legacy.default');
  });

  it('shows counters and the applied flag version in /admin/stats', async () => {
    await h.setFlag('tracking.pixel', 'extracted');
    await (await fetch(`${h.gateway.publicUrl}/mtracking.gif`)).arrayBuffer();
    const stats = await h.stats();
    expect(stats).toMatchObject({ requests: 1, flagVersion: 1, bodyBufferSkipped: 0, reasons: { flag: 1 } });
  });
});
