/**
 * What the domain functions work with: the database handle (the pool, or the transaction
 * of this request) and the validated configuration.
 */
import type { Db } from '../../../../legacy-adapter/src/db/types.ts';
import type { TrackingConfig } from '../config.ts';

/** The database and configuration of one piece of tracking work. */
export interface TrackingContext {
  db: Db;
  config: TrackingConfig;
}
