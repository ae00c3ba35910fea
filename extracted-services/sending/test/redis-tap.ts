/**
 * A TCP relay in front of the test Redis that passes everything through except the first
 * client chunk carrying a mail job (`stat-<id>`): it keeps that chunk, forwards nothing more
 * from that connection, and reports it. A service whose enqueue it caught has committed its
 * stats (the enqueue follows the commit) and is waiting on Redis: the moment to kill it.
 */
import { once } from 'node:events';
import { createConnection, createServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';

/** A running relay. */
export interface RedisTap {
  /** `redis://127.0.0.1:<port>`. */
  url: string;
  /** Resolves once a job-carrying chunk was caught. */
  caught: Promise<void>;
  /** Resolves once Redis answered an `INFO` through the relay (a client's ready check). */
  ready: Promise<void>;
  close(): Promise<void>;
}

/** Starts a relay to `redisUrl` on a free port. */
export async function startRedisTap(redisUrl: string): Promise<RedisTap> {
  const target = new URL(redisUrl);
  const sockets = new Set<Socket>();
  let onCaught!: () => void;
  let onReady!: () => void;
  const caught = new Promise<void>((done) => (onCaught = done));
  const ready = new Promise<void>((done) => (onReady = done));
  const server = createServer((client) => {
    const upstream = createConnection({ host: target.hostname, port: Number(target.port || 6379) });
    sockets.add(client).add(upstream);
    let holding = false;
    client.on('data', (chunk: Buffer) => {
      if (holding) return;
      if (chunk.includes('stat-')) {
        holding = true;
        onCaught();
        return;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (chunk.includes('redis_version')) onReady();
      client.write(chunk);
    });
    const end = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `redis://127.0.0.1:${(server.address() as AddressInfo).port}`,
    caught,
    ready,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

/** A server that takes connections and never answers: a Redis that hangs. */
export async function startSilentRedis(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => socket.destroy());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `redis://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}
