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
  /** The Redis flag store answered (again) and its snapshot was read. */
  flagStoreConnected: 'flag store connected',
  /** A full read of the Redis flag store (after a reconnect, a gap or the periodic check). */
  flagStoreResynced: 'flag store resynced',
  /** Redis cannot be reached: the last snapshot keeps serving, changes are refused with 503. */
  flagStoreDisconnected: 'flag store unreachable: serving the last snapshot, changes refused',
  /** A full read of the Redis flag store failed (timeout, bad version key): the snapshot stays; retried. */
  flagStoreReadFailed: 'flag store read failed: keeping the applied snapshot',
  /** The store's version is lower than the applied one: Redis lost data; its content is applied. */
  flagStoreWentBack: 'flag store version went back (Redis lost data?): applying what it holds',
  /** A stored mode, revision, audit entry or change message did not parse and was skipped. */
  flagStoreBadEntry: 'flag store entry skipped: invalid',
  /** The guard moved a route one stage back (gateway/src/guard/); the audit entry holds the evidence. */
  guardSteppedBack: 'guard moved a route one stage back',
  /** A crossed threshold this replica did not act on: another holds the lock, or changed the route first. */
  guardLeft: 'guard left the step back to another replica or change',
  /** The guard could not act: the lock or the flag store is unreachable; it tries again at the next evaluation. */
  guardFailed: 'guard could not move a route back: retrying at the next evaluation',
  /** SIGTERM/SIGINT: readiness off, no new connections, waiting for in-flight requests. */
  draining: 'draining',
  /** A diff record could not be stored (Redis away or slow) or read back (not a record): dropped, counted. */
  diffStoreProblem: 'diff store problem: record dropped or skipped',
  /** A listener of `onComparison` threw; the other listeners still ran. */
  comparisonListenerFailed: 'comparison listener failed',
  /** Drain finished (or its timeout passed); pools closed. */
  stopped: 'gateway stopped',
} as const;
