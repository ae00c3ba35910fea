// The recorder: counts every comparison, stores mismatches redacted with both responses, tells listeners.
import { createComparisonRecorder, type ComparisonEvent } from './comparison-recorder.ts';
import { createComparisonStats } from './comparison-stats.ts';
import { createMemoryDiffStore } from './memory-diff-store.ts';
import { recordResponse } from './recorded-response.ts';

function make() {
  const errors: unknown[] = [];
  const recorder = createComparisonRecorder({
    stats: createComparisonStats(), store: createMemoryDiffStore({ maxRecordsPerRoute: 10 }), settings: { maxValueChars: 512, maxStoredBodyChars: 40 },
    onListenerError: (err) => errors.push(err),
  });
  return { recorder, errors };
}

const base = { routeId: 'forms.submit', tenant: 'default', at: new Date('2026-12-03T08:00:00Z'), traceId: null, requestId: 'r-1' };
const sides = { legacy: { status: 200, latencyMs: 10 }, new: { status: 200, latencyMs: 12 } };

describe('comparison recorder', () => {
  it('stores a mismatch with both responses, redacted, and tells every listener; a match only counts', async () => {
    const { recorder } = make();
    const seen: ComparisonEvent[] = [];
    const stop = recorder.onComparison((e) => seen.push(e));
    const legacy = { status: 200, rawHeaders: ['Content-Type', 'application/json', 'Set-Cookie', 'mtc_id=42; path=/'], body: Buffer.from('{"email":"nia@example.com","ok":1}'), truncated: false };
    const shadow = { ...legacy, body: Buffer.from('{"email":"nia@example.com","ok":0}') };
    recorder.settle({ ...base, ...sides, comparison: { outcome: 'mismatch', differences: [{ path: 'body.ok', legacy: '1', new: '0' }], omitted: 0 }, captures: { legacy, new: shadow } });
    recorder.settle({ ...base, ...sides, comparison: { outcome: 'match' } });
    stop();
    recorder.settle({ ...base, comparison: { outcome: 'skipped', reason: 'cap-full' } });
    const [stored] = await recorder.store.list({ limit: 10 });
    expect(stored!.responses).toEqual({
      legacy: { status: 200, headers: [['content-type', 'application/json'], ['set-cookie', 'mtc_id=[redacted]; path=/']], bodyEncoding: 'text', body: '{"email":"[redacted]","ok":1}', truncated: false },
      new: { status: 200, headers: [['content-type', 'application/json'], ['set-cookie', 'mtc_id=[redacted]; path=/']], bodyEncoding: 'text', body: '{"email":"[redacted]","ok":0}', truncated: false },
    });
    expect(await recorder.store.list({ limit: 10 })).toHaveLength(1);
    expect(seen.map((e) => e.comparison.outcome)).toEqual(['mismatch', 'match']);
    expect(seen[0]).not.toHaveProperty('captures');
    const stats = recorder.stats.snapshot()['forms.submit']!;
    expect([stats.matched, stats.mismatched, stats.skipped['cap-full'], stats.latencyMs.new.count]).toEqual([1, 1, 1, 2]);
  });

  it('a listener that throws is reported; the others still hear', () => {
    const { recorder, errors } = make();
    const heard: string[] = [];
    recorder.onComparison(() => {
      throw new Error('boom');
    });
    recorder.onComparison((e) => heard.push(e.comparison.outcome));
    recorder.settle({ ...base, comparison: { outcome: 'match' } });
    expect([heard, errors.map((e) => (e as Error).message)]).toEqual([['match'], ['boom']]);
  });
});

describe('recordResponse', () => {
  it('keeps a binary body as base64 of its first bytes, and says it was cut', () => {
    const gif = Buffer.from('47494638396101000100900000ff00', 'hex');
    expect(recordResponse({ status: 200, rawHeaders: ['Content-Type', 'image/gif'], body: gif, truncated: false }, 6)).toEqual({
      status: 200, headers: [['content-type', 'image/gif']], bodyEncoding: 'base64', body: gif.subarray(0, 6).toString('base64'), truncated: true,
    });
  });

  it('redacts a text body whole before cutting it, so no half email is kept', () => {
    const r = recordResponse({ status: 200, rawHeaders: ['Content-Type', 'text/html'], body: Buffer.from('<p>Thanks nia.long.name@example.com</p>'), truncated: false }, 16);
    expect([r.body, r.truncated]).toEqual(['<p>Thanks [email', true]);
  });
});
