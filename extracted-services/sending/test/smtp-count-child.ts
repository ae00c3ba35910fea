/**
 * The bench's SMTP server as its own process (a real deployment's SMTP server is never in
 * the worker's process, and on the same event loop it would take the worker's CPU): an
 * `smtp-server` on 127.0.0.1 that accepts and counts. It tells its parent the port
 * (`{ port }`), and answers `{ reached: n }` once `n` messages arrived after the parent
 * sent `{ waitFor: n }`.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

let count = 0;
let waiting: number | undefined;

function report(): void {
  if (waiting !== undefined && count >= waiting) {
    process.send!({ reached: waiting });
    waiting = undefined;
  }
}

const server = new SMTPServer({
  authOptional: true, disabledCommands: ['STARTTLS', 'AUTH'], logger: false,
  onData(stream, _session, callback) {
    stream.on('end', () => {
      count += 1;
      callback();
      report();
    });
    stream.resume();
  },
});
server.listen(0, '127.0.0.1');
await once(server.server, 'listening');
process.on('message', (message: { waitFor?: number }) => {
  if (typeof message.waitFor === 'number') {
    waiting = message.waitFor;
    report();
  }
});
process.on('disconnect', () => server.close(() => process.exit(0)));
process.send!({ port: (server.server.address() as AddressInfo).port });
