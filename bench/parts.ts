/** The project's parts as the bench runs them: each as its container does (`node scripts/serve.ts <part>`). */
import { freePort, startChild, waitForPort } from './processes.ts';

/** The repository's root: the parts run from there. */
export const ROOT = new URL('..', import.meta.url).pathname;

/**
 * Starts a part over `databaseUrl` on `port` (default: a free one) and waits until it listens
 * (60 s: a first start migrates its database).
 */
export async function startPart(part: string, databaseUrl: string, env: Record<string, string> = {}, port?: number) {
  port ??= await freePort();
  const child = startChild(process.execPath, ['scripts/serve.ts', part], {
    cwd: ROOT, env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent', ...env },
  });
  await waitForPort(port, 60_000);
  return { url: `http://127.0.0.1:${port}`, child };
}
