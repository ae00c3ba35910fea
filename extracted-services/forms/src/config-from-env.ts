/**
 * The forms configuration from the environment: the `MAUTIC_*` variables exactly as the
 * tracking service reads them (one reader, service-kit/mautic-settings.ts), plus
 * `MAUTIC_SECRET_KEY`, `FORMS_DRY_RUN_LOCK_TIMEOUT_MS`, `FORMS_MAX_BODY_BYTES` and `FORMS_UPLOAD_DIR`.
 */
import { mauticSettingsFromEnv } from '../../service-kit/mautic-settings.ts';
import { FormsConfigError, formsConfig } from './config.ts';
import type { FormsConfig } from './config.ts';

type Env = Record<string, string | undefined>;

function numberFrom(env: Env, name: string, problems: string[]): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d+$/.test(raw)) problems.push(`${name}: must be a whole number, got ${JSON.stringify(raw)}`);
  return Number(raw);
}

/**
 * Reads the configuration.
 *
 * @throws FormsConfigError listing every bad variable.
 * @example
 * const config = formsConfigFromEnv(process.env);
 */
export function formsConfigFromEnv(env: Env): FormsConfig {
  const problems: string[] = [];
  const input: Record<string, unknown> = { mautic: mauticSettingsFromEnv(env, problems) };
  const lockMs = numberFrom(env, 'FORMS_DRY_RUN_LOCK_TIMEOUT_MS', problems);
  if (lockMs !== undefined) input.dryRunLockTimeoutMs = lockMs;
  const maxBody = numberFrom(env, 'FORMS_MAX_BODY_BYTES', problems);
  if (maxBody !== undefined) input.maxBodyBytes = maxBody;
  if (env.FORMS_UPLOAD_DIR) input.uploadDir = env.FORMS_UPLOAD_DIR;
  if (env.MAUTIC_SECRET_KEY) input.secretKey = env.MAUTIC_SECRET_KEY;
  if (problems.length > 0) throw new FormsConfigError(problems);
  return formsConfig(input);
}
