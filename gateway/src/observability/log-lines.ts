/**
 * Every log message of the gateway, in one place (docs/style.md §5). Code logs
 * `logger.info(fields, LOG_LINES.x)`; the fields carry the data, the message
 * stays constant so lines can be counted and searched.
 */
export const LOG_LINES = {
  /** One per request: the decision record (record stage). */
  request: 'request',
  /** A request that could not be parsed (node:http clientError). */
  clientError: 'client error answered',
  /** A bug; the request got 500 GW_ERR_INTERNAL_UNEXPECTED. */
  unexpected: 'unexpected error while serving a request',
  /** Both ports listen. */
  listening: 'gateway listening',
  /** A new flag snapshot replaced the old one. */
  flagsApplied: 'flag snapshot applied',
  /** The flag store failed to become ready: readiness stays off, catalogue defaults serve. */
  flagStoreNotReady: 'flag store not ready: serving catalogue defaults, /readyz stays 503',
  /** REDIS_URL is set, but the Redis flag store is not built yet: flags live in memory. */
  redisStoreNotYet: 'REDIS_URL is set but the Redis flag store is not available yet: using the in-memory flag store',
  /** SIGTERM/SIGINT: readiness off, no new connections, waiting for in-flight requests. */
  draining: 'draining',
  /** Drain finished (or its timeout passed); pools closed. */
  stopped: 'gateway stopped',
} as const;
