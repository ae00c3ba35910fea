import { createTestCatalogue } from '../../test/support/test-catalogue.ts';
import { ERRORS, GatewayError } from '../errors.ts';
import { isValidPercent, validateFlagChange } from './validate-flag.ts';

const catalogue = createTestCatalogue();
const tenants = new Set(['default', 'acme']);

describe('validateFlagChange', () => {
  it.each<[string, string, unknown, string]>([
    ['body not an object', 'tracking.pixel', 'canary', 'GW_ERR_ADMIN_BAD_REQUEST'],
    ['body an array', 'tracking.pixel', [], 'GW_ERR_ADMIN_BAD_REQUEST'],
    ['unknown field', 'tracking.pixel', { mode: 'legacy', colour: 'red' }, 'GW_ERR_ADMIN_BAD_REQUEST'],
    ['unknown route', 'tracking.nope', { mode: 'legacy' }, 'GW_ERR_ADMIN_UNKNOWN_ROUTE'],
    ['unknown mode', 'tracking.pixel', { mode: 'new' }, 'GW_ERR_ADMIN_UNKNOWN_MODE'],
    ['missing mode', 'tracking.pixel', {}, 'GW_ERR_ADMIN_UNKNOWN_MODE'],
    ['canary without percent', 'tracking.pixel', { mode: 'canary' }, 'GW_ERR_ADMIN_BAD_PERCENT'],
    ['percent above 100', 'tracking.pixel', { mode: 'canary', percent: 100.01 }, 'GW_ERR_ADMIN_BAD_PERCENT'],
    ['negative percent', 'tracking.pixel', { mode: 'canary', percent: -1 }, 'GW_ERR_ADMIN_BAD_PERCENT'],
    ['three decimals', 'tracking.pixel', { mode: 'canary', percent: 1.234 }, 'GW_ERR_ADMIN_BAD_PERCENT'],
    ['percent as a string', 'tracking.pixel', { mode: 'canary', percent: '5' }, 'GW_ERR_ADMIN_BAD_PERCENT'],
    ['percent for extracted', 'tracking.pixel', { mode: 'extracted', percent: 5 }, 'GW_ERR_ADMIN_PERCENT_NOT_CANARY'],
    ['canary on a legacy-only route', 'legacy.admin', { mode: 'canary', percent: 5 }, 'GW_ERR_ADMIN_ROUTE_LEGACY_ONLY'],
    ['shadow on the legacy default route', 'legacy.default', { mode: 'shadow' }, 'GW_ERR_ADMIN_ROUTE_LEGACY_ONLY'],
    ['unknown tenant', 'tracking.pixel', { mode: 'extracted', tenant: 'globex' }, 'GW_ERR_ADMIN_UNKNOWN_TENANT'],
    ['tenant not a string', 'tracking.pixel', { mode: 'extracted', tenant: 7 }, 'GW_ERR_ADMIN_BAD_REQUEST'],
    ['why too long', 'tracking.pixel', { mode: 'extracted', why: 'x'.repeat(501) }, 'GW_ERR_ADMIN_BAD_REQUEST'],
  ])('%s → %s', (_name, routeId, body, code) => {
    const result = validateFlagChange(routeId, body, catalogue, tenants);
    expect(result).toBeInstanceOf(GatewayError);
    expect((result as GatewayError).code).toBe(code);
    expect((result as GatewayError).status).toBe(ERRORS[code as keyof typeof ERRORS].status);
    expect((result as GatewayError).message).not.toMatch(/\{\w+\}/);
  });

  it.each<[unknown, object]>([
    [{ mode: 'canary', percent: 12.34, tenant: 'acme', why: 'ramp' }, { flag: { routeId: 'tracking.pixel', tenant: 'acme', mode: 'canary', percent: 12.34 }, why: 'ramp' }],
    [{ mode: 'canary', percent: 0 }, { flag: { routeId: 'tracking.pixel', tenant: null, mode: 'canary', percent: 0 } }],
    [{ mode: 'extracted', tenant: null }, { flag: { routeId: 'tracking.pixel', tenant: null, mode: 'extracted' } }],
    [{ mode: 'shadow' }, { flag: { routeId: 'tracking.pixel', tenant: null, mode: 'shadow' } }],
  ])('accepts %j', (body, expected) => {
    expect(validateFlagChange('tracking.pixel', body, catalogue, tenants)).toEqual(expected);
  });

  it('allows legacy on a legacy-only route', () => {
    expect(validateFlagChange('legacy.admin', { mode: 'legacy' }, catalogue, tenants)).toEqual({ flag: { routeId: 'legacy.admin', tenant: null, mode: 'legacy' } });
  });
});

describe('isValidPercent', () => {
  it.each([[0, true], [0.01, true], [0.29, true], [33.33, true], [100, true], [99.999, false], [100.5, false], [Number.NaN, false], [Infinity, false], [-0.01, false]])('%p → %p', (p, ok) => {
    expect(isValidPercent(p)).toBe(ok);
  });
});
