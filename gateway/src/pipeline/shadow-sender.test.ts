/**
 * The shadow sender's cap per target (shadow-sender.ts): a target whose copies miss their
 * deadline gets fewer copies, one answering in time gets them back. Real HTTP targets on
 * 127.0.0.1 and the gateway's own upstream client.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createUpstream } from '../upstream/client.ts';
import { createShadowSender, type ShadowCopy, type ShadowSender } from './shadow-sender.ts';

/** A target that holds every request while `hold` is true, and otherwise answers at once. */
async function startTarget(): Promise<{ url: string; server: Server; hold: boolean }> {
  const target = { url: '', server: createServer(), hold: true };
  target.server.on('request', (req, res) => {
    req.resume();
    if (!target.hold) res.end('GIF');
  });
  await new Promise<void>((resolve) => target.server.listen(0, '127.0.0.1', resolve));
  target.url = `http://127.0.0.1:${(target.server.address() as AddressInfo).port}`;
  return target;
}

const copyTo = (url: string): ShadowCopy => ({ upstream: 'tracking', url, request: { method: 'GET', path: '/mtracking.gif', headers: [], body: null } });

describe('the shadow sender', () => {
  let sender: ShadowSender;
  let slow: Awaited<ReturnType<typeof startTarget>>;
  let other: Awaited<ReturnType<typeof startTarget>>;

  beforeEach(async () => {
    [slow, other] = await Promise.all([startTarget(), startTarget()]);
    sender = createShadowSender({ settings: { deadlineMs: 100, maxInFlight: 8, connections: 8 }, captureBodyBytes: 1024, connectTimeoutMs: () => 1_000, create: createUpstream });
  });

  afterEach(async () => {
    await sender.close();
    for (const t of [slow, other]) {
      t.server.closeAllConnections();
      await new Promise((resolve) => t.server.close(resolve));
    }
  });

  it('halves a target\'s share of the cap with each copy past its deadline, down to one copy in flight, and leaves other targets theirs', async () => {
    const first = await Promise.all(Array.from({ length: 8 }, () => sender.send(copyTo(slow.url))));
    expect(first.map((r) => (r.kind === 'skipped' ? r.reason : r.kind))).toEqual(Array(8).fill('deadline-passed'));
    const held = sender.send(copyTo(slow.url));
    expect(sender.hasRoom(slow.url)).toBe(false);
    expect(await sender.send(copyTo(slow.url))).toEqual({ kind: 'skipped', reason: 'cap-full' });
    expect(sender.hasRoom(other.url)).toBe(true);
    expect(await held).toEqual({ kind: 'skipped', reason: 'deadline-passed' });
  });

  it('gives a target one more copy in flight for each copy answered in time, up to the whole cap', async () => {
    await Promise.all(Array.from({ length: 8 }, () => sender.send(copyTo(slow.url))));
    slow.hold = false;
    // One in flight at a time until answers come back: room 1 → 2 → 3.
    expect((await sender.send(copyTo(slow.url))).kind).toBe('answer');
    expect((await sender.send(copyTo(slow.url))).kind).toBe('answer');
    const three = await Promise.all([1, 2, 3].map(() => sender.send(copyTo(slow.url))));
    expect(three.map((r) => r.kind)).toEqual(['answer', 'answer', 'answer']);
    // Room 6 now: a seventh copy at once finds it full.
    const seven = await Promise.all(Array.from({ length: 7 }, () => sender.send(copyTo(slow.url))));
    expect(seven.map((r) => (r.kind === 'skipped' ? r.reason : r.kind))).toEqual([...Array(6).fill('answer'), 'cap-full']);
    // Room 12, bounded by the cap of 8.
    const nine = await Promise.all(Array.from({ length: 9 }, () => sender.send(copyTo(slow.url))));
    expect(nine.map((r) => (r.kind === 'skipped' ? r.reason : r.kind))).toEqual([...Array(8).fill('answer'), 'cap-full']);
  });
});
