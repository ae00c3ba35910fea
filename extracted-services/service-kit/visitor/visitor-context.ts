/**
 * What visitor tracking works with, in any service: the database handle (the pool, or the
 * transaction of this request), Mautic's settings and the bot rule. A service's own context
 * (tracking's TrackingContext) holds at least these.
 */
import type { Db } from '../../../legacy-adapter/src/db/types.ts';
import type { MauticSettings } from '../mautic-settings.ts';
import type { ContactCache } from './contact-cache.ts';
import type { BotRules } from './visitor.ts';

/** The database and the settings of one piece of visitor tracking. */
export interface VisitorContext {
  db: Db;
  config: { readonly mautic: MauticSettings; readonly botDetector: BotRules['botDetector'] };
  /** Where returning devices are resolved without a read (contact-cache.ts); absent: always from the database. */
  contactCache?: ContactCache;
  /**
   * Registers what to do if this transaction fails: `react` returns true when the failure is one
   * that running the transaction again gets past (it dropped what caused it). Absent: the caller
   * runs no transaction again, so work must not count on it.
   */
  onTransactionFailure?: (react: (err: unknown) => boolean) => void;
}
