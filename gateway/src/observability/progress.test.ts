// The migration's progress per day: memory for one replica, Redis day hashes for the fleet.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { describeWithRedis, testRedisUrl } from '../../../test-support/services.ts';
import { dayOf, ProgressBook } from './progress.ts';

const DAY_MS = 86_400_000;
const T0 = Date.parse('2026-12-03T10:00:00Z');

describe('ProgressBook in memory', () => {
  it('counts per UTC day, tenant and route, newest day first, and keeps keepDays days', async () => {
    let now = T0 - 2 * DAY_MS;
    const book = new ProgressBook(2, null, () => now);
    book.count('acme', 'tracking.pixel', false, false);
    now = T0 - DAY_MS;
    book.count('acme', 'tracking.pixel', true, false);
    now = T0;
    book.count('acme', 'tracking.pixel', true, false);
    book.count('acme', 'tracking.pixel', false, true);
    book.count('default', 'forms.submit', false, false);
    expect(await book.rows({ days: 5 })).toEqual([
      { day: '2026-12-03', tenant: 'acme', route: 'tracking.pixel', total: 2, answeredByNew: 1, fellBack: 1, newShare: 0.5 },
      { day: '2026-12-03', tenant: 'default', route: 'forms.submit', total: 1, answeredByNew: 0, fellBack: 0, newShare: 0 },
      { day: '2026-12-02', tenant: 'acme', route: 'tracking.pixel', total: 1, answeredByNew: 1, fellBack: 0, newShare: 1 },
    ]);
    expect(await book.rows({ days: 1, tenant: 'default' })).toHaveLength(1);
    expect(await book.rows({ days: 5, route: 'nope' })).toEqual([]);
  });

  it('dayOf is the UTC day', () => {
    expect(dayOf(Date.parse('2026-12-03T23:59:59.999Z'))).toBe('2026-12-03');
    expect(dayOf(Date.parse('2026-12-04T00:00:00Z'))).toBe('2026-12-04');
  });
});

describeWithRedis('ProgressBook on Redis', () => {
  const prefix = `strangler-test-progress-${randomBytes(4).toString('hex')}:`;
  let a: Redis;
  let b: Redis;
  afterEach(async () => {
    const keys = await a.keys(`${prefix}*`);
    if (keys.length > 0) await a.del(...keys);
    a.disconnect();
    b.disconnect();
  });

  it('adds every replica\'s counts into one hash per day, read by any replica', async () => {
    a = new Redis(testRedisUrl as string, { enableOfflineQueue: true });
    b = new Redis(testRedisUrl as string, { enableOfflineQueue: true });
    const one = new ProgressBook(7, { client: a, prefix }, () => T0);
    const two = new ProgressBook(7, { client: b, prefix }, () => T0);
    one.count('acme', 'tracking.pixel', true, false);
    one.count('acme', 'tracking.pixel', false, true);
    two.count('acme', 'tracking.pixel', true, false);
    await two.flush();
    // One's counts are flushed by its own read.
    const rows = await one.rows({ days: 1 });
    expect(rows).toEqual([{ day: '2026-12-03', tenant: 'acme', route: 'tracking.pixel', total: 3, answeredByNew: 2, fellBack: 1, newShare: 2 / 3 }]);
    expect(await two.rows({ days: 1 })).toEqual(rows);
    expect(await a.ttl(`${prefix}progress:2026-12-03`)).toBeGreaterThan(7 * 86_400);
    await one.close();
    await two.close();
  });
});
