/**
 * Facts a hit takes from the request and its `ct` (PageModel::processPageHit,
 * docs/mautic/public-http.md §2.8, §2.5): source and source id, the email, the
 * browser languages, and the 191-character limit of VARCHAR columns.
 */

/** `page_hits.source` / `source_id` from `ct`: one-entry `channel`, a `[name, id]` list, else `source`. */
export function sourceFromClickthrough(ct: Record<string, unknown> | undefined): { source: string | null; sourceId: number | null } {
  const toId = (v: unknown): number | null => {
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?[0-9]{1,10}$/.test(v) ? Number(v) : NaN;
    return Number.isSafeInteger(n) ? n : null;
  };
  if (!ct) return { source: null, sourceId: null };
  const channel = ct.channel;
  if (Array.isArray(channel) && channel.length === 2 && typeof channel[0] === 'string') {
    return { source: limit191(channel[0]), sourceId: toId(channel[1]) };
  }
  if (channel && typeof channel === 'object' && !Array.isArray(channel)) {
    const entries = Object.entries(channel);
    if (entries.length === 1) return { source: limit191(entries[0]![0]), sourceId: toId(entries[0]![1]) };
  }
  const source = ct.source;
  if (Array.isArray(source) && typeof source[0] === 'string') return { source: limit191(source[0]), sourceId: toId(source[1]) };
  return { source: null, sourceId: null };
}

/** `ct.email` as an email id, or null. */
export function emailIdFromClickthrough(ct: Record<string, unknown> | undefined): number | null {
  const v = ct?.email;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^[0-9]{1,10}$/.test(v) ? Number(v) : NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

/**
 * Symfony Request::getLanguages(): Accept-Language entries by descending
 * quality, `en-us` written `en_US`.
 *
 * @example
 * browserLanguages('en-US,en;q=0.9,de;q=0.8') // ['en_US', 'en', 'de']
 */
export function browserLanguages(header: string | undefined): string[] {
  if (!header) return [];
  return header.split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { tag: tag.trim(), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((l) => l.tag !== '' && l.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index)
    .map(({ tag }) => {
      const [lang = '', ...rest] = tag.split('-');
      return rest.length === 0 ? lang.toLowerCase() : `${lang.toLowerCase()}_${rest.map((r) => r.toUpperCase()).join('_')}`;
    });
}

/** VARCHAR(191) columns hold at most 191 characters; longer input is cut rather than refused. */
export function limit191(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return [...value].slice(0, 191).join('');
}
