/**
 * What the domain functions work with: the database handle (the pool, or the transaction
 * of this request) and the validated configuration.
 */
import type { Db } from '../../../../legacy-adapter/src/db/types.ts';
import type { ContactCache } from '../../../service-kit/visitor/contact-cache.ts';
import type { TrackingConfig } from '../config.ts';
import type { HitCompletion } from './hit-completion.ts';

/** The database and configuration of one piece of tracking work. */
export interface TrackingContext {
  db: Db;
  config: TrackingConfig;
  /** Returning devices resolved without a read (README § Contact cache); absent in dry runs and the worker. */
  contactCache?: ContactCache;
  /** Registers what to do if the request's transaction fails (VisitorContext); absent where nothing runs it again. */
  onTransactionFailure?: (react: (err: unknown) => boolean) => void;
  /**
   * Where phase 2 of a page hit goes (§2.8): absent = inline in this transaction, as
   * Mautic's `sync://`; the queued mode hands it to the worker after the commit.
   *
   * @returns cookies of an open recorded on the way ([] when deferred).
   */
  deferHit?: (hit: HitCompletion) => Promise<string[]>;
}
