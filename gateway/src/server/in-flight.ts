/**
 * The responses being served right now, for the drain (public-server.ts).
 *
 * A slot array with a free list rather than a `Set`: a `Set` that sees an add
 * and a delete per request rehashes its table again and again, and a dead
 * table that reached the old generation still points at the young request
 * objects it once held. The young-generation collector treats those pointers
 * as live, so every request's objects were promoted and died in the old
 * generation: +2.5 KB promoted per request, about 60 MiB more RSS and 15 %
 * more CPU per request under load (bench/README.md). Here a slot is cleared
 * when its response closes, and the array only grows with the peak
 * concurrency.
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
