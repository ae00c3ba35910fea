/**
 * The responses being served right now, for the drain (public-server.ts).
 *
 * A slot array with a free list rather than a `Set`. Measured with a `Set`
 * (one add and one delete per request): every request's objects were promoted
 * to the old generation and died there (2.5 KB promoted per request instead of
 * 30 B), about 60 MiB more RSS and 15 % more CPU per request under load
 * (bench/README.md). Most likely a `Set` rehashes its table again and again,
 * and a dead table that reached the old generation still points at young
 * request objects, which the young-generation collector then keeps. Here a
 * slot is cleared when its response closes, and the array only grows with
 * the peak concurrency.
 */

/** A registry of in-flight items. */
export interface InFlight<T> {
  /** Registers `item`; returns its slot, for `remove`. */
  add(item: T): number;
  /** Forgets the item in `slot`; an empty slot is left alone. */
  remove(slot: number): void;
  /** Items registered now. */
  readonly size: number;
  /** Every registered item, in slot order. */
  items(): T[];
}

/**
 * Creates an empty registry.
 *
 * @example
 * const slot = inFlight.add(res);
 * res.once('close', () => inFlight.remove(slot));
 */
export function createInFlight<T>(): InFlight<T> {
  const slots: Array<T | undefined> = [];
  const free: number[] = [];
  let size = 0;
  return {
    add(item) {
      const slot = free.length > 0 ? (free.pop() as number) : slots.length;
      slots[slot] = item;
      size += 1;
      return slot;
    },
    remove(slot) {
      if (slots[slot] === undefined) return;
      slots[slot] = undefined;
      free.push(slot);
      size -= 1;
    },
    get size() {
      return size;
    },
    items: () => slots.filter((item): item is T => item !== undefined),
  };
}
