import { GatewayError } from '../errors.ts';
import { UpstreamError, classifyUndiciError, isUpstreamFault } from './upstream-error.ts';
import type { UpstreamSide } from './upstream-error.ts';

const coded = (code: string, name = 'Error'): Error => Object.assign(new Error(`failed: ${code}`), { code, name });

describe('classifyUndiciError', () => {
  it.each<[string, Error, boolean, UpstreamSide, boolean]>([
    ['refused', coded('ECONNREFUSED'), false, 'connect', false],
    ['DNS', coded('ENOTFOUND'), false, 'connect', false],
    ['DNS, temporary', coded('EAI_AGAIN'), false, 'connect', false],
    ['connect timeout', coded('UND_ERR_CONNECT_TIMEOUT'), false, 'connect', false],
    ['pool closed', coded('UND_ERR_CLOSED'), false, 'connect', false],
    ['anything before writing', coded('ECONNRESET'), false, 'connect', false],
    ['headers timeout', coded('UND_ERR_HEADERS_TIMEOUT'), true, 'headers-timeout', true],
    ['parser error with code', coded('HPE_INVALID_CONSTANT'), true, 'invalid-response', true],
    ['parser error without code', Object.assign(new Error('bad'), { name: 'HTTPParserError' }), true, 'invalid-response', true],
    ['content-length mismatch', coded('UND_ERR_RES_CONTENT_LENGTH_MISMATCH'), true, 'invalid-response', true],
    ['other side closed', coded('UND_ERR_SOCKET'), true, 'reset', true],
    ['response undici refuses', Object.assign(new Error('bad response'), { code: 'UND_ERR_SOCKET' }), true, 'invalid-response', true],
    ['reset', coded('ECONNRESET'), true, 'reset', true],
    ['broken pipe', coded('EPIPE'), true, 'reset', true],
    ['unknown after writing', new Error('??'), true, 'reset', true],
    ['invalid argument', coded('UND_ERR_INVALID_ARG'), false, 'invalid-request', false],
    ['not supported', coded('UND_ERR_NOT_SUPPORTED'), true, 'invalid-request', false],
  ])('%s', (_name, cause, written, side, delivered) => {
    const err = classifyUndiciError('legacy', cause, written, 250);
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err).toBeInstanceOf(GatewayError);
    expect(err).toMatchObject({ side, delivered, upstream: 'legacy' });
    expect(err.cause).toBe(cause);
  });

  it('passes an UpstreamError through', () => {
    const own = new UpstreamError({ upstream: 'forms', side: 'total-timeout', delivered: true, timeoutMs: 9 });
    expect(classifyUndiciError('legacy', own, true)).toBe(own);
  });

  it('writes the upstream and timeout into the message, and the cause only into the details (logged, never sent)', () => {
    const err = classifyUndiciError('legacy', coded('ECONNREFUSED'), false);
    expect(err.message).toBe('Could not connect to upstream legacy');
    expect(err.details?.cause).toBe('failed: ECONNREFUSED');
    expect(classifyUndiciError('legacy', coded('UND_ERR_HEADERS_TIMEOUT'), true, 250).message)
      .toBe('Upstream legacy sent no response headers within 250 ms');
  });
});

describe('isUpstreamFault', () => {
  it.each<[UpstreamSide, boolean]>([
    ['connect', true], ['headers-timeout', true], ['total-timeout', true], ['reset', true], ['invalid-response', true],
    ['client-aborted', false], ['invalid-request', false],
  ])('%s → %s', (side, expected) => {
    expect(isUpstreamFault(new UpstreamError({ upstream: 'x', side, delivered: true }))).toBe(expected);
  });

  it('is false for anything else', () => {
    expect(isUpstreamFault(new Error('x'))).toBe(false);
    expect(isUpstreamFault(undefined)).toBe(false);
  });
});
