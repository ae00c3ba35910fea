/**
 * Child-process entry of the bare Node upstream: a `node:http` server that
 * answers every request with the tracking GIF and nothing else (no routing, no
 * logging). It is docs/architecture.md §10's "bare Node server" anchor and the upstream of
 * the headline passthrough measure. argv[2]: the port on 127.0.0.1; argv[3] `close`: answer
 * with `Connection: close` as Mautic does for its pixel (§2.6), the anchor of fast mode's
 * answer rate (tracking-persisted.ts).
 */
import { createServer } from 'node:http';
import { TRACKING_GIF, TRACKING_GIF_HEADERS } from './tracking-gif.ts';

const port = Number(process.argv[2]);
const headers = process.argv[3] === 'close' ? { ...TRACKING_GIF_HEADERS, connection: 'close' } : TRACKING_GIF_HEADERS;
// Idle keep-alive connections live as long as nginx's (60 s), so no proxy's pool meets a closing socket.
const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
  req.resume();
  res.writeHead(200, headers);
  res.end(TRACKING_GIF);
});
server.listen(port, '127.0.0.1');
process.once('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
