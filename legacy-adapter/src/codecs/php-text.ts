/**
 * The few PHP string functions whose exact output Mautic's public form
 * endpoints expose (docs/mautic/public-http.md §4.2): the `clean`, `email` and
 * `alphanum` input filters, `strip_tags`, and Twig's `js` escaper. URL
 * encoding lives in the shared codecs (`codecs/php-url.ts`). Restated from PHP's documented
 * behaviour, not copied.
 */

/** PHP `strip_tags` for the cases forms meet: removes `<…>` tags and HTML comments. */
export function stripTags(value: string): string {
  return value.replace(/<!--[\s\S]*?-->/g, '').replace(/<\/?[a-zA-Z!?][^>]*>?/g, '');
}

/**
 * Mautic's `InputHelper::clean`: tags stripped, then `FILTER_SANITIZE_SPECIAL_CHARS`,
 * which writes `'"<>&` and control characters as decimal entities
 * (`&` → `&#38;`, §2.8), and surrounding whitespace trimmed.
 */
export function cleanText(value: string): string {
  return stripTags(value)
    .trim()
    // \p{Cc} also matches DEL and C1 controls, which the PHP filter leaves alone.
    .replace(/['"<>&]|\p{Cc}/gu, (c) => (c.charCodeAt(0) < 32 || `'"<>&`.includes(c) ? `&#${c.charCodeAt(0)};` : c));
}

/** PHP `FILTER_SANITIZE_EMAIL`: keeps letters, digits and ``!#$%&'*+-=?^_`{|}~@.[]``. */
export function sanitizeEmail(value: string): string {
  return value.replace(/[^A-Za-z0-9!#$%&'*+\-=?^_`{|}~@.[\]]/g, '');
}

/** Mautic's `InputHelper::alphanum` for unknown field types: letters, digits, `_` and `-` (inferred). */
export function alphanum(value: string): string {
  return value.replace(/[^A-Za-z0-9_-]/g, '');
}

/** Escapes text for an HTML body or a double-quoted attribute. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const JS_SHORT_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  '/': '\\/',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

/**
 * Twig's `e('js')` escaper, which Mautic's messenger page uses for the JSON it
 * posts (§4.2): everything but `A-Za-z0-9,._` becomes a short escape or
 * `\uXXXX` (UTF-16 code units, upper-case hex). The result is also valid
 * inside a JSON string literal.
 */
export function escapeJsString(value: string): string {
  let out = '';
  for (const c of value) {
    if (/[A-Za-z0-9,._]/.test(c)) out += c;
    else if (JS_SHORT_ESCAPES[c]) out += JS_SHORT_ESCAPES[c];
    else {
      for (let i = 0; i < c.length; i++) out += `\\u${c.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0')}`;
    }
  }
  return out;
}
