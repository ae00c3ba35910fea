// The gateway with the real catalogue from routes/ (the others use the small test catalogue).
import { ConfigError, loadConfig } from '../src/config/load.ts';
import { startGateway } from '../src/main.ts';
import { startHarness, type Echo, type Harness } from './support/harness.ts';
import { send } from './support/send.ts';

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ catalogue: null });
});
afterEach(async () => {
  await h.close();
});

describe('with the real route catalogue', () => {
  it('moves tracking.pixel, and only it, to the tracking service', async () => {
    await h.setFlag('tracking.pixel', 'extracted');
    expect((await send(h.gateway.publicUrl, '/mtracking.gif?page_url=x')).headers['x-upstream']).toBe('tracking');
    expect((await send(h.gateway.publicUrl, '/email/abc123.gif')).headers['x-upstream']).toBe('legacy');
    expect((await send(h.gateway.publicUrl, '/s/dashboard')).headers['x-upstream']).toBe('legacy');
  });

  it('sends the contact-journey routes of one device to one side', async () => {
    for (const routeId of ['tracking.pixel', 'tracking.event', 'tracking.click']) await h.setFlag(routeId, 'canary', { percent: 50 });
    for (let i = 0; i < 20; i++) {
      const headers = { cookie: `mautic_device_id=device${i}` };
      const sides = new Set([
        (await send(h.gateway.publicUrl, '/mtracking.gif', { headers })).headers['x-upstream'],
        (await send(h.gateway.publicUrl, '/mtc/event', { method: 'POST', headers, body: 'a=1' })).headers['x-upstream'],
        (await send(h.gateway.publicUrl, '/r/abc', { headers })).headers['x-upstream'],
      ]);
      expect(sides.size).toBe(1);
    }
  });

  it('sends what the matcher does not take to legacy unchanged', async () => {
    for (const path of ['/r/%zz', '/landing/page?x=%ff', '/index.php/x']) {
      const res = await send(h.gateway.publicUrl, path);
      expect(res.status).toBe(200);
      expect((JSON.parse(res.body.toString()) as Echo).url).toBe(path);
    }
  });

  it('refuses a non-legacy mode for a legacy-only route of the real catalogue', async () => {
    const res = await h.admin('PUT', '/admin/flags/legacy.oauth', { mode: 'extracted' });
    expect(res.status).toBe(400);
    expect(res.headers.get('x-strangler-error')).toBe('GW_ERR_ADMIN_ROUTE_LEGACY_ONLY');
  });
});

describe('route settings against the catalogue', () => {
  it('refuses to start with settings for a route id the catalogue does not have, naming it', async () => {
    const file = JSON.stringify({ routes: { 'tracking.pixle': { maxConcurrent: 5 }, 'tracking.pixel': { maxConcurrent: 5 } } });
    // It throws before it builds or opens anything.
    const started = startGateway(loadConfig({ STRANGLER_CONFIG: 'c', PORT: '0', ADMIN_PORT: '0' }, () => file));
    await expect(started).rejects.toBeInstanceOf(ConfigError);
    await expect(started).rejects.toMatchObject({ problems: ['routes.tracking.pixle: No route with this id in the catalogue (GET /admin/routes lists them)'] });
  });
});
