/**
 * Child-process entry of the bare forwarder, an informational anchor: the
 * least a Node proxy of this design does per request, with none of the
 * gateway's work (no routing, flags, header rules, timeouts or log line).
 * `node:http` in, one undici Pool (keep-alive, pipelining 1, 32 connections,
 * like the gateway's) out, the body piped back. argv[2]: its port,
 * argv[3]: the upstream's port, both on 127.0.0.1.
 */
import { createServer } from 'node:http';
import { Pool } from 'undici';

const HOP_BY_HOP = ['connection', 'keep-alive', 'transfer-encoding'];
const port = Number(process.argv[2]);
const pool = new Pool(`http://127.0.0.1:${process.argv[3]}`, { connections: 32, pipelining: 1 });

const server = createServer((req, res) => {
  const headers = { host: req.headers.host ?? '', 'x-forwarded-for': req.socket.remoteAddress ?? '' };
  pool.request({ method: 'GET', path: req.url ?? '/', headers }).then((upstream) => {
    const out = { ...upstream.headers };
    for (const name of HOP_BY_HOP) delete out[name];
    res.writeHead(upstream.statusCode, out);
    upstream.body.pipe(res);
  }, () => {
    res.statusCode = 502;
    res.end();
  });
});
server.listen(port, '127.0.0.1');
process.once('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => void pool.close().then(() => process.exit(0)));
});
