/**
 * A real upstream process for the resilience tests (upstream-process.ts starts
 * it): a path with `/hang` in it is read and never answered; `/_seen` answers what it has seen;
 * anything else gets 200 JSON `{ upstream, url }` after its body is read. Every
 * answer carries `x-upstream: <UPSTREAM_NAME>`. Prints `{"port":N}` once it listens.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const name = process.env.UPSTREAM_NAME ?? 'upstream';
let requests = 0;
let connections = 0;
const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
  if (req.url === '/_seen') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ requests, connections: connections - 1 }));
    return;
  }
  requests += 1;
  req.resume();
  if (req.url?.includes('/hang')) return;
  req.on('end', () => res.writeHead(200, { 'content-type': 'application/json', 'x-upstream': name }).end(JSON.stringify({ upstream: name, url: req.url })));
});
server.on('connection', (socket) => {
  connections += 1;
  socket.on('close', () => void (connections -= 1));
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`));
