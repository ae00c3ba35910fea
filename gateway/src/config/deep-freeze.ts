/**
 * Freezes an object graph so nothing can change the configuration after
 * start-up (the hot path reads it without copies).
 *
 * @returns the same object, frozen all the way down.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
