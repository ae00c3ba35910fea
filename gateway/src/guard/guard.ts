/**
 * The guard (CONTEXT.md: Guard; docs/architecture.md §4): one rolling window
 * per (route, tenant) fed by every finished request and every shadow
 * comparison, judged every `evaluationIntervalMs`; a crossed threshold moves
 * the route one stage back through the flag store (step-back.ts), so every
 * replica follows. Each replica judges the traffic it served itself; the lock
 * and the store's revision check let one of them act.
 */
import { EventEmitter } from 'node:events';
import type { Registry } from 'prom-client';
import type { GuardSettings, GuardThresholds } from '../config/schema.ts';
import type { FlagChange, FlagStore } from '../flags/store.ts';
import type { Mode } from '../model.ts';
import { decide, evidenceOf, figuresOf, type Baseline, type Figures, type Stage, type Trigger, type Verdict } from './decide.ts';
import type { GuardLock } from './lock.ts';
import { guardActionsCounter } from './metrics.ts';
import { sampleOf, type FinishedRequest } from './samples.ts';
import { effectiveStage, stepBack, type StepBackResult } from './step-back.ts';
import { RollingWindow } from './window.ts';

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

interface Watch {
  readonly routeId: string;
  readonly tenant: string;
  readonly thresholds: GuardThresholds;
  readonly window: RollingWindow;
  /** The stage the window's new-path samples belong to. */
  stage: Stage;
  baseline: Baseline | null;
}

/**
 * Creates the guard and, when enabled, starts its timer.
 *
 * @example
 * const guard = createGuard({ settings: config.guard, routeThresholds: {}, movableRoutes: new Set(['tracking.pixel']), store, lock: createMemoryLock() });
 * guard.observe(requestRecord);
 */
export function createGuard(options: GuardOptions): Guard {
  const { settings, store } = options;
  const now = options.now ?? Date.now;
  const counter = guardActionsCounter(options.registry);
  const events = new EventEmitter();
  const watches = new Map<string, Watch>();
  const defaults: GuardThresholds = pickThresholds(settings);
  /** The movable routes the guard is not turned off for. */
  const watched = new Set([...options.movableRoutes].filter((id) => options.routeThresholds[id]?.enabled ?? defaults.enabled));
  let evaluatedAt: number | null = null;
  let running: Promise<void> | null = null;

  function watchOf(routeId: string, tenant: string, mode: Mode): Watch | null {
    const key = `${tenant}\u0000${routeId}`;
    let w = watches.get(key);
    if (w === undefined) {
      if (!watched.has(routeId)) return null;
      const thresholds = { ...defaults, ...definedOf(options.routeThresholds[routeId]) };
      w = { routeId, tenant, thresholds, window: new RollingWindow(settings.windowMs), stage: stageOf(effectiveStage(store.snapshot(), routeId, tenant)), baseline: null };
      if (w.stage.mode !== mode) return null;
      watches.set(key, w);
    }
    return w;
  }

  /**
   * A sample of another mode than the window's: the first of a new stage (the window starts over
   * in it), or a late one of the stage before (false: not counted).
   */
  function adopt(w: Watch, mode: Mode): boolean {
    const stage = stageOf(effectiveStage(store.snapshot(), w.routeId, w.tenant));
    if (stage.mode !== mode) return false;
    w.stage = stage;
    w.window.forgetNewPath();
    return true;
  }

  function baselineOf(w: Watch, figures: Pick<Figures, 'legacyTimed' | 'legacyLatencySumMs'>, at: number): Baseline | null {
    if (figures.legacyTimed < w.thresholds.minSample) return w.baseline;
    return { latencyMs: figures.legacyLatencySumMs / figures.legacyTimed, samples: figures.legacyTimed, at: new Date(at).toISOString() };
  }

  function judge(w: Watch, at: number): { figures: Figures; verdict: Verdict } {
    const totals = w.window.totals(at);
    const figures = figuresOf(totals, baselineOf(w, totals, at), w.thresholds.latencyFloorMs);
    return { figures, verdict: decide(w.stage.mode, figures, w.thresholds) };
  }

  async function evaluate(): Promise<void> {
    const at = now();
    const attempts: Promise<void>[] = [];
    const snapshot = store.snapshot();
    for (const w of watches.values()) {
      const stage = stageOf(effectiveStage(snapshot, w.routeId, w.tenant));
      if (stage.mode !== w.stage.mode || stage.percent !== w.stage.percent) {
        // Samples taken in another stage say nothing about this one.
        w.stage = stage;
        w.window.forgetNewPath();
        continue;
      }
      const { figures, verdict } = judge(w, at);
      w.baseline = figures.baseline;
      if (verdict.state === 'crossed') attempts.push(act(w, verdict.trigger, figures));
    }
    await Promise.all(attempts);
    evaluatedAt = at;
    events.emit('event', { kind: 'evaluated', watches: watches.size } satisfies GuardEvent);
  }

  async function act(w: Watch, trigger: Trigger, figures: Figures): Promise<void> {
    const result = await stepBack({
      store, lock: options.lock, lockTtlMs: settings.lockTtlMs, routeId: w.routeId, tenant: w.tenant, judged: w.stage, canaryPercent: settings.canaryPercent,
      why: (from, to) => evidenceOf(trigger, figures, w.thresholds, settings.windowMs, from, to),
    });
    if (result.kind === 'acted') {
      counter.inc({ route: w.routeId, tenant: w.tenant, from: result.from.mode, to: result.to.mode, trigger });
      w.stage = result.to;
      w.window.forgetNewPath();
    }
    events.emit('event', { kind: 'attempt', routeId: w.routeId, tenant: w.tenant, trigger, figures, result } satisfies GuardEvent);
  }

  const timer = settings.enabled ? setInterval(() => void evaluateNow(), settings.evaluationIntervalMs) : null;
  timer?.unref();

  function evaluateNow(): Promise<void> {
    running ??= evaluate().finally(() => {
      running = null;
    });
    return running;
  }

  return {
    events,
    evaluateNow,
    observe(request) {
      if (!settings.enabled || request.route === null || request.tenant === null || request.decision === null) return;
      const sample = sampleOf(request);
      if (sample === null) return;
      const w = watches.get(`${request.tenant}\u0000${request.route}`) ?? watchOf(request.route, request.tenant, request.decision.mode);
      if (w === null) return;
      if (sample.kind === 'legacy') w.window.addLegacy(now(), sample.latencyMs);
      else if (request.decision.mode === w.stage.mode || adopt(w, request.decision.mode)) w.window.addNew(now(), sample.failed, sample.latencyMs);
    },
    observeComparison(result) {
      if (!settings.enabled) return;
      const w = watches.get(`${result.tenant}\u0000${result.routeId}`) ?? watchOf(result.routeId, result.tenant, 'shadow');
      if (w !== null && (w.stage.mode === 'shadow' || adopt(w, 'shadow'))) w.window.addComparison(now(), result.matched);
    },
    status() {
      const at = now();
      const list = [...watches.values()].map((w): WatchStatus => {
        const { figures, verdict } = judge(w, at);
        return { routeId: w.routeId, tenant: w.tenant, ...w.stage, thresholds: w.thresholds, figures, state: verdict.state, trigger: verdict.state === 'crossed' ? verdict.trigger : null };
      });
      list.sort((a, b) => a.routeId.localeCompare(b.routeId) || a.tenant.localeCompare(b.tenant));
      return {
        enabled: settings.enabled, windowMs: settings.windowMs, evaluationIntervalMs: settings.evaluationIntervalMs, canaryPercent: settings.canaryPercent,
        thresholds: defaults, evaluatedAt: evaluatedAt === null ? null : new Date(evaluatedAt).toISOString(), watches: list,
      };
    },
    async stop() {
      if (timer) clearInterval(timer);
      await running?.catch(() => undefined);
      await options.lock.close();
    },
  };
}

/** The audit entries of the guard among `entries` (its actions, on any replica). */
export function guardActionsOf(entries: readonly FlagChange[]): FlagChange[] {
  return entries.filter((e) => e.origin === 'automatic');
}

function pickThresholds(s: GuardSettings): GuardThresholds {
  return {
    enabled: s.enabled, maxErrorRatePercent: s.maxErrorRatePercent, maxLatencyRatio: s.maxLatencyRatio,
    maxMismatchRatePercent: s.maxMismatchRatePercent, minSample: s.minSample, latencyFloorMs: s.latencyFloorMs,
  };
}

function definedOf<T extends object>(o: T | undefined): Partial<T> {
  return o === undefined ? {} : (Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>);
}

function stageOf(s: Stage): Stage {
  return s.percent === undefined ? { mode: s.mode } : { mode: s.mode, percent: s.percent };
}
