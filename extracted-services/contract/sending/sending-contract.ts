/**
 * The sending contract's case type and runner. A sending case is a contract case
 * (../contract-case.ts) with the API settings both implementations take, and a check of the
 * messages the exchange handed to the mailer: each implementation sends into a memory
 * mailer, with delivery inline (the embedded default, docs/architecture.md §9: synchronous
 * queues), so the message is there when the answer is.
 */
import type { Db } from '../../../legacy-adapter/src/db/types.ts';
import type { OutgoingEmail } from '../../../legacy-adapter/src/mail/types.ts';
import { memoryMailer, startTestStandin, TEST_NOW } from '../../../legacy-adapter/src/standin/standin-test-kit.ts';
import { forEachDialect } from '../../../test-support/databases.ts';
import { sendingConfig } from '../../sending/src/config.ts';
import { startSending } from '../../sending/src/server.ts';
import type { ContractCase, ContractRequest, ContractResponse, Fixture } from '../contract-case.ts';
import type { RunningImplementation } from '../implementations.ts';
import { checkAnswer, checkRows, exchange } from '../run-contract.ts';

/** Mautic settings a sending case may change; both implementations take these keys. */
export interface SendingSettings {
  siteUrl: string;
  apiEnabled?: boolean;
  apiEnableBasicAuth?: boolean;
  /** `upload_dir`, where local assets' files are (§5.3 `assetAttachments`). */
  uploadDir?: string;
}

/** One exchange of the sending contract. */
export interface SendingCase extends Omit<ContractCase, 'settings'> {
  settings: SendingSettings;
  /** Checks the messages the exchange sent, in order ([] when none). */
  mail?: (fx: Fixture, sent: readonly OutgoingEmail[]) => void;
}

/** An implementation of the sending routes, sending into `mailer`. */
export interface SendingImplementation {
  name: string;
  start(db: Db, settings: SendingSettings, mailer: ReturnType<typeof memoryMailer>): Promise<RunningImplementation>;
}

/** The stand-in monolith, the reference. */
export const SENDING_STANDIN: SendingImplementation = {
  name: 'stand-in',
  start: (db, settings, mailer) => startTestStandin(db, settings, mailer),
};

/** The extracted sending service, delivering inline. */
export const SENDING_SERVICE: SendingImplementation = {
  name: 'sending service',
  start: (db, settings, mailer) => startSending({ db, config: sendingConfig({ mautic: settings }), mailer, now: () => TEST_NOW }, { port: 0, drainTimeoutMs: 1_000 }),
};

/** Options of `runSendingContract`. */
export interface SendingContractOptions {
  clear: (db: Db) => Promise<void>;
  /** Changes each final request (the dry-run suite adds `X-Strangler-Mode: shadow`). */
  adjust?: (r: ContractRequest) => ContractRequest;
  /** Runs after `given` and `before`, just before the final request. */
  beforeRequest?: (db: Db, sent: readonly OutgoingEmail[]) => Promise<void>;
  /** Replaces the case's own checks (the dry-run suite checks that nothing changed). */
  check?: (kase: SendingCase, db: Db, result: { fx: Fixture; res: ContractResponse; sent: readonly OutgoingEmail[] }) => Promise<void>;
}

/**
 * Registers the contract's tests: every case against every implementation, on SQLite,
 * MariaDB and the real Mautic 5 schema.
 */
export function runSendingContract(title: string, cases: readonly SendingCase[], implementations: readonly SendingImplementation[], options: SendingContractOptions): void {
  forEachDialect(title, (getDb) => {
    for (const impl of implementations) {
      describe(impl.name, () => {
        const mailer = memoryMailer();
        const started = new Map<string, Promise<RunningImplementation>>();
        const get = (settings: SendingSettings) => {
          const key = JSON.stringify(settings);
          if (!started.has(key)) started.set(key, impl.start(getDb(), settings, mailer));
          return started.get(key)!;
        };
        afterAll(async () => {
          for (const running of started.values()) await (await running).close();
        });
        beforeEach(async () => {
          mailer.sent.length = 0;
          await options.clear(getDb());
        });
        it.each(cases.map((c) => [`${c.name} (${c.cite})`, c] as const))('%s', async (_name, kase) => {
          const running = await get(kase.settings);
          const hooks = { ...(options.adjust ? { adjust: options.adjust } : {}), beforeRequest: () => options.beforeRequest?.(getDb(), mailer.sent) ?? Promise.resolve() };
          const { fx, res } = await exchange(running.url, getDb(), { ...kase, settings: {} }, hooks);
          if (options.check) return options.check(kase, getDb(), { fx, res, sent: mailer.sent });
          const want = kase.expect(fx);
          checkAnswer(res, want);
          await checkRows(getDb(), want);
          kase.mail?.(fx, mailer.sent);
          if (!kase.mail) expect(mailer.sent).toEqual([]);
        });
      });
    }
  }, { realMautic: true });
}
