/**
 * The guard's public shapes: its options, what it is fed, what it tells, and
 * the status `GET /admin/guard` shows (guard.ts builds it).
 */
import type { EventEmitter } from 'node:events';
import type { Registry } from 'prom-client';
import type { GuardSettings, GuardThresholds } from '../config/schema.ts';
import type { FlagStore } from '../flags/store.ts';
import type { Figures, Stage, Trigger, Verdict } from './decide.ts';
import type { GuardLock } from './lock.ts';
import type { FinishedRequest } from './samples.ts';
import type { StepBackResult } from './step-back.ts';

/** What `createGuard` needs. */
export interface GuardOptions {
  readonly settings: GuardSettings;
  /** Routes with their own thresholds (`routes.<routeId>.guard`). */
  readonly routeThresholds: Readonly<Record<string, Partial<GuardThresholds> | undefined>>;
  /** Ids of the routes that may move (they have a new upstream); the others are never watched. */
  readonly movableRoutes: ReadonlySet<string>;
  readonly store: FlagStore;
  readonly lock: GuardLock;
  /** Where the actions counter lives; default prom-client's default registry. */
  readonly registry?: Registry;
  /** Clock, ms; default `Date.now`. */
  readonly now?: () => number;
}

/** A shadow comparison's result, as the shadow stage reports it. */
export interface ComparisonResult {
  readonly routeId: string;
  readonly tenant: string;
  readonly matched: boolean;
}

/** What the guard tells (`guard.events.on('event', …)`): main.ts logs it, tests await it. */
export type GuardEvent =
  | { readonly kind: 'evaluated'; readonly watches: number }
  | ({ readonly kind: 'attempt'; readonly routeId: string; readonly tenant: string; readonly trigger: Trigger; readonly figures: Figures } & { readonly result: StepBackResult });

/** One watched (route, tenant) as `GET /admin/guard` shows it. */
export interface WatchStatus extends Stage {
  readonly routeId: string;
  readonly tenant: string;
  readonly thresholds: GuardThresholds;
  readonly figures: Figures;
  readonly state: Verdict['state'];
  readonly trigger: Trigger | null;
}

/** The guard's settings and windows on this replica. */
export interface GuardStatus {
  readonly enabled: boolean;
  readonly windowMs: number;
  readonly evaluationIntervalMs: number;
  readonly canaryPercent: number;
  readonly thresholds: GuardThresholds;
  /** ISO time of the last evaluation; null before the first. */
  readonly evaluatedAt: string | null;
  readonly watches: readonly WatchStatus[];
}

/** A running guard. */
export interface Guard {
  /** Feeds one finished request (the pipeline calls it once per request); never throws, never awaits. */
  observe(request: FinishedRequest): void;
  /** Feeds one shadow comparison. */
  observeComparison(result: ComparisonResult): void;
  /** Judges every window now and acts where a threshold is crossed; resolves when the attempts are done. */
  evaluateNow(): Promise<void>;
  status(): GuardStatus;
  /** Emits `event` with a GuardEvent. */
  readonly events: EventEmitter;
  /** Stops the timer and closes the lock. */
  stop(): Promise<void>;
}
