#!/usr/bin/env node
/**
 * `strangler`: the operators' CLI over the gateway's admin API (`npx strangler …`).
 * The admin URL comes from --admin-url or STRANGLER_ADMIN_URL, the token from
 * STRANGLER_TOKEN; exit codes are in exit-codes.ts.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { AdminTarget } from './admin-client.ts';
import { CliError, EXIT } from './exit-codes.ts';
import { listDiffs, showComparisonStats, showDiff } from './diff-commands.ts';
import { showAudit, showStatus } from './fleet-commands.ts';
import { showGuard } from './guard-commands.ts';
import { showProgress } from './progress-command.ts';
import { listRoutes, rollbackRoute, setRoute } from './routes-commands.ts';

const MODES = ['legacy', 'shadow', 'canary', 'extracted'];

function number(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError('not a number');
  return n;
}

/** Builds the program; `run` parses and acts. */
export function buildProgram(): Command {
  const program = new Command('strangler')
    .description('Move Mautic routes between legacy and the new services, across the gateway fleet.')
    .addOption(new Option('--admin-url <url>', 'the gateway admin API').env('STRANGLER_ADMIN_URL').default('http://127.0.0.1:8081'))
    .option('--json', 'print JSON for scripts instead of tables', false)
    .showHelpAfterError()
    .exitOverride();
  const target = (): AdminTarget => ({ url: program.opts<{ adminUrl: string }>().adminUrl, token: process.env.STRANGLER_TOKEN || undefined });
  const json = (): boolean => program.opts<{ json: boolean }>().json;

  const routes = program.command('routes').description('route modes').exitOverride();
  routes.command('list').description('every route with its mode per tenant and where it comes from')
    .option('--tenant <id>', 'only this tenant')
    .action((o: { tenant?: string }) => listRoutes(target(), json(), o.tenant));
  routes.command('set <route> <mode>').description(`set a route's mode (${MODES.join(', ')}), globally or for one tenant`)
    .option('--tenant <id>', 'only this tenant (default: the global flag)')
    .option('--percent <n>', 'canary percent, 0-100 in 0.01 steps', number)
    .requiredOption('--reason <text>', 'why; recorded in the audit')
    .option('--yes', 'do not ask before moving a route that was never in canary to extracted', false)
    .option('--revision <n>', 'change only if the route is still at this revision (as read by routes list); default: the one read now', number)
    .action((route: string, mode: string, o: { tenant?: string; percent?: number; reason: string; yes: boolean; revision?: number }) => setRoute(target(), json(), route, mode, o));
  routes.command('rollback <route>').description('go back to the mode before the last change')
    .option('--tenant <id>', 'only this tenant (default: the global flag)')
    .option('--reason <text>', 'why; recorded in the audit')
    .action((route: string, o: { tenant?: string; reason?: string }) => rollbackRoute(target(), json(), route, o.tenant, o.reason));
  program.command('audit').description('who changed which mode, when and why; newest first')
    .option('--route <id>', 'only this route')
    .option('--tenant <id>', 'only this tenant (* for global changes)')
    .option('--since <time>', 'ISO time, or an age: 30m, 2h, 7d')
    .option('--limit <n>', 'entries, 1-1000', number, 50)
    .action((o: { route?: string; tenant?: string; since?: string; limit: number }) => showAudit(target(), json(), o));
  program.command('status').description('the replicas and the flag version each applied (exit 9 when one is behind)')
    .action(() => showStatus(target(), json()));
  program.command('guard').description('the guard on the replica asked: error rate, latency ratio and mismatch rate per route and tenant against their thresholds, and its recent steps back')
    .option('--route <id>', 'only this route')
    .option('--tenant <id>', 'only this tenant')
    .option('--limit <n>', 'recent actions, 1-100', number, 20)
    .action((o: { route?: string; tenant?: string; limit: number }) => showGuard(target(), json(), o));
  const diffs = program.command('diffs').description('stored diffs of shadowed requests, newest first')
    .option('--route <id>', 'only this route')
    .option('--tenant <id>', 'only this tenant')
    .option('--limit <n>', 'diffs, 1-500', number, 20)
    .option('--offset <n>', 'skip this many first (the "more" hint of the previous page)', number, 0)
    .exitOverride()
    .action((o: { route?: string; tenant?: string; limit: number; offset: number }) => listDiffs(target(), json(), o));
  diffs.command('show <id>').description('one diff (<route>/<n>, as diffs prints it) with both responses, redacted')
    .action((id: string) => showDiff(target(), json(), id));
  program.command('stats').description('shadow comparisons per route: compared, matched, mismatched, skipped by reason, latency per side (exit 10 when a route has mismatches)')
    .action(() => showComparisonStats(target(), json()));
  program.command('progress').description('the migration per day, tenant and route: share answered by the new services, fallbacks')
    .option('--tenant <id>', 'only this tenant')
    .option('--route <id>', 'only this route')
    .option('--days <n>', 'days back, today included (1-366)', number, 7)
    .action((o: { tenant?: string; route?: string; days: number }) => showProgress(target(), json(), o));
  return program;
}

/** Runs the CLI with `argv` (user arguments only) and resolves with the exit code. */
export async function run(argv: readonly string[]): Promise<number> {
  try {
    await buildProgram().parseAsync([...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (err) {
    if (err instanceof CliError) {
      process.stderr.write(`strangler: ${err.message}\n`);
      return err.exitCode;
    }
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    process.stderr.write(`strangler: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return EXIT.unexpected;
  }
}

if (process.argv[1] !== undefined && /(strangler(\.[jt]s)?|cli[\\/]strangler\.[jt]s)$/.test(process.argv[1])) {
  void run(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
