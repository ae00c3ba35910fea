/**
 * What the PHP serialize codec carries (docs/mautic/public-http.md §2.5, §9),
 * shared by its writer (php-serialize.ts) and its reader (php-unserialize.ts)
 * so that neither imports the other's internals.
 */

/** A value PHP `serialize` can carry here. */
export type PhpValue = string | number | boolean | null | PhpValue[] | PhpArray;

/** A PHP array with non-list keys. */
export interface PhpArray {
  [key: string]: PhpValue;
}

/** Deepest array nesting `unserialize` (and `serialize`) accepts. */
export const MAX_DEPTH = 64;
