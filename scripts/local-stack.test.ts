/**
 * The README's "Try it" walk-through, through the gateway of the real local
 * stack (`npm start` in-process, embedded defaults: SQLite file, outbox folder):
 * a pixel hit lands in page_hits, a form submission in form_submissions, an API
 * send in the outbox.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { openDb } from '../legacy-adapter/src/db/open.ts';
import type { Db } from '../legacy-adapter/src/db/types.ts';
import { readEml } from '../legacy-adapter/src/mail/read-eml.ts';
import { startLocalStack, type LocalStack } from './local-stack.ts';

// The gateway's decision lines, to see which upstream answered.
const decisions: Record<string, unknown>[] = [];
const quiet = { logger: pino({ level: 'info' }, { write: (line: string) => decisions.push(JSON.parse(line) as Record<string, unknown>) }), standinLog: { notice: () => {}, error: () => {} }, trackingLog: { notice: () => {}, error: () => {}, lost: () => {} } };

describe('npm start: the local stack (README § Try it)', () => {
  let dir: string;
  let stack: LocalStack;
  let db: Db;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'strangler-stack-'));
    stack = await startLocalStack(
      { PORT: '0', ADMIN_PORT: '0', STANDIN_PORT: '0', TRACKING_PORT: '0', FORMS_PORT: '0', DATABASE_URL: `sqlite:${join(dir, 'stack.sqlite')}`, STRANGLER_OUTBOX_DIR: join(dir, 'outbox') },
      quiet,
    );
    db = await openDb(`sqlite:${join(dir, 'stack.sqlite')}`);
  });

  afterAll(async () => {
    await db?.close();
    await stack?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('seeds an empty database and generates an admin token', () => {
    expect(stack.seeded?.tenant).toBe('default');
    expect(stack.adminToken).toMatch(/^[0-9a-f]{48}$/);
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
      expect(decisions.filter((d) => d.route === 'tracking.pixel').at(-1)).toMatchObject({ mode, upstream: 'tracking', status: 200 });
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

  it('moves form submissions to extracted: the forms service answers and stores the submission (README § Try it, step 5)', async () => {
    const formId = stack.seeded!.forms.contactUs.id;
    const flag = await fetch(`${stack.gateway.adminUrl}/admin/flags/forms.submit`, {
      method: 'PUT', body: JSON.stringify({ mode: 'extracted', why: 'local stack test' }),
      headers: { authorization: `Bearer ${stack.adminToken}`, 'content-type': 'application/json' },
    });
    expect(flag.status).toBe(200);
    const body = new URLSearchParams({ 'mauticform[formId]': String(formId), 'mauticform[email]': 'moved@example.com' });
    const res = await fetch(`${stack.gateway.publicUrl}/form/submit?ajax=1`, { method: 'POST', body });
    expect([res.status, ((await res.json()) as { success: number }).success]).toEqual([200, 1]);
    expect(decisions.filter((d) => d.route === 'forms.submit').at(-1)).toMatchObject({ mode: 'extracted', upstream: 'forms', status: 200 });
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

  it('refuses a bad port variable before anything listens, listing it', async () => {
    await expect(startLocalStack({ PORT: 'eighty', STANDIN_PORT: '99999' }, quiet)).rejects.toMatchObject({
      code: 'STACK_CONFIG_INVALID',
      problems: [expect.stringContaining('PORT: must be a port'), expect.stringContaining('STANDIN_PORT: must be a port')],
    });
  });
});
