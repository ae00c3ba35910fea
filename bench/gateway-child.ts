/**
 * Child-process entry that runs the gateway for the benchmark:
 * `startGateway(loadConfig(process.env))` from gateway/src/main.ts, with the
 * environment the parent set (PORT, ADMIN_PORT, LEGACY_URL). SIGTERM drains
 * and closes it, as in production.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

interface Running { close(): Promise<void> }
type StartGateway = (config: unknown) => Promise<Running>;
type LoadConfig = (env: NodeJS.ProcessEnv) => unknown;

const src = join(process.cwd(), 'gateway', 'src');
const main = (await import(pathToFileURL(join(src, 'main.ts')).href)) as { startGateway?: StartGateway };
const load = (await import(pathToFileURL(join(src, 'config', 'load.ts')).href)) as { loadConfig?: LoadConfig };
if (typeof main.startGateway !== 'function' || typeof load.loadConfig !== 'function') {
  console.error('gateway/src/main.ts must export startGateway and gateway/src/config/load.ts loadConfig');
  process.exit(3);
}
const gateway = await main.startGateway(load.loadConfig(process.env));
process.once('SIGTERM', () => {
  gateway.close().then(() => process.exit(0), () => process.exit(1));
});
