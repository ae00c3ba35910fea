/**
 * The forms service's one configuration schema (zod): the Mautic settings it shares with the
 * tracking service (the same `MAUTIC_*` variables as the stand-in, docs/mautic/public-http.md
 * §2.2–2.4), and its own. Validated at start-up; every problem is reported with its path.
 */
import { z } from 'zod';
import { DEV_SECRET_KEY } from '../../../legacy-adapter/src/codecs/ids.ts';
import { mauticSettingsSchema } from '../../service-kit/mautic-settings.ts';

/** Port of the forms service in the local stack (docs/architecture.md §9). */
export const DEFAULT_FORMS_PORT = 8102;

/** PHP's `post_max_size` (8 MiB): a larger body leaves `$_POST` empty, as in Mautic. */
export const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;

/** The service's settings. */
export const formsConfigSchema = z.object({
  mautic: mauticSettingsSchema.default(() => mauticSettingsSchema.parse({})),
  /** Lock-wait and statement timeout of a dry run, in ms (docs/architecture.md §5). */
  dryRunLockTimeoutMs: z.number().int().min(1).max(10_000).default(300),
  /** Body limit in bytes (`post_max_size`); over it the post is empty, as in PHP. */
  maxBodyBytes: z.number().int().positive().default(DEFAULT_MAX_BODY_BYTES),
  /**
   * Where uploaded files are stored (Mautic's `form_upload_dir`; a volume in Kubernetes):
   * `<dir>/<formId>/<fieldId>/<stored name>`. Never written by a dry run.
   */
  uploadDir: z.string().min(1).default('var/uploads/forms'),
  /**
   * Mautic's `secret_key` (`MAUTIC_SECRET_KEY`): signs the flash cookie `/form/message` reads
   * (domain/flash-cookie.ts). The default is the stand-in's and sending's development key.
   */
  secretKey: z.string().min(16).default(DEV_SECRET_KEY),
}).strict();

/** The validated configuration (frozen). */
export type FormsConfig = z.infer<typeof formsConfigSchema>;

/** A configuration with problems; all of them are listed. */
export class FormsConfigError extends Error {
  readonly code = 'FORMS_ERR_CONFIG_INVALID';
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`Invalid forms configuration:\n- ${problems.join('\n- ')}`);
    this.name = 'FormsConfigError';
    this.problems = problems;
  }
}

/**
 * Validates and freezes a configuration; missing keys get their defaults.
 *
 * @throws FormsConfigError naming every bad path.
 * @example
 * const config = formsConfig({ mautic: { siteUrl: 'https://m.example.com' } });
 */
export function formsConfig(input: unknown = {}): FormsConfig {
  const parsed = formsConfigSchema.safeParse(input);
  if (!parsed.success) {
    throw new FormsConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  Object.freeze(parsed.data.mautic);
  return Object.freeze(parsed.data);
}
