/**
 * Environment variables that override the configuration file (docs/architecture.md §9).
 * Each maps to one path of the schema; an empty variable counts as unset.
 */
import { UPSTREAMS } from '../model.ts';

type Path = readonly string[];

/** One override: the variable, where it lands, whether it is a port number. */
interface EnvOverride {
  readonly name: string;
  readonly path: Path;
  readonly numeric?: boolean;
}

/** Every variable the gateway reads, in the order they are applied. */
export const ENV_OVERRIDES: readonly EnvOverride[] = [
  { name: 'PORT', path: ['server', 'port'], numeric: true },
  { name: 'ADMIN_PORT', path: ['admin', 'port'], numeric: true },
  // One interface for both ports: 127.0.0.1 keeps a machine's stack private, 0.0.0.0 opens a container's.
  { name: 'HOST', path: ['server', 'host'] },
  { name: 'HOST', path: ['admin', 'host'] },
  // LEGACY_URL, TRACKING_URL, …: one per upstream of model.ts.
  ...UPSTREAMS.map((u) => ({ name: `${u.name.toUpperCase()}_URL`, path: ['upstreams', u.name, 'url'] })),
  { name: 'ADMIN_TOKEN', path: ['admin', 'token'] },
  { name: 'ADMIN_VIEWER_TOKEN', path: ['admin', 'viewerToken'] },
  { name: 'LOG_LEVEL', path: ['logLevel'] },
  { name: 'REDIS_URL', path: ['services', 'redisUrl'] },
  { name: 'STRANGLER_REDIS_PREFIX', path: ['flags', 'redisKeyPrefix'] },
  { name: 'STRANGLER_REPLICA_ID', path: ['flags', 'replicaId'] },
  { name: 'DATABASE_URL', path: ['services', 'databaseUrl'] },
  { name: 'SMTP_URL', path: ['services', 'smtpUrl'] },
  { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', path: ['services', 'otelExporterOtlpEndpoint'] },
  { name: 'OTEL_SDK_DISABLED', path: ['tracing', 'sdkDisabled'] },
  { name: 'OTEL_SERVICE_NAME', path: ['tracing', 'serviceName'] },
  { name: 'STRANGLER_METRICS_DISABLED', path: ['metrics', 'disabled'] },
  { name: 'OTEL_TRACES_SAMPLER', path: ['tracing', 'sampler'] },
  { name: 'OTEL_TRACES_SAMPLER_ARG', path: ['tracing', 'samplerRatio'] },
];

/**
 * Writes the set variables into `raw` (mutated) and returns which dotted
 * config path came from which variable, so problems can name the variable.
 * A numeric variable that is not all digits is kept as a string so the
 * schema reports it.
 */
export function applyEnvOverrides(
  raw: Record<string, unknown>,
  env: Readonly<Record<string, string | undefined>>,
): Map<string, string> {
  const sources = new Map<string, string>();
  for (const o of ENV_OVERRIDES) {
    const value = env[o.name];
    if (value === undefined || value === '') continue;
    setPath(raw, o.path, o.numeric && /^\d{1,5}$/.test(value) ? Number(value) : value);
    sources.set(o.path.join('.'), o.name);
  }
  return sources;
}

function setPath(root: Record<string, unknown>, path: Path, value: unknown): void {
  let node = root;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    // A non-object here is a file mistake the schema will report; replace it so the env still applies.
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1] as string] = value;
}
