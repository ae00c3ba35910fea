/**
 * Reads a request body the way PHP does with `post_max_size`: the whole body is
 * consumed (so the connection stays usable), but one over the limit yields
 * nothing instead of a truncated prefix.
 */
import type { IncomingMessage } from 'node:http';

/**
 * @param maxBytes - the limit in bytes
 * @returns the body, or undefined when it was larger than `maxBytes`
 * @example const raw = await readCappedBody(req, 8 * 1024 * 1024);
 */
export function readCappedBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > maxBytes ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
