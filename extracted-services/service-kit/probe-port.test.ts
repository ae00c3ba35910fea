/** The workers' probe port: real HTTP on 127.0.0.1. */
import { probePortFromEnv, startProbePort, type ProbePort } from './probe-port.ts';

describe('the probe port', () => {
  let probes: ProbePort;
  beforeEach(async () => {
    probes = await startProbePort({ port: 0, host: '127.0.0.1', notFoundCode: 'TRK_ERR_NOT_FOUND' });
  });
  afterEach(() => probes.close());

  it('answers /healthz and /readyz, then /readyz 503 once the part drains', async () => {
    expect([(await fetch(`${probes.url}/healthz`)).status, (await fetch(`${probes.url}/readyz`)).status]).toEqual([200, 200]);
    probes.drain();
    const ready = await fetch(`${probes.url}/readyz`);
    expect([ready.status, await ready.json()]).toEqual([503, { status: 'draining' }]);
    expect((await fetch(`${probes.url}/healthz`)).status).toBe(200);
  });

  it('answers any other path 404, with the part\'s code', async () => {
    const other = await fetch(`${probes.url}/metrics`);
    expect([other.status, await other.json()]).toEqual([404, { error: { code: 'TRK_ERR_NOT_FOUND', message: 'No probe at /metrics: this port answers /healthz and /readyz only' } }]);
  });

  it('/readyz asks the part\'s check each time: 503 with its reason while something it needs does not answer', async () => {
    let notReady: { status: string; code?: string } | null = { status: 'redis-unavailable', code: 'ECONNREFUSED' };
    const checked = await startProbePort({ port: 0, host: '127.0.0.1', notFoundCode: 'SND_ERR_ROUTE_NOT_FOUND', check: async () => notReady });
    try {
      const down = await fetch(`${checked.url}/readyz`);
      expect([down.status, await down.json()]).toEqual([503, { status: 'redis-unavailable', code: 'ECONNREFUSED' }]);
      // Liveness is not readiness: the process still answers.
      expect((await fetch(`${checked.url}/healthz`)).status).toBe(200);
      notReady = null;
      const up = await fetch(`${checked.url}/readyz`);
      expect([up.status, await up.json()]).toEqual([200, { status: 'ready' }]);
      checked.drain();
      expect((await fetch(`${checked.url}/readyz`)).status).toBe(503);
    } finally {
      await checked.close();
    }
  });

  it('reads PORT: unset or empty is no probe port, anything but a port number is refused', () => {
    expect([probePortFromEnv({}), probePortFromEnv({ PORT: '' }), probePortFromEnv({ PORT: '8111' })]).toEqual([undefined, undefined, 8111]);
    expect(() => probePortFromEnv({ PORT: '81x' })).toThrow('PORT: must be a port number 0–65535, got "81x"');
  });
});
