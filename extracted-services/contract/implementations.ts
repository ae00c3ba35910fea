/**
 * The implementations a contract runs against, each started on 127.0.0.1:0 over the
 * test database with the contract's fixed clock. This is the one folder under
 * extracted-services/ that imports the stand-in: it is the reference the services are
 * compared with.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db } from '../../legacy-adapter/src/db/types.ts';
import { TEST_NOW, startTestStandin } from '../../legacy-adapter/src/standin/standin-test-kit.ts';
import { formsConfig } from '../forms/src/config.ts';
import { startForms } from '../forms/src/server.ts';
import { trackingConfig } from '../tracking/src/config.ts';
import { startTracking } from '../tracking/src/server.ts';
import type { ContractSettings } from './contract-case.ts';

/** A started implementation. */
export interface RunningImplementation {
  url: string;
  close(): Promise<void>;
}

/** One implementation of an area. */
export interface Implementation {
  name: string;
  start(db: Db, settings: ContractSettings): Promise<RunningImplementation>;
}

/** The stand-in monolith (legacy-adapter/src/standin), the reference. */
export const STANDIN: Implementation = {
  name: 'stand-in',
  start: (db, settings) => startTestStandin(db, settings),
};

/**
 * The extracted tracking service, in Mautic mode. Its dry runs get 10 s instead of 300 ms:
 * the contract checks answers and rows, and on a loaded test machine a statement can take
 * longer than 300 ms (giving up is tested in tracking/test/dry-run-lock.test.ts). It reads the
 * publicly updatable fields for every hit (`fieldsTtlMs: 0`): cases write `lead_fields` just
 * before their request, and the default 10 s of the contact cache is a deliberate delay
 * (tracking/README.md § Contact cache), not a case. Its contact cache is on.
 */
export const TRACKING_SERVICE: Implementation = {
  name: 'tracking service',
  start: (db, settings) =>
    startTracking({ db, config: trackingConfig({ mautic: settings, dryRunLockTimeoutMs: 10_000, contactCache: { fieldsTtlMs: 0 } }), now: () => TEST_NOW }, { port: 0, drainTimeoutMs: 1_000 }),
};

/**
 * The extracted forms service; uploads go to a temporary directory. `overrides` change its
 * configuration (e.g. a dry-run lock timeout that a loaded test machine does not trip).
 */
export function formsService(overrides: Record<string, unknown> = {}): Implementation {
  return {
    name: 'forms service',
    async start(db, settings) {
      const uploadDir = await mkdtemp(join(tmpdir(), 'strangler-contract-uploads-'));
      const config = formsConfig({ mautic: settings, uploadDir, ...overrides });
      const running = await startForms({ db, config, now: () => TEST_NOW }, { port: 0, drainTimeoutMs: 1_000 });
      return { url: running.url, close: async () => (await running.close(), await rm(uploadDir, { recursive: true, force: true })) };
    },
  };
}

/** The extracted forms service with its defaults. */
export const FORMS_SERVICE: Implementation = formsService();
