/**
 * Canary buckets (CONTEXT.md: Bucket): a stable hash of (journey group, sticky
 * key) into 10,000 buckets. A request is in the canary when bucket < percent × 100,
 * so raising the percent only adds buckets: nobody already in leaves.
 */

/** Number of buckets; one bucket is 0.01 percent. */
export const BUCKET_COUNT = 10_000;

/**
 * The bucket 0–9999 of a sticky key within a journey group. Same inputs, same
 * bucket, in every process and every version (FNV-1a with a murmur3 finaliser,
 * so similar keys spread evenly).
 *
 * @example bucketOf('tracking', 'device:abc123') // e.g. 4711
 */
export function bucketOf(group: string, key: string): number {
  let h = 0x811c9dc5;
  const text = `${group}\u0000${key}`;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) % BUCKET_COUNT;
}

/**
 * Whether a bucket is inside a canary of `percent` (0–100, 0.01 steps).
 * 0 lets nobody in, 100 everybody.
 */
export function isInCanary(bucket: number, percent: number): boolean {
  // Round so 0.29 × 100 = 28.999… still means 29 buckets.
  return bucket < Math.round(percent * 100);
}
