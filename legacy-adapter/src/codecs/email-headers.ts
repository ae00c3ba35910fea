/**
 * Outgoing header fields of a send (docs/mautic/public-http.md §5.7, §5.2, §5.3).
 */

/** What decides the header set. */
export interface HeaderInput {
  emailId: number;
  /** `list` (segment/broadcast) or `transactional` (API send to one contact, 5.x). */
  kind: 'list' | 'transactional';
  /** The contact's `{unsubscribe_url}`. */
  unsubscribeUrl: string;
  /** `emails.headers` (JSON object of custom headers). */
  custom: Readonly<Record<string, string>>;
}

/**
 * The header fields Mautic adds: custom headers, then for broadcasts
 * `Precedence: Bulk` and `X-EMAIL-ID`, and for every non-transactional email
 * `List-Unsubscribe` (Mautic's URL first, before a custom value) and
 * `List-Unsubscribe-Post: List-Unsubscribe=One-Click`.
 */
export function buildHeaders(input: HeaderInput): Record<string, string> {
  const headers: Record<string, string> = {};
  let customUnsubscribe: string | undefined;
  for (const [name, value] of Object.entries(input.custom)) {
    if (name.toLowerCase() === 'list-unsubscribe') customUnsubscribe = value;
    else headers[name] = value;
  }
  if (input.kind === 'list') {
    headers.Precedence = 'Bulk';
    headers['X-EMAIL-ID'] = String(input.emailId);
    const ours = `<${input.unsubscribeUrl}>`;
    headers['List-Unsubscribe'] = customUnsubscribe ? `${ours},${customUnsubscribe}` : ours;
    headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
  } else if (customUnsubscribe !== undefined) {
    headers['List-Unsubscribe'] = customUnsubscribe;
  }
  return headers;
}
