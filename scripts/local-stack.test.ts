/**
 * The README's "Try it" walk-through, through the gateway of the real local
 * stack (`npm start` in-process, embedded defaults: SQLite file, outbox folder):
 * a pixel hit lands in page_hits, a form submission in form_submissions, an API
 * send in the outbox, the pixel moved to canary and extracted is answered by the
 * tracking service, and a device inside a 5 % canary takes the new path. Then
 * what a second start and `HOST` change.
 */
import { once, EventEmitter } from 'node:events';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { connect, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { createLogger } from '../gateway/src/observability/logger.ts';
import { bucketOf } from '../gateway/src/pipeline/bucket.ts';
import { openDb } from '../legacy-adapter/src/db/open.ts';
import type { Db } from '../legacy-adapter/src/db/types.ts';
import { readEml } from '../legacy-adapter/src/mail/read-eml.ts';
import { startLocalStack, type LocalStack } from './local-stack.ts';
import { stackSummary } from './stack-summary.ts';

const quiet = { logger: pino({ level: 'silent' }), standinLog: { notice: () => {}, error: () => {} }, trackingLog: { notice: () => {}, error: () => {}, lost: () => {} } };

/** The gateway's log lines, parsed, and a way to wait for one request's line. */
function capturedLogs() {
  const lines: Record<string, unknown>[] = [];
  const seen = new EventEmitter();
  const logger = createLogger('info', {
    write(chunk: string) {
      for (const text of chunk.split('\n').filter(Boolean)) lines.push(JSON.parse(text) as Record<string, unknown>);
      seen.emit('line');
    },
  });
  const requestLine = async (requestId: string): Promise<Record<string, unknown>> => {
    for (;;) {
      const line = lines.find((l) => l.msg === 'request' && l.requestId === requestId);
      if (line) return line;
      await once(seen, 'line');
    }
  };
  /** The decision line of the last request of `route`. */
  const lastOf = (route: string): Record<string, unknown> | undefined => lines.filter((l) => l.msg === 'request' && l.route === route).at(-1);
  return { logger, requestLine, lastOf };
}

/** The device id README § Try it step 5 uses: its bucket is inside a 5 % canary. */
const CANARY_DEVICE = 'canary-visitor-9';
/** The device id README § Try it step 7 uses: its bucket in the form journey (464) is inside a 5 % canary. */
const FORM_CANARY_DEVICE = 'form-visitor-7';

describe('npm start: the local stack (README § Try it)', () => {
  let dir: string;
  let stack: LocalStack;
  let db: Db;

  const logs = capturedLogs();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'strangler-stack-'));
    stack = await startLocalStack(
      { PORT: '0', ADMIN_PORT: '0', STANDIN_PORT: '0', TRACKING_PORT: '0', FORMS_PORT: '0', SENDING_PORT: '0', DATABASE_URL: `sqlite:${join(dir, 'stack.sqlite')}`, STRANGLER_OUTBOX_DIR: join(dir, 'outbox') },
      { ...quiet, logger: logs.logger },
    );
    db = await openDb(`sqlite:${join(dir, 'stack.sqlite')}`);
  });

  afterAll(async () => {
    await db?.close();
    await stack?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('seeds an empty database, generates an admin token and prints both', () => {
    expect(stack.seeded).toMatchObject({ tenant: 'default', created: true });
    expect(stack.adminToken).toMatch(/^[0-9a-f]{48}$/);
    const summary = stackSummary(stack);
    expect(summary).toContain('seeded API user    api / strangler-api-password   (tenant "default", seeded now)');
    expect(summary).toContain(`export ADMIN_TOKEN=${stack.adminToken}`);
  });

  it('serves the tracking pixel through the gateway and records the hit (docs/mautic/public-http.md §3.2, §2.6)', async () => {
    const res = await fetch(`${stack.gateway.publicUrl}/mtracking.gif?page_url=${encodeURIComponent('https://example.com/pricing')}`, {
      headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/gif');
    expect(Buffer.from(await res.arrayBuffer()).toString('hex')).toBe(
      '47494638396101000100900000ff000000000021f90405100000002c00000000010001000002020401003b',
    );
    const hits = await db.query('SELECT url FROM page_hits WHERE url = ?', ['https://example.com/pricing']);
    expect(hits).toHaveLength(1);
  });

  it('moves the pixel to canary and to extracted: the tracking service answers and writes the hit (README § Try it, step 4)', async () => {
    const browser = { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0' };
    for (const [mode, page] of [['canary', 'https://example.com/canary'], ['extracted', 'https://example.com/extracted']] as const) {
      const flag = await fetch(`${stack.gateway.adminUrl}/admin/flags/tracking.pixel`, {
        method: 'PUT', body: JSON.stringify({ mode, ...(mode === 'canary' ? { percent: 100 } : {}), why: 'local stack test' }),
        headers: { authorization: `Bearer ${stack.adminToken}`, 'content-type': 'application/json' },
      });
      expect(flag.status).toBe(200);
      const res = await fetch(`${stack.gateway.publicUrl}/mtracking.gif?page_url=${encodeURIComponent(page)}`, { headers: browser });
      expect([res.status, res.headers.get('content-type')]).toEqual([200, 'image/gif']);
      expect(await db.query('SELECT lead_id FROM page_hits WHERE url = ?', [page])).toEqual([{ lead_id: expect.any(Number) }]);
      expect(logs.lastOf('tracking.pixel')).toMatchObject({ mode, upstream: 'tracking', status: 200 });
    }
    const ready = await fetch(`${stack.tracking!.url}/readyz`);
    expect(ready.status).toBe(200);
  });

  it('accepts a form submission through the gateway and stores it (§4.2, §4.5)', async () => {
    const formId = stack.seeded!.forms.contactUs.id;
    const body = new URLSearchParams({
      'mauticform[formId]': String(formId),
      'mauticform[email]': 'newcomer@example.com',
      'mauticform[firstname]': 'Nia',
      'mauticform[f_message]': 'Hello',
    });
    const res = await fetch(`${stack.gateway.publicUrl}/form/submit?ajax=1&formId=${formId}`, {
      method: 'POST',
      body,
      headers: { 'x-requested-with': 'XMLHttpRequest' },
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { success: number }).success).toBe(1);
    const rows = await db.query('SELECT id FROM form_submissions WHERE form_id = ?', [formId]);
    expect(rows.length).toBeGreaterThanOrEqual(1);
    const leads = await db.query('SELECT id FROM leads WHERE email = ?', ['newcomer@example.com']);
    expect(leads).toHaveLength(1);
  });

  it('moves form submissions to a 5 % canary, then to extracted: the forms service answers and stores the submission (README § Try it, steps 7–8)', async () => {
    const formId = stack.seeded!.forms.contactUs.id;
    const canary = await fetch(`${stack.gateway.adminUrl}/admin/flags/forms.submit`, {
      method: 'PUT', body: JSON.stringify({ mode: 'canary', percent: 5, why: 'first form ramp' }),
      headers: { authorization: `Bearer ${stack.adminToken}`, 'content-type': 'application/json' },
    });
    expect(canary.status).toBe(200);
    for (const [requestId, cookie, email] of [['try-it-form-out', undefined, 'outside@example.com'], ['try-it-form-in', `mautic_device_id=${FORM_CANARY_DEVICE}`, 'inside@example.com']] as const) {
      const post = new URLSearchParams({ 'mauticform[formId]': String(formId), 'mauticform[email]': email });
      const res = await fetch(`${stack.gateway.publicUrl}/form/submit?ajax=1`, { method: 'POST', body: post, headers: { 'x-request-id': requestId, ...(cookie ? { cookie } : {}) } });
      expect([res.status, ((await res.json()) as { success: number }).success]).toEqual([200, 1]);
    }
    expect(await logs.requestLine('try-it-form-out')).toMatchObject({ route: 'forms.submit', mode: 'canary', reason: 'bucket-out', bucket: 4214, upstream: 'legacy' });
    expect(await logs.requestLine('try-it-form-in')).toMatchObject({ route: 'forms.submit', mode: 'canary', reason: 'bucket', bucket: 464, upstream: 'forms', status: 200 });
    expect(await db.query('SELECT email FROM leads WHERE email IN (?, ?) ORDER BY email', ['inside@example.com', 'outside@example.com'])).toEqual([{ email: 'inside@example.com' }, { email: 'outside@example.com' }]);

    const flag = await fetch(`${stack.gateway.adminUrl}/admin/flags/forms.submit`, {
      method: 'PUT', body: JSON.stringify({ mode: 'extracted', why: 'local stack test' }),
      headers: { authorization: `Bearer ${stack.adminToken}`, 'content-type': 'application/json' },
    });
    expect(flag.status).toBe(200);
    const body = new URLSearchParams({ 'mauticform[formId]': String(formId), 'mauticform[email]': 'moved@example.com' });
    const res = await fetch(`${stack.gateway.publicUrl}/form/submit?ajax=1`, { method: 'POST', body });
    expect([res.status, ((await res.json()) as { success: number }).success]).toEqual([200, 1]);
    expect(logs.lastOf('forms.submit')).toMatchObject({ mode: 'extracted', upstream: 'forms', status: 200 });
    expect(await db.query('SELECT email FROM leads WHERE email = ?', ['moved@example.com'])).toEqual([{ email: 'moved@example.com' }]);
    expect((await fetch(`${stack.forms!.url}/readyz`)).status).toBe(200);
  });

  it('sends an email through the API via the gateway into the outbox (§5.3, §5.5)', async () => {
    const seeded = stack.seeded!;
    const auth = Buffer.from(`${seeded.credentials.username}:${seeded.credentials.password}`).toString('base64');
    const res = await fetch(
      `${stack.gateway.publicUrl}/api/emails/${seeded.emailIds.welcome}/contact/${seeded.leadIds[1]}/send`,
      { method: 'POST', headers: { authorization: `Basic ${auth}` } },
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ success: true });
    const files = (await readdir(join(dir, 'outbox'))).filter((f) => f.endsWith('.eml'));
    expect(files).toHaveLength(1);
    const email = readEml(await readFile(join(dir, 'outbox', files[0]!), 'utf8'));
    const [contact] = await db.query<{ email: string }>('SELECT email FROM leads WHERE id = ?', [seeded.leadIds[1]!]);
    expect(email.header('to')).toContain(contact!.email);
    // The pixel and links point at the gateway, because site_url is the gateway's URL (§1.1).
    expect(email.html).toMatch(new RegExp(`src="${stack.gateway.publicUrl}/email/[0-9a-f]+\\.gif"`));
    expect(email.html).toContain(`href="${stack.gateway.publicUrl}/r/`);
  });

  it('sends a device inside a 5 % canary to the tracking service and everyone else to legacy (README steps 4–5)', async () => {
    expect(bucketOf('contact-journey', `device:${CANARY_DEVICE}`)).toBe(23);
    const flag = await fetch(`${stack.gateway.adminUrl}/admin/flags/tracking.pixel`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${stack.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ mode: 'canary', percent: 5, why: 'first ramp' }),
    });
    expect(flag.status).toBe(200);
    const pixel = `${stack.gateway.publicUrl}/mtracking.gif?page_url=${encodeURIComponent('https://example.com/pricing')}`;
    const outside = await fetch(pixel, { headers: { 'x-request-id': 'try-it-no-cookie' } });
    expect(outside.status).toBe(200);
    // No cookie: the key is the client IP, whose bucket (4947) is outside 5 %.
    expect(await logs.requestLine('try-it-no-cookie')).toMatchObject({ mode: 'canary', reason: 'bucket-out', primary: 'legacy', bucket: 4947, upstream: 'legacy' });
    const inside = await fetch(pixel, { headers: { 'x-request-id': 'try-it-canary', cookie: `mautic_device_id=${CANARY_DEVICE}`, 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0' } });
    expect(inside.status).toBe(200);
    expect(inside.headers.get('content-type')).toBe('image/gif');
    expect(await logs.requestLine('try-it-canary')).toMatchObject({
      route: 'tracking.pixel', mode: 'canary', reason: 'bucket', primary: 'tracking', bucket: 23, upstream: 'tracking', status: 200, outcome: 'complete',
    });
  });

  it('moves the contact send to the sending service, whose mail links the tracking service records when clicked (issue #15)', async () => {
    const seeded = stack.seeded!;
    const admin = { authorization: `Bearer ${stack.adminToken}`, 'content-type': 'application/json' };
    for (const route of ['sending.contact', 'tracking.click']) {
      const flag = await fetch(`${stack.gateway.adminUrl}/admin/flags/${route}`, { method: 'PUT', body: JSON.stringify({ mode: 'extracted', why: 'local stack test' }), headers: admin });
      expect(flag.status).toBe(200);
    }
    const auth = Buffer.from(`${seeded.credentials.username}:${seeded.credentials.password}`).toString('base64');
    const res = await fetch(`${stack.gateway.publicUrl}/api/emails/${seeded.emailIds.welcome}/contact/${seeded.leadIds[0]}/send`, { method: 'POST', headers: { authorization: `Basic ${auth}` } });
    expect(await res.json()).toEqual({ success: true });
    expect(logs.lastOf('sending.contact')).toMatchObject({ mode: 'extracted', upstream: 'sending', status: 200 });
    const files = (await readdir(join(dir, 'outbox'))).filter((f) => f.endsWith('.eml')).sort();
    const email = readEml(await readFile(join(dir, 'outbox', files.at(-1)!), 'utf8'));
    const link = new RegExp(`href="(${stack.gateway.publicUrl}/r/[^"]+)"`).exec(email.html)![1]!.replace(/&amp;/g, '&');
    const click = await fetch(link, { redirect: 'manual', headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0' } });
    expect(click.status).toBe(302);
    expect(logs.lastOf('tracking.click')).toMatchObject({ mode: 'extracted', upstream: 'tracking', status: 302 });
    const hits = await db.query<{ lead_id: number; email_id: number }>('SELECT lead_id, email_id FROM page_hits WHERE redirect_id IS NOT NULL ORDER BY id DESC LIMIT 1');
    expect(hits).toEqual([{ lead_id: seeded.leadIds[0], email_id: seeded.emailIds.welcome }]);
  });

  it('a port given explicitly and taken fails at once with EADDRINUSE and that port (only ports it picked for 0 are picked again)', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as AddressInfo).port;
    const dir = await mkdtemp(join(tmpdir(), 'strangler-stack-'));
    try {
      const env = { PORT: '0', ADMIN_PORT: '0', STANDIN_PORT: String(port), TRACKING_PORT: '0', FORMS_PORT: '0', SENDING_PORT: '0', DATABASE_URL: `sqlite:${join(dir, 'stack.sqlite')}`, STRANGLER_OUTBOX_DIR: join(dir, 'outbox') };
      await expect(startLocalStack(env, quiet)).rejects.toMatchObject({ code: 'EADDRINUSE', port });
    } finally {
      await new Promise((resolve) => taken.close(resolve));
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a bad port variable before anything listens, listing it', async () => {
    await expect(startLocalStack({ PORT: 'eighty', STANDIN_PORT: '99999' }, quiet)).rejects.toMatchObject({
      code: 'STACK_CONFIG_INVALID',
      problems: [expect.stringContaining('PORT: must be a port'), expect.stringContaining('STANDIN_PORT: must be a port')],
    });
  });
});

/** True when a TCP connection to host:port is accepted. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const portOf = (url: string): number => Number(new URL(url).port);

describe('npm start again, and HOST', () => {
  let dir: string;
  const env = () => ({ PORT: '0', ADMIN_PORT: '0', STANDIN_PORT: '0', TRACKING_PORT: '0', FORMS_PORT: '0', SENDING_PORT: '0', DATABASE_URL: `sqlite:${join(dir, 'stack.sqlite')}`, STRANGLER_OUTBOX_DIR: join(dir, 'outbox') });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'strangler-restart-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints the seeded API user on every start, with the same ids', async () => {
    const first = await startLocalStack(env(), quiet);
    await first.close();
    const second = await startLocalStack(env(), quiet);
    try {
      expect(second.seeded).toEqual({ ...first.seeded, created: false, leadFieldsCreated: 0 });
      expect(stackSummary(second)).toContain('seeded API user    api / strangler-api-password   (tenant "default", seeded on an earlier start)');
      expect(stackSummary(second)).toContain(`form "Contact us" ${first.seeded!.forms.contactUs.id}`);
    } finally {
      await second.close();
    }
  });

  it('still starts when an earlier seed lost a row, and says which', async () => {
    const db = await openDb(env().DATABASE_URL);
    await db.execute(`UPDATE ${db.table('forms')} SET created_by = NULL WHERE alias = 'newsletter'`);
    await db.close();
    const stack = await startLocalStack(env(), quiet);
    try {
      expect(stack.seeded).toBeNull();
      expect(stackSummary(stack)).toContain('seeded API user    unknown: Tenant "default" was seeded (user api exists) but its form "newsletter" is missing');
      expect((await fetch(`${stack.gateway.publicUrl}/mtracking.gif`)).status).toBe(200);
    } finally {
      await stack.close();
    }
  });

  // 127.0.0.2 is a loopback address too on Linux, but a socket bound to 127.0.0.1 does not answer on it.
  it('binds every port to 127.0.0.1 by default', async () => {
    const stack = await startLocalStack(env(), quiet);
    try {
      for (const url of [stack.gateway.publicUrl, stack.gateway.adminUrl, stack.standin!.url, stack.tracking!.url, stack.forms!.url, stack.sending!.url]) {
        expect(await accepts('127.0.0.1', portOf(url))).toBe(true);
        expect(await accepts('127.0.0.2', portOf(url))).toBe(false);
      }
    } finally {
      await stack.close();
    }
  });

  it('binds every port to HOST when it is set (0.0.0.0 in a container)', async () => {
    const stack = await startLocalStack({ ...env(), HOST: '0.0.0.0' }, quiet);
    try {
      for (const url of [stack.gateway.publicUrl, stack.gateway.adminUrl, stack.standin!.url, stack.tracking!.url, stack.forms!.url, stack.sending!.url]) expect(await accepts('127.0.0.2', portOf(url))).toBe(true);
    } finally {
      await stack.close();
    }
  });
});
