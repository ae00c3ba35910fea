// The traceparent a shadow copy carries (W3C Trace Context §3.2): the client's when valid, else a new one.
import { traceParentOf } from './trace-context.ts';

const VALID = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('traceParentOf', () => {
  it('keeps a valid incoming traceparent (the header name\'s case is request-heads.test.ts\'s)', () => {
    expect(traceParentOf(VALID)).toEqual({ header: VALID, traceId: '4bf92f3577b34da6a3ce929d0e0e4736' });
    expect(traceParentOf(` ${VALID} `)).toEqual({ header: VALID, traceId: '4bf92f3577b34da6a3ce929d0e0e4736' });
  });

  it.each([
    ['none', undefined],
    ['upper-case hex', VALID.toUpperCase()],
    ['an all-zero trace id', '00-00000000000000000000000000000000-00f067aa0ba902b7-01'],
    ['an all-zero parent id', '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01'],
    ['version ff', 'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'],
    ['garbage', 'not-a-trace'],
  ])('makes a new sampled one for %s', (_name, incoming) => {
    const made = traceParentOf(incoming);
    expect(made.header).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(made.header.split('-')[1]).toBe(made.traceId);
    expect(made.traceId).not.toBe('4bf92f3577b34da6a3ce929d0e0e4736');
  });
});
