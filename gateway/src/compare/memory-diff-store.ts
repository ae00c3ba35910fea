/**
 * The embedded diff store: a ring buffer of records per route, in memory
 * (docs/architecture.md §6, "memory when embedded").
 */
import { GatewayError } from '../errors.ts';
import type { DiffRecord, StoredDiffRecord } from './diff-record.ts';
import { newestFirst, pageOf, type DiffQuery, type DiffStore, type DiffStoreOptions } from './diff-store.ts';

/** Routes a memory store keeps buffers for; the catalogue has far fewer. More are dropped, not grown. */
export const MAX_MEMORY_ROUTES = 1_000;

interface Entry {
  readonly record: StoredDiffRecord;
  readonly order: number;
}

/** A fixed-size ring: `push` overwrites the oldest once full. */
class Ring {
  private readonly slots: (Entry | undefined)[];
  private next = 0;

  constructor(size: number) {
    this.slots = new Array<Entry | undefined>(size);
  }

  push(entry: Entry): void {
    this.slots[this.next] = entry;
    this.next = (this.next + 1) % this.slots.length;
  }

  entries(): Entry[] {
    return this.slots.filter((e): e is Entry => e !== undefined);
  }
}

/**
 * Creates an empty memory store.
 *
 * @example
 * const store = createMemoryDiffStore({ maxRecordsPerRoute: 200 });
 * await store.add(record);
 * const newest = await store.list({ routeId: 'tracking.pixel', limit: 20 });
 */
export function createMemoryDiffStore(options: DiffStoreOptions): DiffStore {
  const rings = new Map<string, Ring>();
  let order = 0;
  let dropped = 0;
  const entriesOf = (routeId?: string): Entry[] =>
    routeId === undefined ? [...rings.values()].flatMap((r) => r.entries()) : (rings.get(routeId)?.entries() ?? []);
  return {
    add(record: DiffRecord) {
      let ring = rings.get(record.routeId);
      if (ring === undefined && rings.size >= MAX_MEMORY_ROUTES) {
        dropped += 1;
        options.onError?.(new GatewayError('GW_ERR_DIFF_STORE_UNAVAILABLE', { params: { detail: `more than ${MAX_MEMORY_ROUTES} routes` } }));
        return Promise.resolve();
      }
      if (ring === undefined) rings.set(record.routeId, (ring = new Ring(options.maxRecordsPerRoute)));
      order += 1;
      ring.push({ record: { ...record, id: String(order) }, order });
      return Promise.resolve();
    },
    list(query: DiffQuery) {
      if (!(query.limit >= 1)) return Promise.resolve([]);
      return Promise.resolve(pageOf(entriesOf(query.routeId).sort(newestFirst), query));
    },
    get(routeId: string, id: string) {
      return Promise.resolve(rings.get(routeId)?.entries().find((e) => e.record.id === id)?.record);
    },
    dropped: () => dropped,
  };
}
