/**
 * One contract for both diff stores (docs/architecture.md §6: bounded, memory when
 * embedded, Redis in production), then what only Redis can do wrong: be away, hang,
 * or hold an entry that is not ours. Redis tests use a real server and a key prefix
 * of their own.
 */
import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { describeWithRedis, testRedisUrl } from '../../../test-support/services.ts';
import { isGatewayError, type GatewayError } from '../errors.ts';
import type { DiffRecord } from './diff-record.ts';
import type { DiffStore } from './diff-store.ts';
import { createMemoryDiffStore } from './memory-diff-store.ts';
import { createRedisDiffStore, requestPathRedisOptions } from './redis-diff-store.ts';

const CAP = 3;

function record(routeId: string, second: number, status = 500): DiffRecord {
  return {
    routeId,
    tenant: 'default',
    at: new Date(Date.UTC(2026, 11, 3, 8, 0, second)).toISOString(),
    traceId: '0af7651916cd43dd8448eb211c80319c',
    legacy: { status: 200, latencyMs: 12.5 },
    new: { status, latencyMs: 30 },
    differences: [{ path: 'status', legacy: '200', new: String(status) }],
    omitted: 0,
  };
}

/** The fields of a record without its id, to compare with what was added. */
const withoutId = ({ id: _id, ...rest }: { id: string } & DiffRecord): DiffRecord => rest;

interface Harness {
  readonly store: DiffStore;
  readonly errors: GatewayError[];
}

function contract(name: string, make: () => Promise<Harness>, cleanup: () => Promise<void>): void {
  describe(`${name}: the diff store contract`, () => {
    let h: Harness;
    beforeEach(async () => {
      h = await make();
    });
    afterEach(cleanup);

    it('gives back what it was given, with an id that finds it again', async () => {
      await h.store.add(record('tracking.pixel', 1));
      const [stored] = await h.store.list({ routeId: 'tracking.pixel', limit: 10 });
      expect(withoutId(stored!)).toEqual(record('tracking.pixel', 1));
      expect(stored!.id).toMatch(/\S/);
      expect(await h.store.get('tracking.pixel', stored!.id)).toEqual(stored);
    });

    it('lists newest first, across routes or for one, up to the limit', async () => {
      await h.store.add(record('tracking.pixel', 1));
      await h.store.add(record('tracking.event', 3));
      await h.store.add(record('tracking.pixel', 2));
      const all = await h.store.list({ limit: 10 });
      expect(all.map((r) => [r.routeId, r.at.slice(17, 19)])).toEqual([['tracking.event', '03'], ['tracking.pixel', '02'], ['tracking.pixel', '01']]);
      expect((await h.store.list({ limit: 2 })).map((r) => r.at.slice(17, 19))).toEqual(['03', '02']);
      expect((await h.store.list({ routeId: 'tracking.pixel', limit: 10 })).map((r) => r.at.slice(17, 19))).toEqual(['02', '01']);
      expect(await h.store.list({ routeId: 'forms.submit', limit: 10 })).toEqual([]);
      expect(await h.store.list({ limit: 0 })).toEqual([]);
    });

    it('filters by tenant and pages with an offset, newest first; keeps both responses', async () => {
      const responses = {
        legacy: { status: 200, headers: [['content-type', 'application/json']] as [string, string][], bodyEncoding: 'text' as const, body: '{"a":1}', truncated: false },
        new: { status: 500, headers: [] as [string, string][], bodyEncoding: 'base64' as const, body: 'AAE=', truncated: true },
      };
      await h.store.add({ ...record('tracking.pixel', 1), tenant: 'acme' });
      await h.store.add(record('tracking.pixel', 2));
      await h.store.add({ ...record('tracking.event', 3), tenant: 'acme', responses });
      const acme = await h.store.list({ tenant: 'acme', limit: 10 });
      expect(acme.map((r) => [r.routeId, r.at.slice(17, 19)])).toEqual([['tracking.event', '03'], ['tracking.pixel', '01']]);
      expect(acme[0]!.responses).toEqual(responses);
      expect((await h.store.list({ limit: 1, offset: 1 })).map((r) => r.at.slice(17, 19))).toEqual(['02']);
      expect((await h.store.list({ tenant: 'acme', routeId: 'tracking.pixel', limit: 5, offset: 1 }))).toEqual([]);
      expect((await h.store.list({ tenant: 'nobody', limit: 5 }))).toEqual([]);
    });

    it(`keeps the newest ${CAP} records of a route, without touching other routes`, async () => {
      for (let s = 1; s <= CAP + 3; s += 1) await h.store.add(record('tracking.pixel', s));
      await h.store.add(record('tracking.event', 0));
      const pixel = await h.store.list({ routeId: 'tracking.pixel', limit: 100 });
      expect(pixel.map((r) => r.at.slice(17, 19))).toEqual(['06', '05', '04']);
      expect(await h.store.list({ routeId: 'tracking.event', limit: 100 })).toHaveLength(1);
      expect(new Set(pixel.map((r) => r.id)).size).toBe(CAP);
    });

    it('finds nothing for an unknown id, a malformed id, or an id of another route', async () => {
      await h.store.add(record('tracking.pixel', 1));
      const [stored] = await h.store.list({ limit: 1 });
      expect(await h.store.get('tracking.pixel', '999999-0')).toBeUndefined();
      expect(await h.store.get('tracking.pixel', 'not an id')).toBeUndefined();
      expect(await h.store.get('tracking.event', stored!.id)).toBeUndefined();
      expect(h.store.dropped()).toBe(0);
      expect(h.errors).toEqual([]);
    });
  });
}

// --- memory ------------------------------------------------------------------------------------

contract('memory', async () => {
  const errors: GatewayError[] = [];
  return { store: createMemoryDiffStore({ maxRecordsPerRoute: CAP, onError: (e) => errors.push(e) }), errors };
}, async () => {});

// --- Redis -------------------------------------------------------------------------------------

let redis: Redis | undefined;
let prefix = '';

async function connect(): Promise<Redis> {
  const client = new Redis(testRedisUrl!, requestPathRedisOptions(500));
  await once(client, 'ready');
  return client;
}

async function dropKeys(): Promise<void> {
  if (!redis) return;
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
  redis = undefined;
}

describeWithRedis('diff stores', () => {
  contract('redis', async () => {
    redis = await connect();
    prefix = `strangler:test:diffs:${randomUUID()}:`;
    const errors: GatewayError[] = [];
    return { store: createRedisDiffStore({ redis, keyPrefix: prefix, maxRecordsPerRoute: CAP, onError: (e) => errors.push(e) }), errors };
  }, dropKeys);

  describe('redis: what only Redis can do wrong', () => {
    afterEach(dropKeys);

    it('keeps every key under its prefix: one capped stream per route and the set of routes', async () => {
      redis = await connect();
      prefix = `strangler:test:diffs:${randomUUID()}:`;
      const store = createRedisDiffStore({ redis, keyPrefix: prefix, maxRecordsPerRoute: CAP });
      for (let s = 1; s <= CAP + 2; s += 1) await store.add(record('tracking.pixel', s));
      expect((await redis.keys(`${prefix}*`)).sort()).toEqual([`${prefix}route:tracking.pixel`, `${prefix}routes`]);
      expect(await redis.xlen(`${prefix}route:tracking.pixel`)).toBe(CAP);
    });

    it('skips and reports an entry that is not a diff record, and serves the others', async () => {
      redis = await connect();
      prefix = `strangler:test:diffs:${randomUUID()}:`;
      const errors: GatewayError[] = [];
      const store = createRedisDiffStore({ redis, keyPrefix: prefix, maxRecordsPerRoute: CAP, onError: (e) => errors.push(e) });
      await store.add(record('tracking.pixel', 1));
      const bad = await redis.xadd(`${prefix}route:tracking.pixel`, '*', 'record', '{"routeId":"tracking.pixel","at":"yesterday"}');
      const list = await store.list({ routeId: 'tracking.pixel', limit: 10 });
      expect(list.map(withoutId)).toEqual([record('tracking.pixel', 1)]);
      expect(await store.get('tracking.pixel', bad!)).toBeUndefined();
      expect(errors.map((e) => [e.code, e.message.startsWith(`Diff record ${bad} of route tracking.pixel is invalid`)])).toEqual([
        ['GW_ERR_DIFF_RECORD_INVALID', true], ['GW_ERR_DIFF_RECORD_INVALID', true]]);
    });
  });
});

describe('redis diff store without a Redis', () => {
  let server: Server | undefined;
  const sockets = new Set<Socket>();
  let client: Redis | undefined;
  afterEach(async () => {
    client?.disconnect();
    client = undefined;
    for (const s of sockets) s.destroy();
    if (server) await new Promise((resolve) => server!.close(resolve));
    server = undefined;
  });

  it('drops and counts records while Redis is down, and list fails with GW_ERR_DIFF_STORE_UNAVAILABLE', async () => {
    server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server!.close(resolve));
    server = undefined;
    client = new Redis({ host: '127.0.0.1', port, ...requestPathRedisOptions(200), retryStrategy: () => 50 });
    const errors: GatewayError[] = [];
    const store = createRedisDiffStore({ redis: client, keyPrefix: 'x:', maxRecordsPerRoute: CAP, onError: (e) => errors.push(e) });
    await expect(store.add(record('tracking.pixel', 1))).resolves.toBeUndefined();
    await store.add(record('tracking.pixel', 2));
    expect(store.dropped()).toBe(2);
    expect(errors.map((e) => e.code)).toEqual(['GW_ERR_DIFF_STORE_UNAVAILABLE', 'GW_ERR_DIFF_STORE_UNAVAILABLE']);
    const failure = await store.list({ limit: 10 }).catch((e: unknown) => e);
    expect(isGatewayError(failure) && failure.code).toBe('GW_ERR_DIFF_STORE_UNAVAILABLE');
  });

  it('drops a record when a connected Redis does not answer within the command timeout', async () => {
    // Speaks the connection handshake (HELLO refused, so RESP2; CLIENT SETINFO), then answers nothing.
    server = createServer((socket) => {
      sockets.add(socket);
      socket.on('data', (data: Buffer) => {
        for (const [, command] of data.toString().matchAll(/\*\d+\r\n\$\d+\r\n([A-Za-z]+)\r\n/g)) {
          if (/^hello$/i.test(command!)) socket.write('-NOPROTO unsupported protocol version\r\n');
          else if (/^client$/i.test(command!)) socket.write('+OK\r\n');
        }
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as { port: number };
    client = new Redis({ host: '127.0.0.1', port, ...requestPathRedisOptions(100), enableReadyCheck: false });
    await once(client, 'ready');
    const errors: GatewayError[] = [];
    const store = createRedisDiffStore({ redis: client, keyPrefix: 'x:', maxRecordsPerRoute: CAP, onError: (e) => errors.push(e) });
    await store.add(record('tracking.pixel', 1));
    expect(store.dropped()).toBe(1);
    expect(errors[0]?.code).toBe('GW_ERR_DIFF_STORE_UNAVAILABLE');
    expect(errors[0]?.message).toMatch(/timed out/i);
  });
});
