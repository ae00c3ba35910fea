/**
 * The fleet (CONTEXT.md: Replica, Straggler): every gateway replica following
 * one flag store reports, by its heartbeat, the version it has applied.
 */

/** One replica as its last heartbeat described it. */
export interface ReplicaStatus {
  /** `flags.replicaId`, or `<hostname>-<pid>`. */
  readonly id: string;
  /** Flag store version the replica has applied. */
  readonly version: number;
  /** ISO-8601 time of its last heartbeat. */
  readonly seenAt: string;
  /** True when its version is behind the store's. */
  readonly straggler: boolean;
}

/** What `GET /admin/fleet` and `strangler status` show. */
export interface FleetStatus {
  /** The store's current version. */
  readonly version: number;
  /** Replicas heard from within `flags.replicaTimeoutMs`, by id. */
  readonly replicas: readonly ReplicaStatus[];
  /** Ids of the replicas behind `version`. */
  readonly stragglers: readonly string[];
}

/** Which store backs the flags and whether it answers (never blocks). */
export interface StoreHealth {
  readonly kind: 'memory' | 'redis';
  /** False while Redis is unreachable: the replica serves its last snapshot. */
  readonly connected: boolean;
  /** This replica's id. */
  readonly replica: string;
}

/**
 * Builds the fleet status from heartbeats.
 *
 * @example fleetStatus(7, [{ id: 'gw-1', version: 7, seenAt }]) // no stragglers
 */
export function fleetStatus(version: number, heartbeats: readonly Omit<ReplicaStatus, 'straggler'>[]): FleetStatus {
  const replicas = [...heartbeats]
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((r) => ({ ...r, straggler: r.version < version }));
  return { version, replicas, stragglers: replicas.filter((r) => r.straggler).map((r) => r.id) };
}
