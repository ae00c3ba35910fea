/**
 * Issue #12: the gateway moves `tracking.pixel` from legacy to canary to extracted, with
 * real processes (`node scripts/serve.ts <part>`, as containers run them) over one SQLite
 * file. The tracking service answers the same bytes and writes the rows legacy would have
 * written. Imports nothing from the gateway: it is driven over HTTP like an operator would.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openDb } from '../../../legacy-adapter/src/db/open.ts';
import type { Db } from '../../../legacy-adapter/src/db/types.ts';
import { rows } from '../../../legacy-adapter/src/standin/standin-test-kit.ts';
import { GIF, browser } from '../../contract/tracking/fixtures.ts';
import { sendRaw } from '../../contract/send-raw.ts';

const ROOT = resolve(__dirname, '../../..');
const TOKEN = 'a-test-admin-token-of-some-length';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise((done) => server.close(done));
  return port;
}

/** The JSON lines the parts printed (the gateway's decision lines among them), and who waits for one. */
const lines: Record<string, unknown>[] = [];
const waiters: (() => void)[] = [];

/** Resolves with the first line (printed or still to come) that `match` accepts. */
function lineMatching(match: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
  return new Promise((done) => {
    const check = (): boolean => {
      const line = lines.find(match);
      if (line) done(line);
      return line !== undefined;
    };
    if (!check()) waiters.push(() => void check());
  });
}

/** Starts a part and resolves once it printed its address or logged that it listens. */
async function startPart(part: string, env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['scripts/serve.ts', part], { cwd: ROOT, env: { ...process.env, HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((done, fail) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      for (const l of c.toString().split('\n')) if (l.startsWith('{')) lines.push(JSON.parse(l) as Record<string, unknown>);
      for (const wake of waiters) wake();
      if (/listening/.test(out)) done();
    });
    child.once('exit', (code) => fail(new Error(`${part} exited ${code} before listening`)));
  });
  return child;
}

describe('the gateway moves tracking.pixel to the tracking service (real processes)', () => {
  let dir: string;
  let db: Db;
  const children: ChildProcess[] = [];
  let gatewayUrl: string;
  let adminUrl: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'strangler-move-'));
    const databaseUrl = `sqlite:${join(dir, 'mautic.sqlite')}`;
    const [gw, admin, standin, tracking] = [await freePort(), await freePort(), await freePort(), await freePort()];
    const site = { MAUTIC_SITE_URL: `http://127.0.0.1:${gw}`, DATABASE_URL: databaseUrl, STRANGLER_OUTBOX_DIR: join(dir, 'outbox') };
    children.push(await startPart('legacy-standin', { ...site, PORT: String(standin) }));
    children.push(await startPart('tracking', { ...site, PORT: String(tracking), TRACKING_BOT_DETECTOR: 'mautic-list' }));
    children.push(await startPart('gateway', {
      PORT: String(gw), ADMIN_PORT: String(admin), ADMIN_TOKEN: TOKEN, LOG_LEVEL: 'info',
      LEGACY_URL: `http://127.0.0.1:${standin}`, TRACKING_URL: `http://127.0.0.1:${tracking}`,
    }));
    gatewayUrl = `http://127.0.0.1:${gw}`;
    adminUrl = `http://127.0.0.1:${admin}`;
    db = await openDb(databaseUrl);
  }, 60_000);

  afterAll(async () => {
    await db?.close();
    for (const child of children.reverse()) {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
    }
    await rm(dir, { recursive: true, force: true });
  });

  const setMode = async (mode: string, extra: Record<string, unknown> = {}): Promise<void> => {
    const res = await fetch(`${adminUrl}/admin/flags/tracking.pixel`, {
      method: 'PUT', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ mode, why: 'issue #12 test', ...extra }),
    });
    expect(res.status).toBe(200);
  };

  it('answers the same GIF and writes the same rows in legacy, canary 100 % and extracted', async () => {
    const hitRows = [];
    for (const [mode, extra] of [['legacy', {}], ['canary', { percent: 100 }], ['extracted', {}]] as const) {
      await setMode(mode, extra);
      const res = await sendRaw(gatewayUrl, { path: `/mtracking.gif?page_url=https%3A%2F%2Fshop.test%2F${mode}&page_title=Hi`, headers: browser({ 'accept-language': 'de-DE,de;q=0.9' }) });
      expect([res.status, res.body.equals(GIF), res.cookies.length]).toEqual([200, true, 3]);
      const [hit] = await db.query('SELECT * FROM page_hits WHERE url = ?', [`https://shop.test/${mode}`]);
      hitRows.push(hit);
      const decision = await lineMatching((d) => d.route === 'tracking.pixel' && d.mode === mode);
      expect(decision).toMatchObject({ upstream: mode === 'legacy' ? 'legacy' : 'tracking', status: 200 });
    }
    // Everything but the ids, the URL and the clock is what legacy wrote.
    const comparable = (h: Record<string, unknown> | undefined) => {
      const { id: _id, lead_id: _lead, ip_id: _ip, device_id: _device, tracking_id: _tracking, url: _url, query: _query, date_hit: hit, ...rest } = h ?? {};
      return { ...rest, date_hit: typeof hit === 'string' && /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(hit) };
    };
    expect(comparable(hitRows[1])).toEqual(comparable(hitRows[0]));
    expect(comparable(hitRows[2])).toEqual(comparable(hitRows[0]));
    expect(hitRows.every((h) => h?.lead_id !== null)).toBe(true);
    expect((await rows(db, 'lead_event_log')).map((e) => [e.bundle, e.object, e.action])).toEqual(new Array(3).fill(['page', 'hit', 'created_contact']));
  });
});
