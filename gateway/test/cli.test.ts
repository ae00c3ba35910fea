// The `strangler` CLI as a process against a live admin API: tables and --json, exit codes
// (gateway/src/cli/exit-codes.ts) and what it says for 401, 403, 404 and 409.
import { execFile } from 'node:child_process';
import { startHarness, TEST_TOKEN, type Harness } from './support/harness.ts';
import { REPO_ROOT } from './support/spawn-gateway.ts';

const VIEWER = 'viewer-token-0123456789';
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ env: { ADMIN_VIEWER_TOKEN: VIEWER }, config: { admin: { host: '127.0.0.1' }, tenants: [{ id: 'acme', hosts: ['acme.example'], legacyUrl: 'http://127.0.0.1:1' }] } });
});
afterAll(async () => h?.close());

interface Run { code: number; stdout: string; stderr: string }

/** Runs the CLI with `args`; `token` null leaves STRANGLER_TOKEN unset. */
function strangler(args: string[], token: string | null = TEST_TOKEN, adminUrl = h.gateway.adminUrl): Promise<Run> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', STRANGLER_ADMIN_URL: adminUrl };
  if (token !== null) env.STRANGLER_TOKEN = token;
  return new Promise((resolve) => {
    const child = execFile(process.execPath, ['gateway/src/cli/strangler.ts', ...args], { cwd: REPO_ROOT, env }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
    child.stdin?.end();
  });
}

describe('strangler routes', () => {
  it('lists routes as a table and as JSON', async () => {
    const table = await strangler(['routes', 'list', '--tenant', 'acme']);
    expect(table.code).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(/^ROUTE\s+TENANT\s+MODE\s+PERCENT\s+SOURCE\s+REVISION$/);
    expect(table.stdout).toMatch(/tracking\.pixel\s+acme\s+legacy\s+default\s+0/);
    const json = await strangler(['--json', 'routes', 'list']);
    const parsed = JSON.parse(json.stdout) as { routes: { id: string; tenants: { tenant: string }[] }[] };
    expect(parsed.routes.find((r) => r.id === 'tracking.pixel')?.tenants.map((t) => t.tenant)).toEqual(['default', 'acme']);
  });

  it('sets a canary, asks before extracted on a route never in canary, and rolls back', async () => {
    const never = await strangler(['routes', 'set', 'forms.submit', 'extracted', '--reason', 'straight in']);
    expect(never.code).toBe(8);
    expect(never.stderr).toContain('forms.submit (global) has never been in canary');
    expect(never.stderr).toContain('--yes');
    const set = await strangler(['routes', 'set', 'tracking.pixel', 'canary', '--percent', '5', '--reason', 'first ramp']);
    expect([set.code, set.stdout.trim()]).toEqual([0, 'tracking.pixel (global) changed: legacy (default) → canary 5%, version 1, by admin: first ramp']);
    const extracted = await strangler(['--json', 'routes', 'set', 'tracking.pixel', 'extracted', '--reason', 'canary was clean']);
    expect(extracted.code).toBe(0);
    expect(JSON.parse(extracted.stdout)).toMatchObject({ change: { version: 2, from: { mode: 'canary', percent: 5 }, to: { mode: 'extracted' } } });
    const yes = await strangler(['routes', 'set', 'forms.submit', 'extracted', '--tenant', 'acme', '--reason', 'acme asked', '--yes']);
    expect(yes.code).toBe(0);
    const back = await strangler(['routes', 'rollback', 'tracking.pixel', '--reason', 'errors']);
    expect([back.code, back.stdout.trim()]).toEqual([0, 'tracking.pixel (global) rolled back: extracted → canary 5%, version 4, by admin: errors']);

    const audit = await strangler(['--json', 'audit', '--route', 'tracking.pixel', '--since', '1h']);
    expect((JSON.parse(audit.stdout) as { entries: { version: number; action: string }[] }).entries.map((e) => [e.version, e.action])).toEqual([[4, 'rollback'], [2, 'set'], [1, 'set']]);
    const people = await strangler(['audit', '--tenant', 'acme']);
    expect(people.stdout).toMatch(/^VERSION\s+AT\s+WHO/);
    expect(people.stdout).toMatch(/3\s+\S+\s+admin\s+forms\.submit\s+acme\s+legacy \(default\) → extracted\s+manual\s+acme asked/);
  });
});

describe('strangler refusals and exit codes', () => {
  it('401 without a token: exit 3, says to set STRANGLER_TOKEN', async () => {
    const run = await strangler(['routes', 'list'], null);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('(401 GW_ERR_ADMIN_UNAUTHORIZED)');
    expect(run.stderr).toContain('STRANGLER_TOKEN is not set: set STRANGLER_TOKEN to an admin token');
    const wrong = await strangler(['routes', 'list'], 'not-a-token-0123456789');
    expect([wrong.code, wrong.stderr]).toEqual([3, expect.stringContaining('STRANGLER_TOKEN holds a token the gateway does not know')]);
  });

  it('403 for a viewer that changes a mode: exit 3, asks for an operator token', async () => {
    const run = await strangler(['routes', 'set', 'tracking.pixel', 'legacy', '--reason', 'viewer tries'], VIEWER);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('Set STRANGLER_TOKEN to an operator token');
    expect((await strangler(['status'], VIEWER)).code).toBe(0);
  });

  it('404 for an unknown route: exit 4, points to routes list', async () => {
    const run = await strangler(['routes', 'set', 'tracking.nope', 'legacy', '--reason', 'r']);
    expect(run.code).toBe(4);
    expect(run.stderr).toContain('No route with id tracking.nope in the catalogue (404 GW_ERR_ADMIN_UNKNOWN_ROUTE)');
    expect(run.stderr).toContain('strangler routes list');
  });

  it('409 when the route changed since it was read: exit 5, says to re-read and retry', async () => {
    const json = JSON.parse((await strangler(['--json', 'routes', 'list', '--tenant', 'acme'])).stdout) as { routes: { id: string; tenants: { revision: number }[] }[] };
    const read = json.routes.find((r) => r.id === 'tracking.event')?.tenants[0]?.revision as number;
    expect((await strangler(['routes', 'set', 'tracking.event', 'shadow', '--tenant', 'acme', '--reason', 'alice first'])).code).toBe(0);
    const run = await strangler(['routes', 'set', 'tracking.event', 'legacy', '--tenant', 'acme', '--reason', 'bob, late', '--revision', String(read)]);
    expect(run.code).toBe(5);
    expect(run.stderr).toContain('GW_ERR_ADMIN_VERSION_CONFLICT');
    expect(run.stderr).toContain('Re-read it (strangler routes list)');
    expect((await strangler(['routes', 'rollback', 'sending.contact'])).code).toBe(5);
  });

  it('400 for a bad percent: exit 6; bad usage: exit 2; no admin API: exit 7', async () => {
    const bad = await strangler(['routes', 'set', 'tracking.pixel', 'canary', '--percent', '120', '--reason', 'r']);
    expect([bad.code, bad.stderr]).toEqual([6, expect.stringContaining('GW_ERR_ADMIN_BAD_PERCENT')]);
    expect((await strangler(['routes', 'set', 'tracking.pixel', 'canary'])).code).toBe(2);
    expect((await strangler(['audit', '--since', 'yesterday'])).code).toBe(2);
    const down = await strangler(['status'], TEST_TOKEN, 'http://127.0.0.1:1');
    expect([down.code, down.stderr]).toEqual([7, expect.stringContaining('Cannot reach the admin API')]);
  });

  it('status: a table of replicas, exit 0 when none is behind', async () => {
    const run = await strangler(['status']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^REPLICA\s+VERSION\s+LAST SEEN\s+STATE/);
    expect(run.stdout).toMatch(/replica\(s\), all applied it/);
  });
});
