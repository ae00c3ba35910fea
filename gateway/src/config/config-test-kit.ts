/** For the configuration tests: what `loadConfig` says of a configuration file. */
import { ConfigError, loadConfig } from './load.ts';

/** The problems `loadConfig` lists for `file` as the `STRANGLER_CONFIG` file; none when it loads. */
export function problemsOfFile(file: unknown): readonly string[] {
  try {
    loadConfig({ STRANGLER_CONFIG: '/cfg.json' }, () => JSON.stringify(file));
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}
