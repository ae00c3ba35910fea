/**
 * The stored diffs and the comparison counters through the admin API and the `strangler` CLI
 * (gateway/README.md § Shadow mode, gateway/src/cli/README.md): diffs made by real shadowed
 * requests, listed by route and tenant and paged, one shown with both responses redacted, the
 * counters per route; the CLI's tables, --json and exit codes.
 */
import { execFile } from 'node:child_process';
import type { ComparisonRules } from '../src/model.ts';
import { startHarness, TEST_TOKEN, type Harness } from './support/harness.ts';
import { startScriptedUpstream, type ScriptedUpstream } from './support/scripted-answer-upstream.ts';
import { send } from './support/send.ts';
import { REPO_ROOT } from './support/spawn-gateway.ts';
import { createTestCatalogue, TEST_ROUTES } from './support/test-catalogue.ts';

const RULES: ComparisonRules = {
  headers: ['content-type'], cookies: { ignoreValueOf: [], expiresToleranceSeconds: 5 }, location: { ignoreParams: [] }, json: { ignore: [], numbers: [], times: [] }, html: { ignore: [] },
};
const CATALOGUE = createTestCatalogue(TEST_ROUTES.map((r) => (r.id === 'tracking.event' || r.id === 'tracking.pixel' ? { ...r, dryRun: true, comparison: RULES } : r)));
const VIEWER = 'viewer-token-0123456789';

let h: Harness;
let legacy: ScriptedUpstream;
let tracking: ScriptedUpstream;

/** One shadowed event whose answers differ in `state`, for a tenant, its email on both sides. */
async function divergentEvent(host: string, state: string): Promise<void> {
  legacy.answer = () => ({ status: 200, headers: ['Content-Type', 'application/json'], body: JSON.stringify({ state: 'ok', email: 'nia@example.com' }) });
  tracking.answer = () => ({ status: 200, headers: ['Content-Type', 'application/json', 'X-Strangler-Dry-Run', '1'], body: JSON.stringify({ state, email: 'nia@example.com' }) });
  const res = await send(h.gateway.publicUrl, '/mtc/event', { method: 'POST', headers: { host, 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1' });
  await h.requestLine(String(res.headers['x-request-id']));
}

beforeAll(async () => {
  [legacy, tracking] = await Promise.all([startScriptedUpstream(), startScriptedUpstream()]);
  h = await startHarness({
    catalogue: CATALOGUE,
    env: { LEGACY_URL: legacy.url, TRACKING_URL: tracking.url, ADMIN_VIEWER_TOKEN: VIEWER },
    config: { tenants: [{ id: 'acme', hosts: ['acme.example'], legacyUrl: legacy.url }] },
  });
  await h.setFlag('tracking.event', 'shadow');
  await divergentEvent('localhost', 'first');
  await divergentEvent('acme.example', 'second');
  await divergentEvent('localhost', 'third');
  // One match, counted but not stored.
  legacy.answer = () => ({ status: 200, headers: ['Content-Type', 'application/json'], body: '{"state":"ok"}' });
  tracking.answer = () => ({ status: 200, headers: ['Content-Type', 'application/json', 'X-Strangler-Dry-Run', '1'], body: '{"state":"ok"}' });
  const res = await send(h.gateway.publicUrl, '/mtc/event', { method: 'POST', body: 'a=1' });
  await h.requestLine(String(res.headers['x-request-id']));
});
afterAll(async () => {
  await h?.close();
  await Promise.all([legacy?.close(), tracking?.close()]);
});

interface DiffJson { id: string; routeId: string; tenant: string; differences: { path: string; legacy: string | null; new: string | null }[]; responses?: { legacy: { body: string }; new: { body: string } } }

describe('admin API: diffs and comparisons', () => {
  it('lists diffs newest first, by route and by tenant, in pages', async () => {
    const all = (await (await h.admin('GET', '/admin/diffs?route=tracking.event')).json()) as { diffs: DiffJson[]; next: string | null };
    expect(all.diffs.map((d) => [d.tenant, d.differences])).toEqual([
      ['default', [{ path: 'body.state', legacy: '"ok"', new: '"third"' }]],
      ['acme', [{ path: 'body.state', legacy: '"ok"', new: '"second"' }]],
      ['default', [{ path: 'body.state', legacy: '"ok"', new: '"first"' }]],
    ]);
    expect(all.next).toBeNull();
    expect(all.diffs[0]).not.toHaveProperty('responses');
    const acme = (await (await h.admin('GET', '/admin/diffs?tenant=acme')).json()) as { diffs: DiffJson[] };
    expect(acme.diffs.map((d) => d.differences[0]?.new)).toEqual(['"second"']);
    const first = (await (await h.admin('GET', '/admin/diffs?limit=2')).json()) as { diffs: DiffJson[]; next: string | null };
    const second = (await (await h.admin('GET', `/admin/diffs?limit=2&offset=${first.next}`)).json()) as { diffs: DiffJson[]; next: string | null };
    expect([first.diffs.length, first.next, second.diffs.map((d) => d.differences[0]?.new), second.next]).toEqual([2, '2', ['"first"'], null]);
  });

  it('shows one diff with both responses, redacted; a viewer may read', async () => {
    const { diffs } = (await (await h.admin('GET', '/admin/diffs?tenant=acme')).json()) as { diffs: DiffJson[] };
    const res = await h.admin('GET', `/admin/diffs/tracking.event/${diffs[0]!.id}`, undefined, VIEWER);
    const { diff } = (await res.json()) as { diff: DiffJson };
    expect(res.status).toBe(200);
    expect([diff.responses?.legacy.body, diff.responses?.new.body]).toEqual(['{"state":"ok","email":"[redacted]"}', '{"state":"second","email":"[redacted]"}']);
  });

  it('refuses an unknown diff, route or tenant with a code', async () => {
    const missing = await h.admin('GET', '/admin/diffs/tracking.event/999');
    expect([missing.status, ((await missing.json()) as { error: { code: string } }).error.code]).toEqual([404, 'GW_ERR_ADMIN_DIFF_NOT_FOUND']);
    const route = await h.admin('GET', '/admin/diffs?route=tracking.nope');
    expect([route.status, ((await route.json()) as { error: { code: string } }).error.code]).toEqual([404, 'GW_ERR_ADMIN_UNKNOWN_ROUTE']);
    const tenant = await h.admin('GET', '/admin/diffs?tenant=nobody');
    expect([tenant.status, ((await tenant.json()) as { error: { code: string } }).error.code]).toEqual([404, 'GW_ERR_ADMIN_UNKNOWN_TENANT']);
    const limit = await h.admin('GET', '/admin/diffs?limit=501');
    expect([limit.status, ((await limit.json()) as { error: { code: string } }).error.code]).toEqual([400, 'GW_ERR_ADMIN_BAD_REQUEST']);
  });

  it('counts per route: compared, matched, mismatched, skipped by reason, latency per side', async () => {
    const body = (await (await h.admin('GET', '/admin/comparisons')).json()) as { routes: Record<string, { compared: number; matched: number; mismatched: number; skipped: Record<string, number>; latencyMs: { legacy: { count: number }; new: { count: number } } }>; store: { kind: string; dropped: number } };
    const event = body.routes['tracking.event']!;
    expect([event.compared, event.matched, event.mismatched, event.latencyMs.legacy.count, event.latencyMs.new.count]).toEqual([4, 1, 3, 4, 4]);
    expect(Object.values(event.skipped).every((n) => n === 0)).toBe(true);
    expect(body.store).toEqual({ kind: 'memory', dropped: 0 });
  });
});

interface Run { code: number; stdout: string; stderr: string }
function strangler(args: string[]): Promise<Run> {
  const env = { PATH: process.env.PATH ?? '', STRANGLER_ADMIN_URL: h.gateway.adminUrl, STRANGLER_TOKEN: TEST_TOKEN };
  return new Promise((resolve) => {
    execFile(process.execPath, ['gateway/src/cli/strangler.ts', ...args], { cwd: REPO_ROOT, env }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

describe('strangler diffs and stats', () => {
  it('lists diffs as a table and as JSON, filtered by route and tenant', async () => {
    const table = await strangler(['diffs', '--route', 'tracking.event']);
    expect(table.code).toBe(0);
    const lines = table.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^ID\s+AT\s+ROUTE\s+TENANT\s+STATUS L\/N\s+DIFFERENCES\s+FIRST$/);
    expect(lines).toHaveLength(4);
    expect(lines[2]).toMatch(/^tracking\.event\/\d+\s+\S+\s+tracking\.event\s+acme\s+200 \/ 200\s+1\s+body\.state$/);
    const json = await strangler(['--json', 'diffs', '--tenant', 'acme']);
    expect((JSON.parse(json.stdout) as { diffs: DiffJson[] }).diffs.map((d) => d.tenant)).toEqual(['acme']);
    const paged = await strangler(['diffs', '--limit', '1']);
    expect(paged.stdout).toContain('(more: --offset 1)');
  });

  it('shows one diff with both responses; a bad or unknown id has its exit code', async () => {
    const { diffs } = JSON.parse((await strangler(['--json', 'diffs', '--tenant', 'acme'])).stdout) as { diffs: DiffJson[] };
    const show = await strangler(['diffs', 'show', `tracking.event/${diffs[0]!.id}`]);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/^diff tracking\.event\/\d+, tenant acme, at \S+, trace [0-9a-f]{32}\n/);
    expect(show.stdout).toMatch(/body\.state\s+"ok"\s+"second"/);
    expect(show.stdout).toContain('{"state":"second","email":"[redacted]"}');
    expect(show.stdout).not.toContain('nia@example.com');
    const bad = await strangler(['diffs', 'show', 'nothing']);
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringContaining('a diff id is <route>/<n>')]);
    const unknown = await strangler(['diffs', 'show', 'tracking.event/999']);
    expect([unknown.code, unknown.stderr]).toEqual([4, expect.stringContaining('strangler diffs --route')]);
  });

  it('stats prints the counters per route and exits 10 while a route has mismatches', async () => {
    const run = await strangler(['stats']);
    expect(run.code).toBe(10);
    expect(run.stdout).toMatch(/^ROUTE\s+COMPARED\s+MATCHED\s+MISMATCHED\s+SKIPPED/);
    expect(run.stdout).toMatch(/tracking\.event\s+4\s+1\s+3\s+0\s+/);
    expect(run.stdout).toContain('diff store: memory, 0 dropped');
    // Every copy was answered in time: the tracking target keeps the whole cap.
    expect(run.stdout).toMatch(/shadow copies in flight: 0; tracking \(http:\/\/127\.0\.0\.1:\d+\/?\) may hold 64\n/);
    const json = await strangler(['--json', 'stats']);
    expect((JSON.parse(json.stdout) as { routes: Record<string, { mismatched: number }> }).routes['tracking.event']!.mismatched).toBe(3);
  });
});
