// GET /admin/openapi.json against the real admin app: every route the app serves is in the
// document and nothing else is, every documented operation answers with a documented status, and
// each answer parses with the zod schema the document was generated from.
import { GatewayMetrics } from '../src/observability/metrics.ts';
import { ProgressBook } from '../src/observability/progress.ts';
import { TraceStore } from '../src/observability/trace-store.ts';
import type { z } from 'zod';
import { createAdminApp } from '../src/admin/admin-app.ts';
import { COMPONENTS } from '../src/admin/openapi.ts';
import { createReadiness } from '../src/admin/readiness.ts';
import { createMemoryFlagStore } from '../src/flags/memory-store.ts';
import { createLogger } from '../src/observability/logger.ts';
import { createStats } from '../src/observability/stats.ts';
import { createTestCatalogue } from './support/test-catalogue.ts';
import { startHarness, TEST_TOKEN, type Harness } from './support/harness.ts';

const VIEWER = 'viewer-token-0123456789';
let h: Harness;
afterAll(async () => h?.close());
beforeAll(async () => {
  h = await startHarness({ env: { ADMIN_VIEWER_TOKEN: VIEWER }, config: { admin: { host: '127.0.0.1' } } });
  // One stored diff (id 1 in the memory store), so that showing one answers 200.
  await h.gateway.comparisons.store.add({
    routeId: 'tracking.pixel', tenant: 'default', at: new Date().toISOString(), traceId: null, legacy: { status: 200, latencyMs: 3 }, new: { status: 500, latencyMs: 4 },
    differences: [{ path: 'status', legacy: '200', new: '500' }], omitted: 0,
    responses: {
      legacy: { status: 200, headers: [['content-type', 'image/gif']], bodyEncoding: 'base64', body: 'R0lG', truncated: false },
      new: { status: 500, headers: [['content-type', 'text/plain']], bodyEncoding: 'text', body: 'oops', truncated: false },
    },
  });
});

type Json = Record<string, unknown>;
interface Operation { responses: Record<string, { content?: { 'application/json': { schema: { $ref: string } } } & { 'text/plain'?: unknown } }> }
interface Layer { route?: { path: string; methods: Record<string, boolean> }; rawPath?: string; handle: { stack?: Layer[] } }

/** (METHOD path) of every route the express app serves, `:x` written `{x}`. */
function servedRoutes(stack: Layer[], prefix = ''): string[] {
  return stack.flatMap((layer) => {
    if (layer.route) return Object.keys(layer.route.methods).map((m) => `${m.toUpperCase()} ${prefix}${layer.route?.path.replace(/:(\w+)/g, '{$1}')}`);
    if (layer.handle.stack) return servedRoutes(layer.handle.stack, `${prefix}${layer.rawPath === '/' ? '' : (layer.rawPath ?? '')}`);
    return [];
  });
}

/** One real call per documented operation, with what it should answer. */
const CALLS: readonly [string, string, unknown, string?][] = [
  ['GET', '/healthz', undefined],
  ['GET', '/readyz', undefined],
  ['GET', '/admin/openapi.json', undefined],
  ['GET', '/admin/stats', undefined],
  ['GET', '/admin/flags', undefined],
  ['PUT', '/admin/flags/tracking.pixel', { mode: 'shadow', why: 'openapi test' }],
  ['DELETE', '/admin/flags/tracking.pixel?why=done', undefined],
  ['PUT', '/admin/routes/tracking.pixel/mode', { mode: 'canary', percent: 1, reason: 'openapi test' }],
  ['PUT', '/admin/routes/tracking.pixel/mode', { mode: 'canary', percent: 2, reason: 'stale' }, '"1"'],
  ['PUT', '/admin/routes/tracking.nope/mode', { mode: 'extracted', reason: 'r' }],
  ['POST', '/admin/routes/tracking.pixel/rollback', { reason: 'openapi test' }],
  ['POST', '/admin/routes/forms.submit/rollback', {}],
  ['GET', '/admin/routes', undefined],
  ['GET', '/admin/routes/tracking.pixel', undefined],
  ['GET', '/admin/routes/tracking.pixel?tenant=nobody', undefined],
  ['GET', '/admin/audit?limit=2', undefined],
  ['GET', '/admin/audit?limit=abc', undefined],
  ['GET', '/admin/fleet', undefined],
  ['GET', '/admin/guard', undefined],
  ['GET', '/admin/guard?tenant=nobody', undefined],
  ['GET', '/admin/guard?limit=abc', undefined],
  ['GET', '/admin/diffs?route=tracking.pixel&limit=5', undefined],
  ['GET', '/admin/diffs?route=tracking.nope', undefined],
  ['GET', '/admin/diffs?limit=0', undefined],
  ['GET', '/admin/diffs/tracking.pixel/1', undefined],
  ['GET', '/admin/diffs/tracking.pixel/999', undefined],
  ['GET', '/admin/comparisons', undefined],
  ['GET', '/metrics', undefined],
  ['GET', '/admin/traces?limit=5', undefined],
  ['GET', '/admin/traces/0123456789abcdef0123456789abcdef', undefined],
  ['GET', '/admin/progress?days=2', undefined],
  ['GET', '/admin/progress?days=0', undefined],
];

describe('the OpenAPI document', () => {
  let doc: Json & { openapi: string; paths: Record<string, Record<string, Operation>> };
  beforeAll(async () => {
    const res = await fetch(`${h.gateway.adminUrl}/admin/openapi.json`);
    expect(res.status).toBe(200);
    doc = (await res.json()) as typeof doc;
  });

  it('is OpenAPI 3.1, and every $ref names a component', () => {
    expect(doc.openapi).toBe('3.1.0');
    const components = (doc.components as { schemas: Json }).schemas;
    expect(Object.keys(components).sort()).toEqual(Object.keys(COMPONENTS).sort());
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1] as string);
    expect(refs.filter((r) => !(r.startsWith('#/components/schemas/') && r.split('/').pop() as string in components))).toEqual([]);
  });

  it('lists exactly the routes the admin app serves', () => {
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    // The same builder the gateway serves (main.ts), with small real parts.
    const app = createAdminApp({
      store: createMemoryFlagStore(), catalogue: createTestCatalogue(), tenants: new Set(['default']), tenantServices: new Map(),
      checkToken: () => null, readiness: createReadiness({}), stats: createStats(), facts: () => ({}), logger: createLogger('silent'),
      flagsStatus: () => ({ store: 'memory', connected: true, applied: true, version: 0, replica: 'r' }), guard: h.gateway.guard,
      comparisons: h.gateway.comparisons, comparisonFacts: () => ({ storeKind: 'memory', shadowInFlight: 0, shadowTargets: [{ upstream: 'tracking', url: 'http://127.0.0.1:8101', inFlight: 0, share: 8 }] }),
      metrics: new GatewayMetrics(), traces: new TraceStore(10), tracesEndpoint: undefined, keepTraces: 10, progress: new ProgressBook(7, null), progressSource: 'memory',
    }) as unknown as { router: { stack: Layer[] } };
    expect(servedRoutes(app.router.stack).sort()).toEqual(documented.sort());
  });

  it('every call answers a documented status whose body parses with the schema it was generated from', async () => {
    const seen = new Set<string>();
    for (const [method, path, body, ifMatch] of CALLS) {
      const res = await fetch(`${h.gateway.adminUrl}${path}`, {
        method, body: body === undefined ? undefined : JSON.stringify(body),
        headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json', ...(ifMatch ? { 'if-match': ifMatch } : {}) },
      });
      const template = Object.keys(doc.paths).find((p) => new RegExp(`^${p.replace(/\{\w+\}/g, '[^/]+')}$`).test(path.split('?')[0] as string)) as string;
      const operation = doc.paths[template]?.[method.toLowerCase()] as Operation;
      const documented = operation.responses[String(res.status)];
      expect([method, path, res.status, documented !== undefined]).toEqual([method, path, res.status, true]);
      seen.add(`${method} ${template}`);
      // `/metrics` is Prometheus text: gateway/test/metrics.test.ts parses it.
      if (documented?.content?.['text/plain'] !== undefined) {
        expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
        continue;
      }
      const name = documented?.content?.['application/json'].schema.$ref.split('/').pop() as keyof typeof COMPONENTS;
      const parsed = (COMPONENTS[name] as z.ZodType).safeParse(await res.json());
      expect([method, path, name, parsed.success ? 'ok' : parsed.error.message]).toEqual([method, path, name, 'ok']);
      seen.add(`${method} ${template}`);
    }
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    expect(documented.filter((d) => !seen.has(d))).toEqual([]);
  });

  it('a viewer is refused a write with a status the document lists', async () => {
    const res = await fetch(`${h.gateway.adminUrl}/admin/routes/tracking.pixel/mode`, {
      method: 'PUT', body: JSON.stringify({ mode: 'legacy', reason: 'r' }), headers: { authorization: `Bearer ${VIEWER}`, 'content-type': 'application/json' },
    });
    expect(res.status).toBe(403);
    expect(Object.keys(doc.paths['/admin/routes/{routeId}/mode']?.put?.responses ?? {})).toContain('403');
  });
});
