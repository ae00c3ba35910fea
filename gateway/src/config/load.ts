/**
 * Loads the configuration: the JSON file named by `STRANGLER_CONFIG`, then the
 * environment overrides, validated by the one schema; every problem is listed
 * with its path, and the result is deep-frozen.
 */
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { configSchema, type GatewayConfig } from './schema.ts';
import { applyEnvOverrides } from './env-overrides.ts';
import { deepFreeze } from './deep-freeze.ts';

/** Thrown by `loadConfig` when the configuration is invalid; `.problems` lists every one. */
export class ConfigError extends Error {
  readonly code = 'GW_ERR_CONFIG_INVALID';
  /** One line per problem, e.g. `tenants[1].legacyUrl: Invalid URL`. */
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`Invalid gateway configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Reads a file as UTF-8; injectable so tests need no files. */
export type ReadFile = (path: string) => string;

/**
 * Builds the gateway configuration from `env`.
 *
 * @param env - usually `process.env`; see README § Configuration for the variables.
 * @param readFile - reads `STRANGLER_CONFIG`; defaults to `fs.readFileSync(path, 'utf8')`.
 * @returns the validated, deep-frozen configuration.
 * @throws ConfigError listing every problem with its path.
 * @example
 * const config = loadConfig({ PORT: '0', LEGACY_URL: 'http://127.0.0.1:9000' });
 */
export function loadConfig(
  env: Readonly<Record<string, string | undefined>>,
  readFile: ReadFile = (path) => readFileSync(path, 'utf8'),
): GatewayConfig {
  const problems: string[] = [];
  const raw = readConfigFile(env.STRANGLER_CONFIG, readFile, problems);
  const sources = applyEnvOverrides(raw, env);
  const result = configSchema.safeParse(raw);
  if (!result.success) problems.push(...result.error.issues.flatMap((i) => describeIssue(i, sources)));
  if (problems.length > 0 || !result.success) throw new ConfigError(problems);
  return deepFreeze(result.data);
}

function readConfigFile(path: string | undefined, readFile: ReadFile, problems: string[]): Record<string, unknown> {
  if (path === undefined || path === '') return {};
  let text: string;
  try {
    text = readFile(path);
  } catch (err) {
    problems.push(`STRANGLER_CONFIG: cannot read "${path}": ${(err as Error).message}`);
    return {};
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
    problems.push(`STRANGLER_CONFIG: "${path}" must hold a JSON object`);
  } catch (err) {
    problems.push(`STRANGLER_CONFIG: "${path}" is not valid JSON: ${(err as Error).message}`);
  }
  return {};
}

/** Turns one zod issue into problem lines; an unknown-keys issue gives one line per key. */
function describeIssue(issue: z.core.$ZodIssue, sources: Map<string, string>): string[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((k) => `${formatPath([...issue.path, k])}: Unknown key (allowed keys are in gateway/README.md § Configuration)`);
  }
  const dotted = issue.path.join('.');
  const from = sources.get(dotted);
  return [`${formatPath(issue.path)}${from ? ` (from ${from})` : ''}: ${issue.message}`];
}

/** `['tenants', 1, 'legacyUrl']` → `tenants[1].legacyUrl`. */
export function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('');
}
