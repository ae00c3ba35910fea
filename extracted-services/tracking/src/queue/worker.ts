/**
 * The phase-2 worker (docs/mautic/public-http.md §2.8; `npm run serve -- worker`): reads
 * the hit stream in a consumer group and completes each batch of hits in ONE database
 * transaction, with a few multi-row statements for the whole batch (hit-batch.ts), then
 * acknowledges it.
 *
 * - At least once, never twice: a batch committed but not acknowledged (a crash in
 *   between) is delivered again, and changes nothing the second time: `completeHit` leaves
 *   an already completed hit alone (its `lead_id`, written by the same transaction, is the
 *   applied marker); a fast-mode page view's id is in `strangler_applied_messages`.
 * - On start the worker first takes back its own unacknowledged messages and those idle
 *   for `claimIdleMs` in other consumers (a worker that died).
 * - A batch that fails is retried message by message; a message that still fails
 *   `maxAttempts` times, or is not a hit message, goes to the dead-letter stream with its
 *   error. While the database is unreachable nothing is dead-lettered: messages wait.
 * - A message can arrive before its hit's row is committed (the service queues it before its
 *   COMMIT): the worker looks for the row again briefly, then drops it as an orphan, counted
 *   and logged (unseen-hits.ts).
 * - Transactions run at READ COMMITTED: no gap locks, so a batch's UPDATEs do not block the
 *   requests' phase-1 INSERTs into `page_hits` (the deadlock bench/README.md found); a batch
 *   undone by a deadlock anyway is run again (lock-retry.ts), and after the last try its
 *   messages are kept, never dead-lettered for it.
 * - `close()` finishes the batch in hand, then stops.
 */
import { inMessageTrace, inMessagesTrace } from '../../../service-kit/tracing.ts';
import { hostname } from 'node:os';
import { Redis } from 'ioredis';
import { isDbError } from '../../../../legacy-adapter/src/db/errors.ts';
import type { Db } from '../../../../legacy-adapter/src/db/types.ts';
import type { TrackingConfig } from '../config.ts';
import { ensureAppliedMessagesTable, markMessageApplied } from '../../../../legacy-adapter/src/data/applied-messages.ts';
import { toUtcDateTime } from '../../../../legacy-adapter/src/data/row-codec.ts';
import { completeHits } from '../domain/hit-batch.ts';
import type { HitCompletion } from '../domain/page-hit.ts';
import { isLockConflict, retryOnLockConflict } from '../lock-retry.ts';
import { UNSEEN_RETRY_DELAYS_MS, settleUnseenHits } from './unseen-hits.ts';
import type { UnseenHit } from './unseen-hits.ts';
import { recordPageView } from '../domain/page-view.ts';
import { HitMessageError, decodeHitMessage, decodeViewMessage, encodeHitMessage } from './hit-message.ts';
import { DEAD_HIT_STREAM, HIT_GROUP, HIT_STREAM } from './hit-queue.ts';

/** Options of `startHitWorker` (durations in ms). */
export interface HitWorkerOptions {
  db: Db;
  config: TrackingConfig;
  redisUrl: string;
  /** Consumer name; keep it across restarts of one worker. Default `<host>-<pid>`. */
  consumer?: string;
  stream?: string;
  deadStream?: string;
  group?: string;
  /** Messages per batch (one transaction). Default 200. */
  batchSize?: number;
  /** How long one read waits for new messages. Default 1000. */
  blockMs?: number;
  /** Messages idle this long in another consumer are taken over. Default 30 000. */
  claimIdleMs?: number;
  /** Tries of a failing message before it is dead-lettered. Default 3. */
  maxAttempts?: number;
  /** After each batch is acknowledged. */
  onBatch?: (stats: HitWorkerStats) => void;
  /** Failures (a batch retried, a message dead-lettered, the database unreachable). */
  onError?: (err: unknown, what: string) => void;
  /** Pauses between the looks for a hit's missing row before it is an orphan. Default `UNSEEN_RETRY_DELAYS_MS`. */
  unseenRetryDelaysMs?: readonly number[];
  /** Messages whose rows were not there after the batch (their stream ids); the worker looks again. */
  onUnseen?: (ids: readonly string[]) => void;
  /** A message dropped as an orphan: its hit's row never appeared (its request was never answered 200). */
  onOrphan?: (id: string, message: string) => void;
  /** Test hook: after a batch committed, before it is acknowledged. */
  afterCommit?: (ids: readonly string[]) => Promise<void> | void;
}

/** Counts since start. */
export interface HitWorkerStats {
  /** Messages acknowledged after their transaction committed (already-complete hits included). */
  applied: number;
  dead: number;
  /** Messages dropped because their hit's row never appeared (acknowledged, not dead-lettered). */
  orphans: number;
  batches: number;
}

/** A running worker. */
export interface RunningHitWorker {
  readonly stats: HitWorkerStats;
  /** Finishes the batch in hand, then stops reading and disconnects. */
  close(): Promise<void>;
  /** Stops at once without acknowledging anything in hand (what a kill does). */
  kill(): void;
}

type Entry = [id: string, fields: string[]];

const TRANSIENT = ['DB_CONNECT_FAILED', 'DB_CLOSED', 'DB_LOCK_TIMEOUT'] as const;
const isTransient = (err: unknown): boolean => isLockConflict(err) || TRANSIENT.some((code) => isDbError(err, code));
/** The message text of an entry, whichever kind it is. */
const messageText = (fields: string[]): string => fields[1] ?? '';

/** One decoded entry and how to apply it in a transaction. */
interface Job {
  id: string;
  fields: string[];
  /** A phase-2 message's hit: batched with the others (hit-batch.ts). */
  hit?: HitCompletion;
  /** @returns the hits whose rows were not there. */
  apply(tx: Db): Promise<HitCompletion[]>;
}

/**
 * A decoded entry. A phase-2 message (`hit`) is idempotent by itself; a fast-mode page view
 * (`view`) writes its id to `strangler_applied_messages` in the same transaction.
 *
 * @throws HitMessageError for an entry that is neither.
 */
/** Name of the span of one message's phase 2, child of the hit's request (service-kit/tracing.ts). */
const PHASE_TWO_SPAN = 'tracking phase 2';

/** The `traceparent` field the queue added to a message (hit-queue.ts), if any. */
function traceparentOf(fields: readonly string[]): string | undefined {
  for (let i = 2; i + 1 < fields.length; i += 2) if (fields[i] === 'traceparent') return fields[i + 1];
  return undefined;
}

function jobOf(stream: string, id: string, fields: string[], config: TrackingConfig): Job {
  if (fields[0] === 'hit') {
    const hit = decodeHitMessage(messageText(fields));
    return { id, fields, hit, apply: (tx) => completeHits({ db: tx, config }, [hit]) };
  }
  if (fields[0] === 'view') {
    const view = decodeViewMessage(messageText(fields));
    return {
      id, fields,
      apply: async (tx) => {
        // Stream ids restart with a new stream: the stream's name makes the marker unique.
        if (await markMessageApplied(tx, `${stream}/${id}`, toUtcDateTime(view.request.now))) await recordPageView({ db: tx, config }, view.request, view.newDeviceTrackingId);
        return [];
      },
    };
  }
  throw new HitMessageError(`unknown field ${JSON.stringify(fields[0] ?? '')}`);
}

/**
 * Starts a worker.
 *
 * @example
 * const worker = await startHitWorker({ db, config, redisUrl: process.env.REDIS_URL! });
 * process.once('SIGTERM', () => void worker.close());
 */
export async function startHitWorker(options: HitWorkerOptions): Promise<RunningHitWorker> {
  const o = {
    consumer: `${hostname()}-${process.pid}`, stream: HIT_STREAM, deadStream: DEAD_HIT_STREAM, group: HIT_GROUP,
    batchSize: 200, blockMs: 1000, claimIdleMs: 30_000, maxAttempts: 3, unseenRetryDelaysMs: UNSEEN_RETRY_DELAYS_MS, ...options,
  };
  // One transaction of the worker: READ COMMITTED (no gap locks), run again after a deadlock.
  const transact = <T>(fn: (tx: Db) => Promise<T>): Promise<T> => o.db.transaction(fn, { isolationLevel: 'read-committed' });
  const transactRetrying = <T>(fn: (tx: Db) => Promise<T>): Promise<T> =>
    retryOnLockConflict(() => transact(fn), { onRetry: (err) => o.onError?.(err, 'batch undone by a lock conflict; running it again') });
  await ensureAppliedMessagesTable(o.db);
  const redis = new Redis(o.redisUrl, { maxRetriesPerRequest: null });
  redis.on('error', () => {});
  try {
    await redis.xgroup('CREATE', o.stream, o.group, '0', 'MKSTREAM');
  } catch (err) {
    if (!String(err).includes('BUSYGROUP')) throw err;
  }
  const stats: HitWorkerStats = { applied: 0, dead: 0, orphans: 0, batches: 0 };
  let stopping = false;
  let killed = false;
  let recovering = true;

  const deadLetter = async (id: string, text: string, err: unknown): Promise<void> => {
    await redis.xadd(o.deadStream, '*', 'id', id, 'hit', text, 'error', err instanceof Error ? `${(err as { code?: string }).code ?? err.name}: ${err.message}` : String(err));
    await redis.xack(o.stream, o.group, id);
    stats.dead += 1;
    o.onError?.(err, `hit ${id} dead-lettered`);
  };

  async function applyBatch(entries: Entry[]): Promise<void> {
    const jobs: Job[] = [];
    for (const [id, fields] of entries) {
      try {
        jobs.push(jobOf(o.stream, id, fields, o.config));
      } catch (err) {
        await deadLetter(id, messageText(fields), err);
      }
    }
    if (jobs.length === 0) return;
    let unseenHits: HitCompletion[];
    try {
      unseenHits = await transactRetrying(async (tx) => {
        const hits = jobs.filter((j) => j.hit);
        const absent = hits.length > 0 ? await inMessagesTrace(hits.map((j) => traceparentOf(j.fields)), PHASE_TWO_SPAN, () => completeHits({ db: tx, config: o.config }, hits.map((j) => j.hit!))) : [];
        for (const job of jobs) if (!job.hit) await inMessageTrace(traceparentOf(job.fields), PHASE_TWO_SPAN, () => job.apply(tx));
        return absent;
      });
    } catch (err) {
      if (isTransient(err)) throw err;
      o.onError?.(err, 'batch failed; retrying its messages one by one');
      for (const job of jobs) await applyOne(job);
      return;
    }
    const absent = new Set(unseenHits.map((h) => h.hitId));
    const unseen = jobs.filter((j) => j.hit && absent.has(j.hit.hitId)).map((j) => ({ id: j.id, hit: j.hit! }));
    const ids = jobs.filter((j) => !(j.hit && absent.has(j.hit.hitId))).map((j) => j.id);
    await o.afterCommit?.(ids);
    if (killed) return;
    if (ids.length > 0) await redis.xack(o.stream, o.group, ...ids);
    stats.applied += ids.length;
    if (unseen.length > 0) await settle(unseen);
  }

  /** Waits briefly for the rows of `unseen`, then acknowledges them: completed, or dropped as orphans. */
  async function settle(unseen: UnseenHit[]): Promise<void> {
    o.onUnseen?.(unseen.map((u) => u.id));
    const { completed, orphans } = await settleUnseenHits(unseen, { db: o.db, config: o.config, delaysMs: o.unseenRetryDelaysMs, transact });
    if (killed) return;
    const ids = [...completed, ...orphans.map((u) => u.id)];
    await redis.xack(o.stream, o.group, ...ids);
    stats.applied += completed.length;
    stats.orphans += orphans.length;
    for (const u of orphans) o.onOrphan?.(u.id, encodeHitMessage(u.hit));
  }

  async function applyOne(job: Job): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        const absent = await transactRetrying((tx) => inMessageTrace(traceparentOf(job.fields), PHASE_TWO_SPAN, () => job.apply(tx)));
        if (absent.length > 0 && job.hit) return settle([{ id: job.id, hit: job.hit }]);
        await redis.xack(o.stream, o.group, job.id);
        stats.applied += 1;
        return;
      } catch (err) {
        if (isTransient(err)) throw err;
        if (attempt >= o.maxAttempts) return deadLetter(job.id, messageText(job.fields), err);
      }
    }
  }

  async function nextEntries(): Promise<Entry[]> {
    if (recovering) {
      // Our own unacknowledged messages first (a restart after a crash), then other consumers' idle ones.
      const own = (await redis.xreadgroup('GROUP', o.group, o.consumer, 'COUNT', o.batchSize, 'STREAMS', o.stream, '0')) as [string, Entry[]][] | null;
      const pending = own?.[0]?.[1] ?? [];
      if (pending.length > 0) return pending;
      const claimed = (await redis.xautoclaim(o.stream, o.group, o.consumer, o.claimIdleMs, '0-0', 'COUNT', o.batchSize)) as [string, Entry[]];
      const taken = (claimed[1] ?? []).filter((e) => e[1] !== null);
      if (taken.length > 0) return taken;
      recovering = false;
    }
    const fresh = (await redis.xreadgroup('GROUP', o.group, o.consumer, 'COUNT', o.batchSize, 'BLOCK', o.blockMs, 'STREAMS', o.stream, '>')) as [string, Entry[]][] | null;
    return fresh?.[0]?.[1] ?? [];
  }

  const loop = (async () => {
    while (!stopping && !killed) {
      try {
        const entries = await nextEntries();
        if (entries.length === 0 || killed) continue;
        await applyBatch(entries);
        stats.batches += 1;
        o.onBatch?.(stats);
      } catch (err) {
        if (stopping || killed) break;
        // The database or Redis is unreachable: keep the messages, read our pending ones again after a pause.
        o.onError?.(err, 'batch not applied; messages kept');
        recovering = true;
        await new Promise((r) => setTimeout(r, o.blockMs));
      }
    }
  })();

  return {
    stats,
    async close() {
      stopping = true;
      await loop;
      // After a kill the connection is gone already; a second disconnect would hold the process 2 s (ioredis waits for a close that came).
      if (!killed) redis.disconnect();
    },
    kill() {
      killed = true;
      redis.disconnect();
    },
  };
}
