/**
 * Raw TCP exchanges with the gateway, for requests no HTTP client would send.
 */
import { connect, type Socket } from 'node:net';

/** A response read off a raw socket. */
export interface RawResponse {
  readonly status: number;
  /** Lower-case header names. */
  readonly headers: Record<string, string>;
  /** The body, decoded as UTF-8. */
  readonly body: string;
  /** Everything received, as latin1. */
  readonly raw: string;
}

/** Opens a connection to `http://host:port` of a base URL. */
export async function openSocket(baseUrl: string): Promise<Socket> {
  const { hostname, port } = new URL(baseUrl);
  const socket = connect(Number(port), hostname);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return socket;
}

/** Collects what the server sends until it closes the connection. */
export function readUntilClose(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    let got = '';
    socket.on('data', (c: Buffer) => (got += c.toString('latin1')));
    // A reset after the answer still leaves the answer readable.
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(got));
  });
}

/** Parses the first response in `raw`. */
export function parseResponse(raw: string): RawResponse {
  const end = raw.indexOf('\r\n\r\n');
  const head = (end === -1 ? raw : raw.slice(0, end)).split('\r\n');
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head[0] ?? '')?.[1] ?? 0);
  const headers: Record<string, string> = {};
  for (const line of head.slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status, headers, body: end === -1 ? '' : Buffer.from(raw.slice(end + 4), 'latin1').toString('utf8'), raw };
}

/** Writes `bytes`, then reads the answer until the server closes. */
export async function rawExchange(baseUrl: string, bytes: string | Buffer): Promise<RawResponse> {
  const socket = await openSocket(baseUrl);
  const done = readUntilClose(socket);
  socket.write(bytes);
  return parseResponse(await done);
}
