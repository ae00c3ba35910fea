import { ipMauticRecords, ipSpoofingRisks } from '../../../legacy-adapter/src/forwarding/legacy-forwarding.ts';
import type { IncomingHttpHeaders } from 'node:http';
import { buildForwardHeaders, responseHeaderList } from './forward-headers.ts';
import type { ForwardContext, IncomingHeaderInput } from './forward-headers.ts';

const ctx: ForwardContext = { forwardedFor: ['203.0.113.7'], proto: 'https', requestId: 'req-1', upstream: 'legacy', host: 'mautic.example.com' };

describe('buildForwardHeaders', () => {
  it.each<[string, IncomingHeaderInput, Partial<ForwardContext>, Record<string, string | string[] | undefined>]>([
    ['keeps ordinary fields and sets the forwarding fields',
      { host: 'mautic.example.com', accept: 'image/gif', cookie: 'mtc_id=5' }, {},
      { accept: 'image/gif', cookie: 'mtc_id=5', host: 'mautic.example.com', 'x-forwarded-for': '203.0.113.7',
        'x-forwarded-proto': 'https', 'x-forwarded-host': 'mautic.example.com', 'x-request-id': 'req-1' }],
    ['removes every hop-by-hop field (RFC 9110 §7.6.1)',
      { connection: 'keep-alive', 'keep-alive': 'timeout=5', 'proxy-connection': 'keep-alive', te: 'trailers',
        trailer: 'x-sum', 'transfer-encoding': 'chunked', upgrade: 'websocket', 'http2-settings': 'AAA', accept: '*/*' }, {},
      { connection: undefined, 'keep-alive': undefined, 'proxy-connection': undefined, te: undefined, trailer: undefined,
        'transfer-encoding': undefined, upgrade: undefined, 'http2-settings': undefined, accept: '*/*' }],
    ['removes the fields named in Connection, but not framing ones',
      { connection: 'close, X-Secret , content-length, host', 'x-secret': 's', 'content-length': '3', 'x-kept': 'k' }, {},
      { 'x-secret': undefined, 'content-length': '3', host: 'mautic.example.com', 'x-kept': 'k' }],
    ['removes Proxy-Authorization and Expect',
      { 'proxy-authorization': 'Basic eDp5', expect: '100-continue', authorization: 'Basic YTpi' }, {},
      { 'proxy-authorization': undefined, expect: undefined, authorization: 'Basic YTpi' }],
    ['strips every incoming X-Strangler-* field (docs/architecture.md §5)',
      { 'x-strangler-mode': 'shadow', 'X-Strangler-Dry-Run': '1', 'x-strangler-anything': 'x', 'x-stranglerish': 'kept' }, {},
      { 'x-strangler-mode': undefined, 'x-strangler-dry-run': undefined, 'x-strangler-anything': undefined, 'x-stranglerish': 'kept' }],
    ['sends the resolved chain, never the incoming X-Forwarded-For (client-address.ts)',
      { 'x-forwarded-for': '198.51.100.1, 10.0.0.2' }, { forwardedFor: ['198.51.100.9', '10.0.0.2'] },
      { 'x-forwarded-for': '198.51.100.9, 10.0.0.2' }],
    ['drops every client-IP field Mautic reads, so a client cannot choose its recorded IP (docs/mautic/public-http.md §2.4)',
      { 'client-ip': '1.2.3.4', 'x-forwarded': '1.2.3.4', 'x-cluster-client-ip': '1.2.3.4', 'forwarded-for': '1.2.3.4',
        forwarded: 'for=1.2.3.4', 'x-real-ip': '1.2.3.4' }, {},
      { 'client-ip': undefined, 'x-forwarded': undefined, 'x-cluster-client-ip': undefined, 'forwarded-for': undefined,
        forwarded: undefined, 'x-real-ip': undefined, 'x-forwarded-for': '203.0.113.7' }],
    ['keeps an IPv6 client address as is', {}, { forwardedFor: ['2001:db8::1'] }, { 'x-forwarded-for': '2001:db8::1' }],
    ['adds no X-Forwarded-For when the client address is unknown',
      { accept: '*/*', 'x-forwarded-for': '1.2.3.4' }, { forwardedFor: [] }, { 'x-forwarded-for': undefined }],
    ['replaces forged X-Forwarded-Proto, X-Forwarded-Host and X-Request-Id',
      { 'x-forwarded-proto': 'http', 'x-forwarded-host': 'evil.example', 'x-request-id': 'forged' }, { proto: 'http' },
      { 'x-forwarded-proto': 'http', 'x-forwarded-host': 'mautic.example.com', 'x-request-id': 'req-1' }],
    ['gives a new upstream no Host, only X-Forwarded-Host',
      { host: 'mautic.example.com' }, { upstream: 'new' },
      { host: undefined, 'x-forwarded-host': 'mautic.example.com' }],
    ['reads raw pairs, keeping repeated fields and joining Cookie lines',
      ['Host', 'mautic.example.com', 'Accept', 'a', 'X-Multi', '1', 'X-Multi', '2', 'Cookie', 'a=1', 'Cookie', 'b=2',
        'X-Forwarded-For', '198.51.100.1', 'X-Forwarded-For', '198.51.100.2'], {},
      { accept: 'a', 'x-multi': ['1', '2'], cookie: 'a=1; b=2', host: 'mautic.example.com',
        'x-forwarded-for': '203.0.113.7' }],
  ])('%s', (_name, incoming, override, expected) => {
    const list = buildForwardHeaders(incoming, { ...ctx, ...override });
    const out = asRecord(list);
    for (const [name, value] of Object.entries(expected)) {
      if (value === undefined) expect(out).not.toHaveProperty([name]);
      else expect(out[name]).toEqual(value);
    }
    expect(Object.keys(out).every((name) => name === name.toLowerCase())).toBe(true);
    expect(list.filter((_, i) => i % 2 === 0 && list[i] === 'cookie').length).toBeLessThanOrEqual(1);
  });

  it('does not change its input', () => {
    const incoming: IncomingHttpHeaders = { connection: 'x-a', 'x-a': '1', 'x-forwarded-for': '198.51.100.1' };
    const copy = structuredClone(incoming);
    buildForwardHeaders(incoming, ctx);
    expect(incoming).toEqual(copy);
  });
});

describe('responseHeaderList', () => {
  it.each<[string, string[], string[]]>([
    ['removes hop-by-hop fields and Proxy-Authenticate, in any case',
      ['Connection', 'keep-alive', 'Keep-Alive', 'timeout=5', 'Transfer-Encoding', 'chunked', 'Trailer', 'x', 'Upgrade', 'h2c',
        'Proxy-Authenticate', 'Basic', 'Content-Type', 'image/gif'],
      ['Content-Type', 'image/gif']],
    ['removes fields named in Connection but keeps Content-Length',
      ['Connection', 'x-internal, content-length', 'X-Internal', '1', 'Content-Length', '43'],
      ['Content-Length', '43']],
    ['removes hop-by-hop fields in upper case when Connection names only keep-alive',
      ['CONNECTION', 'Keep-Alive', 'KEEP-ALIVE', 'timeout=5', 'HTTP2-Settings', 'x', 'TE', 'trailers', 'Date', 'Thu'],
      ['Date', 'Thu']],
    ['removes a short field named in Connection next to keep-alive',
      ['Connection', 'keep-alive, X-A', 'X-A', '1', 'X-B', '2'],
      ['X-B', '2']],
    ['keeps every Set-Cookie, in order, and the dry-run confirmation',
      ['Set-Cookie', 'a=1', 'Set-Cookie', 'b=2', 'X-Strangler-Dry-Run', '1', 'Location', '/x'],
      ['Set-Cookie', 'a=1', 'Set-Cookie', 'b=2', 'X-Strangler-Dry-Run', '1', 'Location', '/x']],
  ])('%s', (_name, raw, expected) => {
    expect(responseHeaderList(raw)).toEqual(expected);
  });

  it("appends the gateway's fields, replacing the upstream's of the same name", () => {
    expect(responseHeaderList(['X-Request-Id', 'upstream-id', 'Content-Type', 'text/plain'], ['x-request-id', 'gw-1']))
      .toEqual(['Content-Type', 'text/plain', 'x-request-id', 'gw-1']);
  });

  it("replaces the upstream's field whatever its case", () => {
    expect(responseHeaderList(['X-REQUEST-ID', 'upstream-id', 'Content-Type', 'text/plain'], ['x-request-id', 'gw-1']))
      .toEqual(['Content-Type', 'text/plain', 'x-request-id', 'gw-1']);
  });

  it('leaves its input unchanged', () => {
    const raw = ['Connection', 'x-a', 'X-A', '1', 'Content-Type', 'text/plain'];
    const copy = [...raw];
    responseHeaderList(raw, ['x-request-id', 'r']);
    expect(raw).toEqual(copy);
  });
});

/** The flat list as an object: a repeated field becomes an array. */
function asRecord(list: readonly string[]): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (let i = 0; i + 1 < list.length; i += 2) {
    const name = list[i] as string;
    const value = list[i + 1] as string;
    const existing = out[name];
    out[name] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return out;
}

describe('what Mautic makes of the forwarded headers (docs/mautic/public-http.md §2.4)', () => {
  it('leaves a client no way to choose the IP Mautic records', () => {
    const spoofed = { host: 'mautic.example.com', 'client-ip': '6.6.6.6', 'x-forwarded-for': '6.6.6.6', forwarded: 'for=6.6.6.6', 'x-forwarded': '6.6.6.6' };
    const out = asRecord(buildForwardHeaders(spoofed, { ...ctx, forwardedFor: ['203.0.113.7'] }));
    expect(ipSpoofingRisks(out)).toEqual([]);
    expect(ipMauticRecords(out, '10.0.0.5')).toBe('203.0.113.7');
  });
});
