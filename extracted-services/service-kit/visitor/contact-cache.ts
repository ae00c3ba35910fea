/**
 * The contact cache: which contact, device and IP link a device tracking id resolved to, so a
 * returning visitor's hit skips identification's reads (docs/mautic/public-http.md §2.1 step 4:
 * the device, its contact, the `ip_addresses` row and the `lead_ips_xref` link).
 *
 * An entry is a claim, never trusted alone: the hit's own `UPDATE leads SET last_active`, which
 * every tracked request makes anyway, only matches while the device row still has this id,
 * contact and tracking id and the contact is still linked to the IP
 * (`touchLeadLastActiveIfStillLinked`). A contact deleted, merged (its devices moved to another
 * contact, or deleted with it) or unlinked by any writer — the monolith, the forms service,
 * another replica — makes that UPDATE match nothing; the entry is then forgotten and the hit
 * identified from the database as if never cached. So replicas need no shared cache nor an
 * invalidation channel, and the TTL only bounds how long an idle entry takes memory.
 */
import { LRUCache } from 'lru-cache';

/** What a hit learnt about a device: enough to answer a returning hit without reading. */
export interface CachedContact {
  leadId: number;
  deviceId: number;
  trackingId: string;
  /** The device row's (device, brand, model): a different User-Agent may need another device row. */
  device: string | null;
  deviceBrand: string | null;
  deviceModel: string | null;
  /** `ip_addresses.ip_address` of the hit, and its row id, linked to the contact in `lead_ips_xref`. */
  storedIp: string;
  ipId: number;
}

/** How a lookup ended: `hit`, `miss` (not cached, or not usable for this request) or `stale` (the check failed). */
export type ContactCacheOutcome = 'hit' | 'miss' | 'stale';

/** Sizes of the cache. */
export interface ContactCacheOptions {
  /** Entries kept (about 300 bytes each); 0 turns the cache off. */
  maxEntries: number;
  /** An entry unused this long is dropped, in ms. */
  ttlMs: number;
  /** Called once per lookup, for metrics. */
  onOutcome?: (outcome: ContactCacheOutcome) => void;
}

/** One process's contact cache (tracking ids → CachedContact). */
export class ContactCache {
  readonly #entries: LRUCache<string, CachedContact>;
  readonly #onOutcome: (outcome: ContactCacheOutcome) => void;

  constructor(options: ContactCacheOptions) {
    this.#entries = new LRUCache({ max: Math.max(1, options.maxEntries), ttl: options.ttlMs, updateAgeOnGet: true });
    this.#onOutcome = options.onOutcome ?? (() => {});
  }

  /** The entry for a tracking id, if any (counted as a miss when there is none). */
  get(trackingId: string): CachedContact | undefined {
    const entry = this.#entries.get(trackingId);
    if (!entry) this.#onOutcome('miss');
    return entry;
  }

  /** Counts an entry that could not serve this request (another IP or User-Agent): the hit resolves from the database. */
  passedOver(): void {
    this.#onOutcome('miss');
  }

  /** Counts a hit served from its entry. */
  served(): void {
    this.#onOutcome('hit');
  }

  /** Drops an entry the database contradicted. */
  forget(trackingId: string): void {
    this.#entries.delete(trackingId);
    this.#onOutcome('stale');
  }

  /** Records what a hit resolved. */
  remember(entry: CachedContact): void {
    this.#entries.set(entry.trackingId, entry);
  }

  /** Entries held now. */
  get size(): number {
    return this.#entries.size;
  }
}

/** A cache, or none when `maxEntries` is 0. */
export function contactCache(options: ContactCacheOptions): ContactCache | undefined {
  return options.maxEntries > 0 ? new ContactCache(options) : undefined;
}
