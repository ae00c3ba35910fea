import { decodeValue, encodeValue } from './redis-keys.ts';

describe('decodeValue', () => {
  it('reads what encodeValue writes', () => {
    for (const value of [{ mode: 'canary', percent: 5 }, { mode: 'extracted', setBy: 'guard' }, { mode: 'legacy' }] as const) {
      expect(decodeValue(encodeValue(value))).toEqual(value);
    }
    expect(decodeValue('')).toBeNull();
  });

  it('applies the mode of a value a newer replica wrote, without the fields it does not know', () => {
    expect(decodeValue('{"mode":"shadow","setBy":"guard","note":"from a later version"}')).toEqual({ mode: 'shadow', setBy: 'guard' });
    expect(decodeValue('{"mode":"canary","percent":20,"setBy":"schedule"}')).toEqual({ mode: 'canary', percent: 20 });
  });

  it('refuses a value whose mode or percent is wrong, saying where', () => {
    expect(String(decodeValue('{"mode":"dark"}'))).toContain('mode: Invalid discriminator value');
    expect(String(decodeValue('{"mode":"canary","percent":150}'))).toContain('percent');
    expect(String(decodeValue('{"mode":"canary"}'))).toContain('percent');
    expect(String(decodeValue('{mode'))).toBe('Error: not JSON');
  });
});
