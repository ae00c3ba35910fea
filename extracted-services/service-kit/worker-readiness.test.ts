/** What a worker's /readyz asks: a real Redis and a real SQLite database, and ones that do not answer. */
import { createServer, type Server, type Socket } from 'node:net';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb } from '../../legacy-adapter/src/db/open.ts';
import type { Db } from '../../legacy-adapter/src/db/types.ts';
import { describeWithRedis, testRedisUrl } from '../../test-support/services.ts';
import { databaseReadiness, redisReadiness } from './worker-readiness.ts';

describe('databaseReadiness', () => {
  let dir: string;
  beforeEach(async () => void (dir = await mkdtemp(join(tmpdir(), 'strangler-readiness-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('is ready while the database answers, and says why once it does not', async () => {
    const db = await openDb(`sqlite:${join(dir, 'db.sqlite')}`);
    expect(await databaseReadiness(db)).toBeNull();
    await db.close();
    expect(await databaseReadiness(db)).toMatchObject({ status: 'database-unavailable' });
  });

  it('gives up on a database that never answers, within its second', async () => {
    // A query that never settles: what a database behind a dropped network path does.
    const hung = { query: () => new Promise(() => undefined) } as unknown as Db;
    const started = Date.now();
    expect(await databaseReadiness(hung)).toEqual({ status: 'database-unavailable', code: 'TIMEOUT' });
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});

describe('redisReadiness, nothing listening', () => {
  let server: Server;
  const sockets = new Set<Socket>();
  afterEach(() => new Promise<void>((done) => {
    for (const s of sockets) s.destroy();
    server.close(() => done());
  }));

  it('is not ready when Redis refuses or does not answer', async () => {
    // A port that accepts and says nothing: a Redis that hangs.
    server = createServer((socket) => void sockets.add(socket)).listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as { port: number }).port;
    const silent = redisReadiness(`redis://127.0.0.1:${port}`);
    try {
      expect(await silent.check()).toMatchObject({ status: 'redis-unavailable' });
    } finally {
      await silent.close();
    }
  });
});

describeWithRedis('redisReadiness', () => {
  it('is ready while Redis answers PING', async () => {
    const redis = redisReadiness(testRedisUrl!);
    try {
      // The first check, right after start, waits for the connection.
      expect(await redis.check()).toBeNull();
      expect(await redis.check()).toBeNull();
    } finally {
      await redis.close();
    }
  });
});
