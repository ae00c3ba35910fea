// The import rules of .dependency-cruiser.cjs (`npm run lint:deps`) fire: each case writes one
// import into a throw-away tree shaped like the project and expects exactly its rule; the allowed
// imports must pass. A rule whose pattern stops matching fails here instead of passing silently.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(__dirname, '..');
const DEPCRUISE = join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruiser.mjs');
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');

/** [importing file, imported file, rule expected (null: allowed), how it imports]. */
type Case = [from: string, to: string, rule: string | null, kind?: 'type' | 'value'];

const FORBIDDEN: Case[] = [
  ['gateway/src/model.ts', 'gateway/src/errors.ts', 'model-imports-nothing'],
  ['gateway/src/errors.ts', 'gateway/src/model-user.ts', 'gateway-errors-imports-nothing'],
  ['routes/a.ts', 'gateway/src/routing/types.ts', 'routes-is-data', 'type'],
  ['routes/b.ts', 'gateway/src/model.ts', 'routes-import-model-types-only', 'value'],
  ['gateway/src/config/a.ts', 'gateway/src/upstream/client-address.ts', 'gateway-config-imports-only-model'],
  ['gateway/src/flags/a.ts', 'gateway/src/pipeline/a.ts', 'gateway-flags-not-pipeline-server-admin'],
  ['gateway/src/tenants/a.ts', 'gateway/src/upstream/a.ts', 'gateway-tenants-not-pipeline-upstream'],
  ['gateway/src/pipeline/b.ts', 'gateway/src/admin/a.ts', 'gateway-pipeline-not-admin-express'],
  ['gateway/src/server/a.ts', 'gateway/src/pipeline/c.ts', 'gateway-server-not-pipeline-admin-express'],
  ['gateway/src/admin/b.ts', 'gateway/src/server/b.ts', 'gateway-admin-not-server-pipeline'],
  ['gateway/src/observability/a.ts', 'gateway/src/config/b.ts', 'gateway-observability-imports-nothing'],
  ['gateway/src/routing/a.ts', 'gateway/src/flags/b.ts', 'gateway-routing-is-pure'],
  ['gateway/src/routing/b.ts', 'node:fs', 'gateway-routing-no-io'],
  ['gateway/src/compare/a.ts', 'gateway/src/pipeline/k.ts', 'gateway-compare-is-a-leaf'],
  ['gateway/src/compare/b.ts', 'gateway/src/config/load.ts', 'gateway-compare-is-a-leaf'],
  ['gateway/src/upstream/b.ts', 'gateway/src/pipeline/d.ts', 'gateway-upstream-not-pipeline-flags-server-admin'],
  ['gateway/src/upstream/c.ts', 'gateway/src/config/load.ts', 'gateway-upstream-config-schema-only'],
  ['gateway/src/pipeline/e.ts', 'legacy-adapter/src/db/open.ts', 'gateway-uses-mautic-facts-only'],
  ['gateway/src/pipeline/j.ts', 'legacy-adapter/src/seed/seed.ts', 'gateway-uses-mautic-facts-only'],
  ['gateway/src/main.ts', 'legacy-adapter/src/standin/server.ts', 'gateway-not-standin-or-services'],
  ['gateway/src/pipeline/f.ts', 'test-support/databases.ts', 'test-code-only-in-tests'],
  ['legacy-adapter/src/codecs/a.ts', 'legacy-adapter/src/data/a.ts', 'legacy-adapter-codecs-node-only'],
  ['legacy-adapter/src/forwarding/a.ts', 'legacy-adapter/src/db/a.ts', 'legacy-adapter-forwarding-node-and-codecs-only'],
  ['legacy-adapter/src/data/b.ts', 'legacy-adapter/src/mail/a.ts', 'legacy-adapter-data-on-db-codecs'],
  ['legacy-adapter/src/db/open.ts', 'legacy-adapter/src/data/c.ts', 'legacy-adapter-db-imports-nothing'],
  ['legacy-adapter/src/seed/a.ts', 'legacy-adapter/src/mail/c.ts', 'legacy-adapter-seed-on-db-data-codecs'],
  ['legacy-adapter/src/mail/b.ts', 'legacy-adapter/src/db/b.ts', 'legacy-adapter-mail-knows-no-tables'],
  ['legacy-adapter/src/standin/forms/a.ts', 'legacy-adapter/src/standin/sending/a.ts', 'standin-forms-not-sending'],
  ['legacy-adapter/src/standin/sending/b.ts', 'legacy-adapter/src/standin/forms/b.ts', 'standin-sending-not-forms'],
  ['legacy-adapter/src/data/f.ts', 'legacy-adapter/src/standin/app.ts', 'standin-only-run-by-scripts'],
  ['extracted-services/x/src/a.ts', 'gateway/src/model.ts', 'services-not-gateway'],
  ['extracted-services/x/src/b.ts', 'legacy-adapter/src/standin/deps.ts', 'services-not-standin'],
  ['extracted-services/forms/src/a.ts', 'extracted-services/tracking/src/routes/a.ts', 'services-not-each-other'],
  ['extracted-services/sending/test/a.test.ts', 'extracted-services/forms/src/b.ts', 'services-not-each-other'],
  ['extracted-services/service-kit/a.ts', 'extracted-services/tracking/src/config.ts', 'service-kit-imports-no-service'],
  ['bench/a.ts', 'gateway/src/main.ts', 'bench-imports-nothing-of-project'],
  ['scripts/a.ts', 'bench/b.ts', 'nothing-imports-bench'],
];

const ALLOWED: Case[] = [
  ['routes/c.ts', 'gateway/src/model.ts', null, 'type'],
  ['gateway/src/config/c.ts', 'gateway/src/model.ts', null],
  ['gateway/src/pipeline/g.ts', 'gateway/src/server/c.ts', null],
  ['gateway/src/pipeline/h.ts', 'legacy-adapter/src/codecs/ct.ts', null],
  ['gateway/src/upstream/d.ts', 'gateway/src/config/schema.ts', null],
  ['gateway/src/compare/c.ts', 'gateway/src/config/schema.ts', null],
  ['gateway/src/compare/d.ts', 'legacy-adapter/src/codecs/php-query.ts', null],
  ['gateway/src/upstream/e.ts', 'legacy-adapter/src/forwarding/b.ts', null],
  ['gateway/src/pipeline/i.test.ts', 'gateway/test/support/a.ts', null],
  ['legacy-adapter/src/seed/b.ts', 'legacy-adapter/src/data/d.ts', null],
  ['legacy-adapter/src/forwarding/c.ts', 'legacy-adapter/src/codecs/b.ts', null],
  ['legacy-adapter/src/standin/sending/c.ts', 'legacy-adapter/src/standin/forms/field-rules.ts', null],
  ['extracted-services/x/src/c.ts', 'legacy-adapter/src/data/e.ts', null],
  ['extracted-services/contract/a.ts', 'legacy-adapter/src/standin/server.ts', null],
  ['extracted-services/contract/b.ts', 'extracted-services/tracking/src/server.ts', null],
  ['extracted-services/forms/src/c.ts', 'extracted-services/service-kit/b.ts', null],
  ['extracted-services/tracking/src/d.ts', 'extracted-services/tracking/src/e.ts', null],
  ['extracted-services/forms/test/d.test.ts', 'extracted-services/contract/send-raw.ts', null],
  ['scripts/b.ts', 'legacy-adapter/src/standin/server.ts', null],
];

/** Writes every case's files (the imported one empty) into a fresh tree; returns its path. */
async function writeTree(cases: readonly Case[], extra: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'strangler-deps-'));
  const files = new Map<string, string[]>();
  for (const [from, to, , kind] of cases) {
    if (!to.startsWith('node:')) files.set(to, files.get(to) ?? []);
    const spec = to.startsWith('node:') ? to : `./${relative(dirname(from), to)}`.replace(/^\.\/\.\./, '..');
    const line = kind === 'type' ? `import type { T } from '${spec}';` : `import '${spec}';`;
    files.set(from, [...(files.get(from) ?? []), line]);
  }
  for (const [file, lines] of files) {
    await mkdir(join(dir, dirname(file)), { recursive: true });
    await writeFile(join(dir, file), `${lines.join('\n')}\nexport type T = 1;\n`);
  }
  for (const [file, text] of Object.entries(extra)) await writeFile(join(dir, file), text);
  await writeFile(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'nodenext', allowImportingTsExtensions: true, noEmit: true } }));
  return dir;
}

/** Runs depcruise as `npm run lint:deps` does; resolves with the exit code and output. */
async function depcruise(cwd: string, outputType: 'json' | 'err'): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [DEPCRUISE, '--config', CONFIG, '--output-type', outputType, '.'], { cwd });
    return { code: 0, stdout };
  } catch (err) {
    const e = err as { code?: number; stdout?: string };
    return { code: e.code ?? 1, stdout: e.stdout ?? '' };
  }
}

interface Violation { from: string; to: string; rule: { name: string } }

describe('import rules (.dependency-cruiser.cjs)', () => {
  let dir = '';
  let violations: Violation[] = [];

  beforeAll(async () => {
    dir = await writeTree([...FORBIDDEN, ...ALLOWED], {
      'gateway/src/pipeline/cycle-a.ts': "import './cycle-b.ts';\n",
      'gateway/src/pipeline/cycle-b.ts': "import './cycle-a.ts';\n",
    });
    const run = await depcruise(dir, 'json');
    violations = (JSON.parse(run.stdout) as { summary: { violations: Violation[] } }).summary.violations;
  }, 30_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it.each(FORBIDDEN)('%s → %s breaks %s', (from, to, rule) => {
    const names = violations.filter((v) => v.from === from && (v.to === to || v.to === to.replace(/^node:/, ''))).map((v) => v.rule.name);
    expect(names).toContain(rule);
  });

  it.each(ALLOWED)('%s → %s is allowed', (from, to) => {
    expect(violations.filter((v) => v.from === from && v.to === to)).toEqual([]);
  });

  it('finds a cycle', () => {
    expect(violations.map((v) => v.rule.name)).toContain('no-circular');
  });

  it('fails the run with the rule name and the offending import', async () => {
    const single = await writeTree([['gateway/src/config/a.ts', 'gateway/src/upstream/client-address.ts', null]]);
    try {
      const run = await depcruise(single, 'err');
      expect(run.code).not.toBe(0);
      expect(run.stdout).toContain('error gateway-config-imports-only-model: gateway/src/config/a.ts → gateway/src/upstream/client-address.ts');
    } finally {
      await rm(single, { recursive: true, force: true });
    }
  }, 30_000);
});
