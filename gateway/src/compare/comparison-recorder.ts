/**
 * Where every shadowed request's comparison ends (docs/architecture.md §6): counted in the
 * per-route stats, kept as a redacted diff record when the answers differ, and told to
 * whoever listens (`onComparison`: the guard's mismatch rate, metrics, spans). One per process.
 */
import type { ComparisonSettings } from '../config/schema.ts';
import type { ComparisonStats } from './comparison-stats.ts';
import { buildDiffRecord, type DiffSide } from './diff-record.ts';
import type { DiffStore } from './diff-store.ts';
import { recordResponse } from './recorded-response.ts';
import type { CapturedResponse, Comparison } from './types.ts';

/** What one shadowed request's comparison gave, as listeners get it. */
export interface ComparisonEvent {
  readonly routeId: string;
  readonly tenant: string;
  /** When the request came in. */
  readonly at: Date;
  /** W3C trace id the copy carried in `traceparent`. */
  readonly traceId: string | null;
  readonly requestId: string;
  /** match, mismatch (with its differences, not redacted: listeners must not store them), or skipped with its reason. */
  readonly comparison: Comparison;
  /** Each side's status and latency, when that side answered in full. */
  readonly legacy?: DiffSide;
  readonly new?: DiffSide;
}

/** A listener; it runs on the event loop after the client has its answer, so it must be quick and must not throw. */
export type ComparisonListener = (event: ComparisonEvent) => void;

/** What the shadow path hands over: the event, and both captures for the diff record. */
export interface SettledComparison extends ComparisonEvent {
  readonly captures?: { readonly legacy: CapturedResponse; readonly new: CapturedResponse };
}

/** The recorder the pipeline settles into and the admin API reads. */
export interface ComparisonRecorder {
  /** Counts `settled`, stores its diff when it is a mismatch, then tells every listener. */
  settle(settled: SettledComparison): void;
  /**
   * Subscribes to every comparison of this process.
   *
   * @returns a function that unsubscribes.
   * @example
   * const stop = gateway.comparisons.onComparison((e) => { if (e.comparison.outcome === 'mismatch') window.add(e.routeId, e.tenant); });
   */
  onComparison(listener: ComparisonListener): () => void;
  readonly stats: ComparisonStats;
  readonly store: DiffStore;
}

/** Settings the recorder reads. */
export type RecorderSettings = Pick<ComparisonSettings, 'maxValueChars' | 'maxStoredBodyChars'>;

/**
 * Creates the recorder.
 *
 * @param onListenerError - told when a listener throws (the others still run).
 * @example
 * const recorder = createComparisonRecorder({ stats: createComparisonStats(), store, settings: config.comparison });
 */
export function createComparisonRecorder(deps: {
  readonly stats: ComparisonStats;
  readonly store: DiffStore;
  readonly settings: RecorderSettings;
  readonly onListenerError?: (err: unknown) => void;
}): ComparisonRecorder {
  const listeners = new Set<ComparisonListener>();
  const { stats, store, settings } = deps;
  return {
    stats,
    store,
    settle(settled) {
      const { comparison } = settled;
      stats.record(settled.routeId, comparison, { ...(settled.legacy ? { legacyMs: settled.legacy.latencyMs } : {}), ...(settled.new ? { newMs: settled.new.latencyMs } : {}) });
      if (comparison.outcome === 'mismatch' && settled.legacy && settled.new) {
        const responses = settled.captures
          ? { legacy: recordResponse(settled.captures.legacy, settings.maxStoredBodyChars), new: recordResponse(settled.captures.new, settings.maxStoredBodyChars) }
          : undefined;
        const context = { routeId: settled.routeId, tenant: settled.tenant, at: settled.at, traceId: settled.traceId, legacy: settled.legacy, new: settled.new, ...(responses ? { responses } : {}) };
        void store.add(buildDiffRecord(context, comparison, { maxValueChars: settings.maxValueChars }));
      }
      const event: ComparisonEvent = { ...settled };
      delete (event as { captures?: unknown }).captures;
      for (const listener of listeners) {
        try {
          listener(event);
        } catch (err) {
          deps.onListenerError?.(err);
        }
      }
    },
    onComparison(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}
