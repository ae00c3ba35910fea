/**
 * What the CLI prints: aligned tables for people, JSON for scripts (`--json`).
 */

/** A mode and percent as people read it: `canary 5%`, `extracted`, `legacy (default)`. */
export function showValue(value: { mode: string; percent?: number } | null): string {
  if (value === null) return 'legacy (default)';
  return value.percent === undefined ? value.mode : `${value.mode} ${value.percent}%`;
}

/**
 * Lines of a table with a header row; columns padded to their widest cell.
 *
 * @example table(['ROUTE', 'MODE'], [['tracking.pixel', 'canary 5%']])
 */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  return [header, ...rows].map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ')).join('\n');
}

/** Writes `human()` for people, or `data` as JSON with `--json`. */
export function print(json: boolean, data: unknown, human: () => string): void {
  process.stdout.write(`${json ? JSON.stringify(data, null, 2) : human()}\n`);
}

/** One change as a line: `tracking.pixel (global): legacy (default) → canary 5%, version 3, by admin: first ramp`. */
export function showChange(c: { routeId: string; tenant: string | null; from: { mode: string; percent?: number } | null; to: { mode: string; percent?: number } | null; version: number; who: string; why: string | null; action: string }): string {
  const scope = c.tenant === null ? 'global' : `tenant ${c.tenant}`;
  const verb = c.action === 'rollback' ? 'rolled back' : 'changed';
  return `${c.routeId} (${scope}) ${verb}: ${showValue(c.from)} → ${showValue(c.to)}, version ${c.version}, by ${c.who}${c.why ? `: ${c.why}` : ''}`;
}
