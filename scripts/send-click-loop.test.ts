/**
 * The whole loop of issue #15 through the real local stack (`npm start` in-process, embedded
 * defaults): with `sending.contact` and `tracking.click` extracted, an API send through the
 * gateway is rendered by the sending service (its deterministic Message-ID says so), and the
 * tracked link in the message, clicked through the gateway, is answered by the tracking
 * service, which records the click against the stat's email and contact
 * (docs/mautic/public-http.md §3.5, §5.5).
 */
import { EventEmitter, once } from 'node:events';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../gateway/src/observability/logger.ts';
import { openDb } from '../legacy-adapter/src/db/open.ts';
import type { Db } from '../legacy-adapter/src/db/types.ts';
import { readEml } from '../legacy-adapter/src/mail/read-eml.ts';
import { startLocalStack, type LocalStack } from './local-stack.ts';

describe('a link from a mail the sending service sent, clicked through the gateway, is recorded by the tracking service', () => {
  let dir: string;
  let stack: LocalStack;
  let db: Db;
  const lines: Record<string, unknown>[] = [];
  const logged = new EventEmitter();

  /** The gateway's decision line of the last request of `route`, once written. */
  async function decisionOf(route: string): Promise<Record<string, unknown>> {
    for (;;) {
      const line = lines.filter((l) => l.msg === 'request' && l.route === route).at(-1);
      if (line) return line;
      await once(logged, 'line');
    }
  }

  async function extract(route: string): Promise<void> {
    const res = await fetch(`${stack.gateway.adminUrl}/admin/flags/${route}`, {
      method: 'PUT', body: JSON.stringify({ mode: 'extracted', why: 'whole loop test' }),
      headers: { authorization: `Bearer ${stack.adminToken}`, 'content-type': 'application/json' },
    });
    expect(res.status).toBe(200);
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'strangler-loop-'));
    const logger = createLogger('info', {
      write(chunk: string) {
        for (const text of chunk.split('\n').filter(Boolean)) lines.push(JSON.parse(text) as Record<string, unknown>);
        logged.emit('line');
      },
    });
    stack = await startLocalStack(
      { PORT: '0', ADMIN_PORT: '0', STANDIN_PORT: '0', TRACKING_PORT: '0', FORMS_PORT: '0', SENDING_PORT: '0', DATABASE_URL: `sqlite:${join(dir, 'stack.sqlite')}`, STRANGLER_OUTBOX_DIR: join(dir, 'outbox') },
      { logger, standinLog: { notice: () => {}, error: () => {} }, trackingLog: { notice: () => {}, error: () => {}, lost: () => {} } },
    );
    db = await openDb(`sqlite:${join(dir, 'stack.sqlite')}`);
  });

  afterAll(async () => {
    await db?.close();
    await stack?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('sends through the sending service and records the click through the tracking service', async () => {
    await extract('sending.contact');
    await extract('tracking.click');
    const seeded = stack.seeded!;
    const contactId = seeded.leadIds[1]!;
    const auth = Buffer.from(`${seeded.credentials.username}:${seeded.credentials.password}`).toString('base64');
    const sent = await fetch(`${stack.gateway.publicUrl}/api/emails/${seeded.emailIds.welcome}/contact/${contactId}/send`, { method: 'POST', headers: { authorization: `Basic ${auth}` } });
    expect([sent.status, await sent.json()]).toEqual([200, { success: true }]);
    expect(await decisionOf('sending.contact')).toMatchObject({ mode: 'extracted', upstream: 'sending', status: 200 });

    const [file] = (await readdir(join(dir, 'outbox'))).filter((f) => f.endsWith('.eml'));
    const message = readEml(await readFile(join(dir, 'outbox', file!), 'utf8'));
    const [stat] = await db.query<{ id: number; tracking_hash: string }>('SELECT id, tracking_hash FROM email_stats WHERE lead_id = ? AND email_id = ?', [contactId, seeded.emailIds.welcome]);
    // Only the sending service derives the Message-ID from the stat (README § Delivery).
    expect(message.header('message-id')).toBe(`<${stat!.id}.${stat!.tracking_hash}@127.0.0.1>`);

    const href = /href="([^"]*\/r\/[0-9a-f]+\?ct=[^"]+)"/.exec(message.html)![1]!.replace(/&amp;/g, '&');
    expect(href.startsWith(`${stack.gateway.publicUrl}/r/`)).toBe(true);
    const redirectId = /\/r\/([0-9a-f]+)\?/.exec(href)![1]!;
    const [redirect] = await db.query<{ id: number; url: string }>('SELECT id, url FROM page_redirects WHERE redirect_id = ?', [redirectId]);
    const click = await fetch(href, { redirect: 'manual', headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0' } });
    expect(click.status).toBe(302);
    expect(click.headers.get('location')).toContain(redirect!.url.split('?')[0]!);
    expect(await decisionOf('tracking.click')).toMatchObject({ mode: 'extracted', upstream: 'tracking', status: 302 });
    expect(await db.query('SELECT email_id, lead_id FROM page_hits WHERE redirect_id = ?', [redirect!.id])).toEqual([{ email_id: seeded.emailIds.welcome, lead_id: contactId }]);
  });
});
