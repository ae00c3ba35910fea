/**
 * One contract case: an HTTP exchange written once, as data, and run against every
 * implementation of its area (README.md). A case cites the docs/mautic section it checks.
 */
import type { Db, Row } from '../../legacy-adapter/src/db/types.ts';

/** Mautic settings a case may change; both implementations take these keys. */
export interface ContractSettings {
  doNotTrackIps?: string[];
  anonymizeIp?: boolean;
  corsRestrictDomains?: boolean;
  corsValidDomains?: string[];
  cookieSecure?: boolean;
  trackContactByIp?: boolean;
}

/** A request as bytes on the wire: the path is sent as given (no re-encoding). */
export interface ContractRequest {
  method?: string;
  /** Raw request target, e.g. `/mtracking.gif?page_url=…`. */
  path: string;
  /** Header values; an array sends the header once per value. */
  headers?: Record<string, string | string[]>;
  body?: string | Buffer;
}

/** What came back. */
export interface ContractResponse {
  status: number;
  /** Lower-case names; repeated headers other than Set-Cookie joined with ', '. */
  headers: Record<string, string>;
  cookies: string[];
  body: Buffer;
}

/** Values a case's rows and requests refer to (ids of the rows `given` wrote). */
export type Fixture = Record<string, number | string>;

/** The expected answer and rows. */
export interface ContractExpectation {
  status: number;
  /** Header → exact value, a RegExp, or null for "absent". */
  headers?: Record<string, string | RegExp | null>;
  /**
   * The Set-Cookie values in order, `*` standing for any value characters
   * (e.g. `mautic_device_id=*; expires=…`); [] for none. Omitted: not checked.
   */
  cookies?: string[];
  /** Exact bytes/text, parsed JSON (jest matchers allowed), or a check of its own. */
  body?: Buffer | string | { json: unknown } | ((body: Buffer) => void);
  /**
   * Every row of each named table after the exchange, by id, each partially matched
   * (jest matchers allowed); tables not named are not checked.
   */
  rows?: Record<string, Row[]>;
}

/** One exchange of the contract. */
export interface ContractCase {
  name: string;
  /** The section of docs/mautic/public-http.md (or docs/architecture.md) it checks, e.g. `§3.2`. */
  cite: string;
  settings?: ContractSettings;
  /** Rows to write first; returns the values the rest of the case refers to. */
  given?: (db: Db) => Promise<Fixture>;
  /** Exchanges made first; their Set-Cookie values are sent as cookies of the next ones. */
  before?: (fx: Fixture) => ContractRequest[];
  request: (fx: Fixture) => ContractRequest;
  expect: (fx: Fixture) => ContractExpectation;
}
