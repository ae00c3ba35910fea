/**
 * catalogue.match on what a real node:http server hands over as req.method and
 * req.url, with request lines written byte for byte on a socket (fetch would
 * normalise `//`, `..`, `\` and absolute-form away before they reach the server).
 */
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { loadCatalogue } from './compile.ts';

const catalogue = loadCatalogue();

interface Answer {
  readonly status: number;
  readonly route?: string;
  readonly unmatched?: string;
  readonly params?: Record<string, string>;
}

/** A server that answers with the match of each request as JSON. */
function startServer(options: http.ServerOptions = {}): Promise<http.Server> {
  const server = http.createServer(options, (req, res) => {
    const match = catalogue.match(req.method ?? '', req.url ?? '');
    const body = JSON.stringify({ route: match.route.id, unmatched: match.unmatched, params: match.params });
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), connection: 'close' });
      res.end(body);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Writes one raw request and reads the whole answer until the server closes. */
function send(server: http.Server, requestLine: Buffer | string, body = ''): Promise<Answer> {
  const { port } = server.address() as AddressInfo;
  const head = Buffer.concat([
    Buffer.isBuffer(requestLine) ? requestLine : Buffer.from(requestLine, 'latin1'),
    Buffer.from(`\r\nHost: mautic.example\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`, 'latin1'),
  ]);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = net.connect(port, '127.0.0.1', () => socket.end(head));
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      try {
        resolve(parseAnswer(Buffer.concat(chunks).toString('utf8')));
      } catch (error) {
        reject(error as Error);
      }
    });
  });
}

/** A request line short enough for a test title. */
function shorten(line: string): string {
  return line.length <= 80 ? line : `${line.slice(0, 40)}… (${line.length} characters)`;
}

function parseAnswer(text: string): Answer {
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1]);
  const payload = text.slice(text.indexOf('\r\n\r\n') + 4);
  return status === 200 ? { status, ...(JSON.parse(payload) as object) } : { status };
}

describe('catalogue.match behind a real node:http server', () => {
  let server: http.Server;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it.each(([
    ['GET /mtracking.gif?page_url=https%3A%2F%2Fexample.com HTTP/1.1', 'tracking.pixel', undefined],
    ['POST /form/submit?formId=3 HTTP/1.1', 'forms.submit', undefined],
    ['GET /form/submit HTTP/1.1', 'legacy.default', 'method-not-allowed'],
    ['POST /api/emails/5/contact/7/send HTTP/1.1', 'sending.contact', undefined],
    ['GET /mtracking%2Egif HTTP/1.1', 'tracking.pixel', undefined],
    ['GET //mtracking.gif HTTP/1.1', 'legacy.default', 'empty-segment'],
    ['GET /r/../s/login HTTP/1.1', 'legacy.default', 'dot-segment'],
    ['GET /r/a%2Fb HTTP/1.1', 'legacy.default', 'ambiguous-escape'],
    ['GET /r/a\\b HTTP/1.1', 'legacy.default', 'invalid-character'],
    ['GET /r/a#b HTTP/1.1', 'legacy.default', 'invalid-character'],
    ['GET /index.php/mtracking.gif HTTP/1.1', 'legacy.default', 'index-php'],
    ['GET /mtc/event/ HTTP/1.1', 'legacy.default', 'trailing-slash'],
    ['GET http://mautic.example/mtracking.gif HTTP/1.1', 'legacy.default', 'not-origin-form'],
    ['OPTIONS * HTTP/1.1', 'legacy.default', 'not-origin-form'],
    [`GET /r/${'a'.repeat(9000)} HTTP/1.1`, 'legacy.default', 'path-too-long'],
  ] as const).map(([line, route, unmatched]) => [shorten(line), route, line, unmatched] as const))('%s → %s', async (_label, route, requestLine, unmatched) => {
    const answer = await send(server, requestLine, requestLine.startsWith('POST') ? 'a=1' : '');
    expect(answer).toMatchObject({ status: 200, route });
    expect(answer.unmatched).toBe(unmatched);
  });

  it('returns params decoded from what came over the wire', async () => {
    const answer = await send(server, 'GET /email/unsubscribe/h1/jo%40example.com/ff00 HTTP/1.1');
    expect(answer.params).toEqual({ idHash: 'h1', urlEmail: 'jo@example.com', secretHash: 'ff00' });
  });

  // request-target.ts still refuses such bytes (match.test.ts), in case a future parser lets them through.
  it('never sees raw non-ASCII or lower-case methods: node:http answers 400 first', async () => {
    expect((await send(server, Buffer.from('GET /r/caf\xC3\xA9 HTTP/1.1', 'latin1'))).status).toBe(400);
    expect((await send(server, 'get /mtc.js HTTP/1.1')).status).toBe(400);
  });
});
