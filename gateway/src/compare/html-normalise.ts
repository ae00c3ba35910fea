/**
 * HTML normalisation for the comparison (`comparison.html`): the page becomes a
 * list of tokens in which whitespace runs, attribute order and quoting, tag-name
 * case, comments, entity spelling (`&#38;` vs `&amp;`) and `<br/>` vs `<br>` no
 * longer differ. A small tokenizer, not a parser: the comparison needs a stable
 * form of two pages, not a DOM.
 */

/** Elements whose content is raw text up to their end tag. */
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title']);
const TAG_NAME_RE = /[A-Za-z][^\s/>]*/y;
const ATTR_RE = /[\s/]*([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/y;
const TAG_END_RE = /[\s/]*>/y;
const NAMED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Decodes numeric and the common named character references; others stay as written. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] !== '#') return NAMED[ref.toLowerCase()] ?? whole;
    const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

function textToken(raw: string): string | undefined {
  const text = decodeEntities(raw).replace(/\s+/g, ' ').trim();
  return text === '' ? undefined : text;
}

/** Reads one tag at `start` (the `<`); undefined when it is not a tag (a stray `<`). */
function readTag(html: string, start: number): { token: string; name: string; closing: boolean; end: number } | undefined {
  const closing = html[start + 1] === '/';
  TAG_NAME_RE.lastIndex = start + (closing ? 2 : 1);
  const name = TAG_NAME_RE.exec(html)?.[0].toLowerCase();
  if (name === undefined) return undefined;
  const attributes: [string, string][] = [];
  let at = TAG_NAME_RE.lastIndex;
  for (;;) {
    TAG_END_RE.lastIndex = at;
    if (TAG_END_RE.test(html)) {
      at = TAG_END_RE.lastIndex;
      break;
    }
    ATTR_RE.lastIndex = at;
    const m = ATTR_RE.exec(html);
    if (m === null || ATTR_RE.lastIndex === at) return undefined;
    attributes.push([m[1]!.toLowerCase(), decodeEntities(m[2] ?? m[3] ?? m[4] ?? '')]);
    at = ATTR_RE.lastIndex;
  }
  attributes.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const attrs = attributes.map(([k, v]) => ` ${k}="${v.replace(/"/g, '&quot;')}"`).join('');
  return { token: closing ? `</${name}>` : `<${name}${attrs}>`, name, closing, end: at };
}

/**
 * The normalised tokens of a page: tags as `<name a="…" b="…">` (attributes sorted by
 * name, values decoded, `"` written `&quot;`), end tags as `</name>`, text runs with
 * whitespace collapsed and entities decoded; comments dropped.
 *
 * @example
 * normaliseHtml('<P  class="x" id=a>Hi&nbsp;&amp;\n there</p><!-- x -->')
 * // ['<p class="x" id="a">', 'Hi\u00a0& there', '</p>']
 */
export function normaliseHtml(html: string): string[] {
  const tokens: string[] = [];
  let at = 0;
  let text = '';
  const flush = (): void => {
    const t = textToken(text);
    if (t !== undefined) tokens.push(t);
    text = '';
  };
  while (at < html.length) {
    const lt = html.indexOf('<', at);
    if (lt < 0) {
      text += html.slice(at);
      break;
    }
    text += html.slice(at, lt);
    if (html.startsWith('<!--', lt)) {
      const close = html.indexOf('-->', lt + 4);
      at = close < 0 ? html.length : close + 3;
      continue;
    }
    if (html[lt + 1] === '!' || html[lt + 1] === '?') {
      flush();
      const close = html.indexOf('>', lt);
      const end = close < 0 ? html.length : close + 1;
      tokens.push(html.slice(lt, end).replace(/\s+/g, ' ').toLowerCase());
      at = end;
      continue;
    }
    const tag = readTag(html, lt);
    if (tag === undefined) {
      text += '<';
      at = lt + 1;
      continue;
    }
    flush();
    tokens.push(tag.token);
    at = tag.end;
    if (!tag.closing && RAW_TEXT.has(tag.name)) {
      const closeRe = new RegExp(`</${tag.name}`, 'gi');
      closeRe.lastIndex = at;
      const end = closeRe.exec(html)?.index ?? html.length;
      const raw = html.slice(at, end).replace(/\s+/g, ' ').trim();
      if (raw !== '') tokens.push(tag.name === 'title' || tag.name === 'textarea' ? decodeEntities(raw) : raw);
      at = end;
    }
  }
  flush();
  return tokens;
}
