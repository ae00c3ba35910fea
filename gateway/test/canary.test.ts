// Canary through the real gateway (docs/architecture.md §3); distributions over 10,000 keys are in src/pipeline/bucket.test.ts.
import { encodeClickthrough } from '../../legacy-adapter/src/codecs/ct.ts';
import { startHarness, type Harness } from './support/harness.ts';
import { send } from './support/send.ts';

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ config: { tenants: [{ id: 'acme', hosts: ['acme.example'], legacyUrl: 'http://127.0.0.1:1' }] } });
});
afterEach(async () => {
  await h.close();
});

const devices = Array.from({ length: 60 }, (_, i) => `dev${i.toString(36).padStart(4, '0')}abcdefghijklmnopq`.slice(0, 23));

async function sideOf(path: string, headers: Record<string, string>, method = 'GET'): Promise<string> {
  const res = await send(h.gateway.publicUrl, path, { method, headers, body: method === 'POST' ? 'page_url=x' : undefined });
  expect(res.status).toBe(200);
  return res.headers['x-upstream'] as string;
}

describe('canary', () => {
  it('keeps one device on one side, request after request', async () => {
    await h.setFlag('tracking.pixel', 'canary', { percent: 50 });
    for (const device of devices.slice(0, 10)) {
      const sides = new Set<string>();
      for (let i = 0; i < 5; i++) sides.add(await sideOf('/mtracking.gif', { cookie: `mautic_device_id=${device}` }));
      expect(sides.size).toBe(1);
    }
  });

  it('sends nobody at 0% and everybody at 100%', async () => {
    await h.setFlag('tracking.pixel', 'canary', { percent: 0 });
    for (const d of devices.slice(0, 20)) expect(await sideOf('/mtracking.gif', { cookie: `mautic_device_id=${d}` })).toBe('legacy');
    await h.setFlag('tracking.pixel', 'canary', { percent: 100 });
    for (const d of devices.slice(0, 20)) expect(await sideOf('/mtracking.gif', { cookie: `mautic_device_id=${d}` })).toBe('tracking');
  });

  it('keeps everyone already in when the percent rises', async () => {
    await h.setFlag('tracking.pixel', 'canary', { percent: 20 });
    const inAt20 = [];
    for (const d of devices) if ((await sideOf(`/mtracking.gif?mautic_device_id=${d}`, {})) === 'tracking') inAt20.push(d);
    expect(inAt20.length).toBeGreaterThan(0);
    await h.setFlag('tracking.pixel', 'canary', { percent: 50.5 });
    for (const d of inAt20) expect(await sideOf(`/mtracking.gif?mautic_device_id=${d}`, {})).toBe('tracking');
  });

  it('gives pixel, event and click of one contact the same side (one journey group)', async () => {
    for (const routeId of ['tracking.pixel', 'tracking.event', 'tracking.click']) await h.setFlag(routeId, 'canary', { percent: 50 });
    const seen = new Set<string>();
    for (const d of devices.slice(0, 30)) {
      const cookie = { cookie: `mautic_device_id=${d}` };
      const sides = [await sideOf('/mtracking.gif', cookie), await sideOf('/mtc/event', cookie, 'POST'), await sideOf('/r/abc', cookie)];
      expect(new Set(sides).size).toBe(1);
      seen.add(sides[0] as string);
    }
    expect(seen).toEqual(new Set(['legacy', 'tracking']));
  });

  it('keys an email click (contact in ct) like the same contact on the pixel (mtc_id)', async () => {
    for (const routeId of ['tracking.pixel', 'tracking.click']) await h.setFlag(routeId, 'canary', { percent: 50 });
    for (let lead = 1; lead <= 20; lead++) {
      const ct = encodeURIComponent(encodeClickthrough({ source: ['email', 5], email: 5, stat: 'abc', lead: String(lead), channel: { email: 5 } }));
      expect(await sideOf(`/r/xyz?ct=${ct}`, {})).toBe(await sideOf('/mtracking.gif', { cookie: `mtc_id=${lead}` }));
    }
  });

  it('logs the bucket and the reason', async () => {
    await h.setFlag('tracking.pixel', 'canary', { percent: 100 });
    await send(h.gateway.publicUrl, '/mtracking.gif', { headers: { 'x-request-id': 'c-1', cookie: 'mautic_device_id=abc' } });
    expect(await h.requestLine('c-1')).toMatchObject({ mode: 'canary', reason: 'bucket', primary: 'tracking', bucket: expect.any(Number) });
    await h.setFlag('tracking.pixel', 'canary', { percent: 0 });
    await send(h.gateway.publicUrl, '/mtracking.gif', { headers: { 'x-request-id': 'c-2', cookie: 'mautic_device_id=abc' } });
    expect(await h.requestLine('c-2')).toMatchObject({ mode: 'canary', reason: 'bucket-out', primary: 'legacy' });
  });
});

describe('tenants', () => {
  it('a tenant flag wins over the global one for that tenant only', async () => {
    await h.setFlag('tracking.pixel', 'extracted');
    await h.setFlag('tracking.pixel', 'legacy', { tenant: 'acme' });
    const main = await send(h.gateway.publicUrl, '/mtracking.gif', { headers: { host: 'main.example', 'x-request-id': 't-main' } });
    expect(main.headers['x-upstream']).toBe('tracking');
    // acme's legacy is down in this harness: the 502 proves the request went to acme's own legacy.
    const acme = await send(h.gateway.publicUrl, '/mtracking.gif', { headers: { host: 'ACME.example:8080', 'x-request-id': 't-acme' } });
    expect(acme.status).toBe(502);
    expect(await h.requestLine('t-acme')).toMatchObject({ tenant: 'acme', reason: 'tenant-override', primary: 'legacy', upstream: 'legacy:acme' });
  });

  it('rejects an unknown Host with 421 when configured to, and keeps serving', async () => {
    await h.close();
    h = await startHarness({ config: { unknownHost: 'reject', defaultTenantHosts: ['main.example'] } });
    const res = await send(h.gateway.publicUrl, '/mtracking.gif', { headers: { host: 'evil.example' } });
    expect(res.status).toBe(421);
    expect(res.headers['x-strangler-error']).toBe('GW_ERR_TENANT_UNKNOWN_HOST');
    expect(JSON.parse(res.body.toString())).toEqual({ error: { code: 'GW_ERR_TENANT_UNKNOWN_HOST', message: 'No tenant is configured for host "evil.example"' } });
    expect(h.legacy.received).toHaveLength(0);
    expect((await send(h.gateway.publicUrl, '/mtracking.gif', { headers: { host: 'main.example' } })).status).toBe(200);
  });
});
