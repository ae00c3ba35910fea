/**
 * JSON text as Symfony's JsonResponse writes it: PHP `json_encode` with
 * JSON_HEX_TAG|JSON_HEX_APOS|JSON_HEX_AMP|JSON_HEX_QUOT (docs/mautic/public-http.md
 * §2.7). `<>'&"` inside strings become `\u003C`-style escapes, `/` becomes `\/`
 * and non-ASCII characters `\uxxxx`. Values compare equal to JSON.stringify's.
 */

const HEX_FLAGS: Record<string, string> = {
  '<': '\\u003C', '>': '\\u003E', "'": '\\u0027', '&': '\\u0026', '"': '\\u0022',
  '\\': '\\\\', '/': '\\/', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t',
};

function encodeString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const special = HEX_FLAGS[ch];
    if (special) { out += special; continue; }
    const code = ch.codePointAt(0) as number;
    if (code >= 0x20 && code < 0x7f) { out += ch; continue; }
    // PHP escapes by UTF-16 code unit with lower-case hex.
    for (let i = 0; i < ch.length; i += 1) out += `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`;
  }
  return `${out}"`;
}

/**
 * Encodes a JSON-compatible value the way PHP's JsonResponse does.
 *
 * @example
 * phpJsonEncode({ url: 'http://a/<b>' }) // '{"url":"http:\\/\\/a\\/\\u003Cb\\u003E"}'
 */
export function phpJsonEncode(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return encodeString(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '0';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) return `[${value.map(phpJsonEncode).join(',')}]`;
  if (typeof value === 'object') {
    const fields = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${encodeString(k)}:${phpJsonEncode(v)}`);
    return `{${fields.join(',')}}`;
  }
  return 'null';
}
