import { createTestCatalogue } from '../../test/support/test-catalogue.ts';
import { createRouteGate, routeSettingsProblems } from './route-gate.ts';

describe('route gate', () => {
  it('lets a capped route in up to its cap, and again after one leaves', () => {
    const gate = createRouteGate({ 'tracking.pixel': { maxConcurrent: 2 } });
    expect([gate.enter('tracking.pixel'), gate.enter('tracking.pixel'), gate.enter('tracking.pixel')]).toEqual([true, true, false]);
    gate.leave('tracking.pixel');
    expect(gate.enter('tracking.pixel')).toBe(true);
    expect(gate.limit('tracking.pixel')).toBe(2);
  });

  it('never refuses a route without a cap', () => {
    const gate = createRouteGate({ 'tracking.pixel': { breaker: { consecutiveFailures: 2 } } });
    for (let i = 0; i < 1000; i++) expect(gate.enter('legacy.default')).toBe(true);
    expect(gate.limit('tracking.pixel')).toBeUndefined();
  });

  it('names every route id the catalogue does not have', () => {
    const problems = routeSettingsProblems({ 'tracking.pixel': {}, 'nope.one': {}, 'nope.two': { maxConcurrent: 1 } }, createTestCatalogue());
    expect(problems).toEqual([
      'routes.nope.one: No route with this id in the catalogue (GET /admin/routes lists them)',
      'routes.nope.two: No route with this id in the catalogue (GET /admin/routes lists them)',
    ]);
  });
});
