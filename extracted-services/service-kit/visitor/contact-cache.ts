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
 *
 * It also keeps two things every new visitor's hit would read:
 * - `ip_addresses` ids, only of rows found in the database (SQLite reuses the id of a
 *   rolled-back insert). A row deleted since (`mautic:unusedip:delete`) makes the contact's
 *   IP link fail its foreign key; contact.ts then drops the id and looks the address up again.
 * - the publicly updatable fields (`lead_fields`), for `fieldsTtlMs`: Mautic's admin can
 *   change them and nothing tells the service, so a change is honoured that much later.
 */
import { LRUCache } from 'lru-cache';
import type { PublicContactField } from '../../../legacy-adapter/src/data/contacts.ts';

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
  /** Entries kept (about 600 bytes each, measured with the LRU's own bookkeeping); 0 turns the cache off. */
  maxEntries: number;
  /** An entry unused this long is dropped, in ms. */
  ttlMs: number;
  /** How long the publicly updatable fields are kept, in ms; 0 reads them for every hit. */
  fieldsTtlMs: number;
  /** Called once per lookup, for metrics. */
  onOutcome?: (outcome: ContactCacheOutcome) => void;
}

/** Addresses whose `ip_addresses` id is kept. */
const CACHED_IPS = 10_000;

/** One process's contact cache (tracking ids → CachedContact), with IP ids and the public fields. */
export class ContactCache {
  readonly #entries: LRUCache<string, CachedContact>;
  readonly #ipIds: LRUCache<string, number>;
  readonly #onOutcome: (outcome: ContactCacheOutcome) => void;
  readonly #fieldsTtlMs: number;
  #fields: { value: readonly PublicContactField[]; until: number } | undefined;

  constructor(options: ContactCacheOptions) {
    this.#entries = new LRUCache({ max: Math.max(1, options.maxEntries), ttl: options.ttlMs, updateAgeOnGet: true });
    this.#ipIds = new LRUCache({ max: CACHED_IPS, ttl: options.ttlMs });
    this.#onOutcome = options.onOutcome ?? (() => {});
    this.#fieldsTtlMs = options.fieldsTtlMs;
  }

  /** The publicly updatable fields: `load`ed at most once per `fieldsTtlMs`. */
  async publicFields(load: () => Promise<readonly PublicContactField[]>): Promise<readonly PublicContactField[]> {
    const now = Date.now();
    if (this.#fields && this.#fields.until > now) return this.#fields.value;
    const value = await load();
    if (this.#fieldsTtlMs > 0) this.#fields = { value, until: now + this.#fieldsTtlMs };
    return value;
  }

  /** The `ip_addresses` id of an address found before. */
  ipId(storedIp: string): number | undefined {
    return this.#ipIds.get(storedIp);
  }

  /** Keeps the id of an address found in the database (never of a row this transaction inserted). */
  rememberIp(storedIp: string, id: number): void {
    this.#ipIds.set(storedIp, id);
  }

  /** Drops an address whose row is gone. */
  forgetIp(storedIp: string): void {
    this.#ipIds.delete(storedIp);
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
