import { readRequestHeads } from './request-heads.ts';

describe('readRequestHeads', () => {
  it('finds the fields whatever their case, and nothing else', () => {
    const heads = readRequestHeads([
      'HOST', 'mautic.example', 'User-Agent', 'curl', 'X-Request-ID', 'abc', 'x-forwarded-for', '198.51.100.1',
      'X-Forwarded-Proto', 'https', 'cookie', 'mtc_id=5', 'Authorization', 'Basic YTpi', 'Content-Length', '12',
      'TraceParent', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', 'TraceState', 'a=1',
    ]);
    expect({ ...heads }).toEqual({
      host: 'mautic.example', requestId: 'abc', xForwardedFor: '198.51.100.1', xForwardedProto: 'https',
      cookie: 'mtc_id=5', authorization: 'Basic YTpi', contentLength: '12', transferEncoding: undefined,
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', tracestate: 'a=1',
    });
  });

  it("combines repeated fields as node's req.headers does", () => {
    const heads = readRequestHeads([
      'Host', 'first.example', 'Host', 'second.example', 'Cookie', 'a=1', 'Cookie', 'b=2',
      'X-Forwarded-For', '198.51.100.1', 'X-Forwarded-For', '10.0.0.2', 'Authorization', 'one', 'Authorization', 'two',
      'X-Request-Id', 'a', 'X-Request-Id', 'b', 'Transfer-Encoding', 'gzip', 'Transfer-Encoding', 'chunked',
    ]);
    expect(heads).toMatchObject({
      host: 'first.example', cookie: 'a=1; b=2', xForwardedFor: '198.51.100.1, 10.0.0.2', authorization: 'one',
      requestId: 'a, b', transferEncoding: 'gzip, chunked',
    });
  });

  it('reads an empty list (HTTP/1.0 without headers) as all undefined', () => {
    expect(Object.values({ ...readRequestHeads([]) }).every((v) => v === undefined)).toBe(true);
  });

  it('does not mistake fields of the same length for the ones it reads', () => {
    // 4, 6, 12, 13, 14, 15 and 17 characters long, none of them read.
    const heads = readRequestHeads(['Date', 'x', 'Accept', 'x', 'Content-Type', 'x', 'Cache-Control', 'x',
      'Accept-Charset', 'x', 'Accept-Encoding', 'x', 'If-Modified-Since', 'x']);
    expect(Object.values({ ...heads }).every((v) => v === undefined)).toBe(true);
  });
});
