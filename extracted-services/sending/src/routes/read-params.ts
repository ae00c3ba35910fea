/**
 * The body of an API call as parameters (docs/mautic/public-http.md §5.1): FOSRest's body
 * listener makes JSON and form-encoded bodies equivalent; it runs before the firewall, so a
 * malformed body is a 400 even without credentials.
 */
import type { IncomingMessage } from 'node:http';
import { parseApiBody } from '../../../../legacy-adapter/src/codecs/mautic-api.ts';
import { SendingError } from '../errors.ts';

async function readCapped(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      req.resume(); // drain the rest so the answer can be read by the client
      throw new SendingError('SND_ERR_BODY_TOO_LARGE', { limit: `${maxBytes} bytes` });
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * Reads the parameters: `{}` for an empty body or an unknown type; 400 for invalid JSON or
 * a JSON scalar; 413 over `maxBytes`.
 */
export async function readParams(req: IncomingMessage, maxBytes: number): Promise<Record<string, unknown>> {
  const text = (await readCapped(req, maxBytes)).toString('utf8');
  const params = parseApiBody(text, req.headers['content-type'] ?? '');
  if (!params) throw new SendingError('SND_ERR_BODY_MALFORMED');
  return params;
}
