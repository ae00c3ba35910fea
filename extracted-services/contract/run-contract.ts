/**
 * Runs a contract: every case against every implementation, on SQLite, MariaDB and the
 * real Mautic 5 schema (test-support/databases.ts). Each case starts from the tables the
 * area clears; an implementation is started once per distinct settings and database.
 */
import type { Db, Row } from '../../legacy-adapter/src/db/types.ts';
import { rows } from '../../legacy-adapter/src/standin/standin-test-kit.ts';
import { forEachDialect } from '../../test-support/databases.ts';
import type { ContractCase, ContractExpectation, ContractRequest, ContractResponse, ContractSettings, Fixture } from './contract-case.ts';
import type { Implementation, RunningImplementation } from './implementations.ts';
import { cookieHeaderFrom, sendRaw } from './send-raw.ts';

/** Options of `runContract`. */
export interface RunContractOptions {
  /** Empties the area's tables before each case. */
  clear: (db: Db) => Promise<void>;
  /** More blocks to run on the same databases (e.g. the cases again as dry runs): one set of databases per run. */
  alsoRun?: (getDb: () => Db) => void;
  /** Table prefixes the real Mautic 5 schema runs with (default `['']`; e.g. `['', 'mt_']`). */
  realMauticPrefixes?: readonly string[];
}

/** `*` in a cookie pattern stands for value characters. */
function cookiePattern(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^;]*')}$`);
}

/** Asserts the status, headers, cookies and body of `res`. */
export function checkAnswer(res: ContractResponse, want: ContractExpectation): void {
  expect(res.status).toBe(want.status);
  for (const [name, value] of Object.entries(want.headers ?? {})) {
    const got = res.headers[name.toLowerCase()];
    if (value === null) expect([name, got]).toEqual([name, undefined]);
    else if (value instanceof RegExp) expect([name, got]).toEqual([name, expect.stringMatching(value)]);
    else expect([name, got]).toEqual([name, value]);
  }
  if (want.cookies) expect(res.cookies).toEqual(want.cookies.map((c) => expect.stringMatching(cookiePattern(c))));
  const body = want.body;
  if (body === undefined) return;
  if (typeof body === 'function') body(res.body);
  else if (Buffer.isBuffer(body)) expect(res.body.equals(body)).toBe(true);
  else if (typeof body === 'string') expect(res.body.toString('utf8')).toBe(body);
  else expect(JSON.parse(res.body.toString('utf8'))).toEqual(body.json);
}

/** Tables without an `id` column, and the order their rows are compared in. */
const ROW_ORDER: Record<string, string> = {
  channel_url_trackables: 'redirect_id, channel_id', lead_ips_xref: 'lead_id, ip_id', lead_tags_xref: 'lead_id, tag_id',
  lead_lists_leads: 'leadlist_id, lead_id', companies_leads: 'company_id, lead_id', campaign_leads: 'campaign_id, lead_id',
  point_lead_action_log: 'point_id, lead_id',
};

/** Every row of `table`, undecoded, in a stable order. */
export function tableRows(db: Db, table: string): Promise<Row[]> {
  // A form's results table is keyed by its submission (docs/mautic/schema.md "Form results tables").
  return rows(db, table, ROW_ORDER[table] ?? (table.startsWith('form_results_') ? 'submission_id' : 'id'));
}

/** Asserts every row of each table the expectation names. */
export async function checkRows(db: Db, want: ContractExpectation): Promise<void> {
  for (const [table, expected] of Object.entries(want.rows ?? {})) {
    expect({ table, rows: await tableRows(db, table) }).toMatchObject({ table, rows: expected });
  }
}

/** Hooks of `exchange`, for suites that run the cases another way (e.g. as dry runs). */
export interface ExchangeHooks {
  /** Changes the final request. */
  adjust?: (r: ContractRequest) => ContractRequest;
  /** Runs after `given` and `before`, just before the final request. */
  beforeRequest?: () => Promise<void>;
}

/**
 * Makes a case's exchanges against `baseUrl`: `given`, then `before` (collecting
 * cookies), then the request itself with those cookies.
 */
export async function exchange(baseUrl: string, db: Db, kase: ContractCase, hooks: ExchangeHooks = {}): Promise<{ fx: Fixture; res: ContractResponse }> {
  const adjust = hooks.adjust ?? ((r: ContractRequest) => r);
  const fx = kase.given ? await kase.given(db) : {};
  const jar: string[] = [];
  const withJar = (r: ContractRequest): ContractRequest => {
    const cookie = [cookieHeaderFrom(jar), r.headers?.cookie].filter((c) => c).join('; ');
    return cookie ? { ...r, headers: { ...r.headers, cookie } } : r;
  };
  for (const step of kase.before?.(fx) ?? []) jar.push(...(await sendRaw(baseUrl, withJar(step))).cookies);
  await hooks.beforeRequest?.();
  return { fx, res: await sendRaw(baseUrl, adjust(withJar(kase.request(fx)))) };
}

/** Starts implementations lazily, one per settings, and closes them all. */
export function implementationPool(impl: Implementation, getDb: () => Db): { get(settings?: ContractSettings): Promise<RunningImplementation>; closeAll(): Promise<void> } {
  const started = new Map<string, Promise<RunningImplementation>>();
  return {
    get(settings = {}) {
      const key = JSON.stringify(settings);
      if (!started.has(key)) started.set(key, impl.start(getDb(), settings));
      return started.get(key)!;
    },
    async closeAll() {
      for (const running of started.values()) await (await running).close();
      started.clear();
    },
  };
}

/**
 * Registers the contract's tests.
 *
 * @example
 * runContract('tracking', TRACKING_CASES, [STANDIN, TRACKING_SERVICE], { clear: clearTrackingContract });
 */
export function runContract(area: string, cases: readonly ContractCase[], implementations: readonly Implementation[], options: RunContractOptions): void {
  forEachDialect(`${area} contract`, (getDb) => {
    for (const impl of implementations) {
      describe(impl.name, () => {
        const pool = implementationPool(impl, getDb);
        afterAll(() => pool.closeAll());
        beforeEach(() => options.clear(getDb()));
        it.each(cases.map((c) => [`${c.name} (${c.cite})`, c] as const))('%s', async (_name, kase) => {
          const running = await pool.get(kase.settings);
          const { fx, res } = await exchange(running.url, getDb(), kase);
          const want = kase.expect(fx);
          checkAnswer(res, want);
          await checkRows(getDb(), want);
        });
      });
    }
    options.alsoRun?.(getDb);
  }, { realMautic: options.realMauticPrefixes ?? true });
}
