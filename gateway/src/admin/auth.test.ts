import { createHash } from 'node:crypto';
import { loadConfig } from '../config/load.ts';
import { createTokenCheck } from './auth.ts';

const sha256 = (t: string) => createHash('sha256').update(t).digest('hex');
const config = (admin: Record<string, unknown>, env: Record<string, string> = {}) => loadConfig({ STRANGLER_CONFIG: 'c.json', ...env }, () => JSON.stringify({ admin }));

describe('createTokenCheck', () => {
  const check = createTokenCheck(config({
    tokens: [
      { label: 'carol', role: 'viewer', token: 'carol-token-0123456789' },
      { label: 'dave', sha256: sha256('dave-token-0123456789') },
    ],
  }, { ADMIN_TOKEN: 'admin-token-0123456789', ADMIN_VIEWER_TOKEN: 'viewer-token-0123456789' }).admin);

  it.each<[string, string | undefined, object | null]>([
    ['ADMIN_TOKEN: operator "admin"', 'Bearer admin-token-0123456789', { label: 'admin', role: 'operator' }],
    ['ADMIN_VIEWER_TOKEN: viewer "viewer"', 'Bearer viewer-token-0123456789', { label: 'viewer', role: 'viewer' }],
    ['a viewer from admin.tokens', 'Bearer carol-token-0123456789', { label: 'carol', role: 'viewer' }],
    ['a token given by its sha256 (operator by default)', 'bearer  dave-token-0123456789 ', { label: 'dave', role: 'operator' }],
    ['the sha256 itself is not the token', `Bearer ${sha256('dave-token-0123456789')}`, null],
    ['an unknown token', 'Bearer nobody-token-0123456789', null],
    ['no header', undefined, null],
    ['Basic', 'Basic YWRtaW46eA==', null],
  ])('%s', (_name, header, who) => {
    expect(check(header)).toEqual(who);
  });

  it('refuses a token entry with both or neither of token and sha256, and a bad role', () => {
    expect(() => config({ tokens: [{ label: 'x', token: 'x-token-0123456789abc', sha256: sha256('x') }] })).toThrow('admin.tokens[0]: Give exactly one of token and sha256');
    expect(() => config({ tokens: [{ label: 'x' }] })).toThrow('admin.tokens[0]: Give exactly one of token and sha256');
    expect(() => config({ tokens: [{ label: 'x', role: 'root', token: 'x-token-0123456789abc' }] })).toThrow('admin.tokens[0].role');
    expect(() => config({ tokens: [{ label: 'x', sha256: 'ABC' }] })).toThrow('admin.tokens[0].sha256: Invalid sha256');
  });
});
