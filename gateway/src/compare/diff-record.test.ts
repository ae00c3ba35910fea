/**
 * Diff records: built redacted and bounded (docs/architecture.md §6), and a body
 * capture that keeps at most its bound, fed by a real HTTP response.
 */
import { once } from 'node:events';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import { buildDiffRecord, diffRecordSchema } from './diff-record.ts';
import { captureBody } from './capture.ts';

const CONTEXT = {
  routeId: 'forms.submit-ajax',
  tenant: 'acme',
  at: new Date('2026-12-03T08:00:00.250Z'),
  traceId: '0af7651916cd43dd8448eb211c80319c',
  legacy: { status: 200, latencyMs: 41.5 },
  new: { status: 200, latencyMs: 12 },
};

describe('buildDiffRecord', () => {
  it('keeps route, tenant, time, trace id, both sides, and the differences redacted', () => {
    const record = buildDiffRecord(CONTEXT, {
      differences: [
        { path: 'body.results.email', legacy: '"nia@example.com"', new: '"nia@example.org"' },
        { path: 'body.successMessage', legacy: '"Thanks, sent from 203.0.113.9"', new: '"Thanks"' },
        { path: 'status', legacy: '200', new: '500' },
      ],
      omitted: 4,
    }, { maxValueChars: 512 });
    expect(record).toEqual({
      routeId: 'forms.submit-ajax',
      tenant: 'acme',
      at: '2026-12-03T08:00:00.250Z',
      traceId: '0af7651916cd43dd8448eb211c80319c',
      legacy: { status: 200, latencyMs: 41.5 },
      new: { status: 200, latencyMs: 12 },
      differences: [
        { path: 'body.results.email', legacy: '[redacted]', new: '[redacted]' },
        { path: 'body.successMessage', legacy: '"Thanks, sent from [ip]"', new: '"Thanks"' },
        { path: 'status', legacy: '200', new: '500' },
      ],
      omitted: 4,
    });
    expect(diffRecordSchema.safeParse(record).success).toBe(true);
  });

  it('cuts every value to maxValueChars after redaction', () => {
    const record = buildDiffRecord(CONTEXT, { differences: [{ path: 'body.html[3]', legacy: 'x'.repeat(100), new: null }], omitted: 0 }, { maxValueChars: 16 });
    expect(record.differences[0]).toEqual({ path: 'body.html[3]', legacy: `${'x'.repeat(16)}…`, new: null });
  });

  it('refuses a record of another shape when read back', () => {
    const bad = { ...buildDiffRecord(CONTEXT, { differences: [], omitted: 0 }, { maxValueChars: 16 }), traceId: 'not-a-trace' };
    expect(diffRecordSchema.safeParse(bad).error?.issues[0]?.path).toEqual(['traceId']);
  });
});

describe('captureBody', () => {
  let server: Server | undefined;
  afterEach(async () => {
    if (server) await new Promise((resolve) => server!.close(resolve));
    server = undefined;
  });

  async function capture(chunks: readonly string[], limit: number) {
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      for (const c of chunks) res.write(c);
      res.end();
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as { port: number };
    const req = request({ host: '127.0.0.1', port, agent: false });
    req.end();
    const [res] = (await once(req, 'response')) as [IncomingMessage];
    const sink = captureBody(res.statusCode!, res.rawHeaders, limit);
    res.on('data', (chunk: Buffer) => sink.write(chunk));
    await once(res, 'end');
    sink.end();
    return sink.result()!;
  }

  it('keeps a body within the bound whole', async () => {
    const got = await capture(['abc', 'def'], 6);
    expect([got.status, got.body.toString(), got.truncated]).toEqual([200, 'abcdef', false]);
    expect(got.rawHeaders).toContain('text/plain');
  });

  it('keeps the first bytes of a longer body and marks it truncated', async () => {
    const got = await capture(['abc', 'def', 'ghi'], 5);
    expect([got.body.toString(), got.truncated]).toEqual(['abcde', true]);
  });

  it('gives no result after a failure', () => {
    const sink = captureBody(200, [], 10);
    sink.write(Buffer.from('abc'));
    sink.fail(new Error('reset'));
    sink.end();
    expect(sink.result()).toBeUndefined();
    expect(sink.failure()?.message).toBe('reset');
  });
});
