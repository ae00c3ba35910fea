/**
 * The guard (CONTEXT.md: Guard; docs/architecture.md §4): one rolling window
 * per (route, tenant) fed by every finished request and every shadow
 * comparison, judged every `evaluationIntervalMs`; a crossed threshold moves
 * the route one stage back through the flag store (step-back.ts), so every
 * replica follows. Each replica judges the traffic it served itself; the lock
 * and the store's revision check let one of them act.
 */
import { EventEmitter } from 'node:events';
import type { GuardSettings, GuardThresholds } from '../config/schema.ts';
import type { FlagChange } from '../flags/store.ts';
import type { Mode } from '../model.ts';
import { decide, evidenceOf, figuresOf, type Baseline, type Figures, type Stage, type Trigger, type Verdict } from './decide.ts';
import type { Guard, GuardEvent, GuardOptions, WatchStatus } from './guard-types.ts';
import { guardActionsCounter } from './metrics.ts';
import { sampleOf } from './samples.ts';
import { effectiveStage, stepBack } from './step-back.ts';
import { RollingWindow } from './window.ts';

export type { ComparisonResult, Guard, GuardEvent, GuardOptions, GuardStatus, WatchStatus } from './guard-types.ts';

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
  /** Watches by route id, then tenant: no key is built per request. */
  const watches = new Map<string, Map<string, Watch>>();
  const defaults: GuardThresholds = pickThresholds(settings);
  /** The movable routes the guard is not turned off for. */
  const watched = new Set([...options.movableRoutes].filter((id) => options.routeThresholds[id]?.enabled ?? defaults.enabled));
  let evaluatedAt: number | null = null;
  let running: Promise<void> | null = null;

  /** The watch of (route, tenant), created when the route is watched and `mode` is its mode now. */
  function watchOf(routeId: string, tenant: string, mode: Mode): Watch | null {
    let byTenant = watches.get(routeId);
    let w = byTenant?.get(tenant);
    if (w === undefined) {
      if (!watched.has(routeId)) return null;
      const thresholds = { ...defaults, ...definedOf(options.routeThresholds[routeId]) };
      w = { routeId, tenant, thresholds, window: new RollingWindow(settings.windowMs), stage: stageOf(effectiveStage(store.snapshot(), routeId, tenant)), baseline: null };
      if (w.stage.mode !== mode) return null;
      if (byTenant === undefined) watches.set(routeId, (byTenant = new Map()));
      byTenant.set(tenant, w);
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
    for (const w of allWatches()) {
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
    events.emit('event', { kind: 'evaluated', watches: allWatches().length } satisfies GuardEvent);
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

  function allWatches(): Watch[] {
    return [...watches.values()].flatMap((byTenant) => [...byTenant.values()]);
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
      if (!settings.enabled || request.route === null || !watched.has(request.route) || request.tenant === null || request.decision === null) return;
      const sample = sampleOf(request);
      if (sample === null) return;
      const w = watchOf(request.route, request.tenant, request.decision.mode);
      if (w === null) return;
      if (sample.kind === 'legacy') w.window.addLegacy(now(), sample.latencyMs);
      else if (request.decision.mode === w.stage.mode || adopt(w, request.decision.mode)) w.window.addNew(now(), sample.failed, sample.latencyMs);
    },
    observeComparison(result) {
      if (!settings.enabled) return;
      const w = watchOf(result.routeId, result.tenant, 'shadow');
      if (w !== null && (w.stage.mode === 'shadow' || adopt(w, 'shadow'))) w.window.addComparison(now(), result.matched);
    },
    status() {
      const at = now();
      const list = allWatches().map((w): WatchStatus => {
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
