/**
 * The sending service's Prometheus counters (served at `/metrics` by the service; the
 * worker counts into its own registry).
 */
import { Counter, Registry } from 'prom-client';

/** The counters. */
export interface SendingMetrics {
  registry: Registry;
  /** Messages by outcome: `sent`, `failed` (inline), `queued`, `pending` (Redis refused: left to the sweeper), `recovered` (queued by the sweeper), `retried`, `dead`, `already-sent`. */
  messages: Counter<'outcome'>;
  /** Messages sent again after a try that may have been accepted (README § the one window). */
  uncertain: Counter;
}

/** A new registry with the counters. */
export function createSendingMetrics(): SendingMetrics {
  const registry = new Registry();
  return {
    registry,
    messages: new Counter({ name: 'sending_messages_total', help: 'Messages by outcome', labelNames: ['outcome'], registers: [registry] }),
    uncertain: new Counter({ name: 'sending_uncertain_total', help: 'Messages sent again after a try that may have been accepted', registers: [registry] }),
  };
}
