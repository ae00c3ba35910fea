/**
 * The bench's SMTP server, a process of its own (a real SMTP server is never in the worker's
 * process, and on one event loop it would take the worker's CPU): an `smtp-server` on
 * 127.0.0.1 that accepts and counts. It tells its parent the port (`{ port }`) over IPC, and
 * answers `{ reached: n }` once `n` messages arrived after the parent sent `{ waitFor: n }`.
 * `{ reset: true }` sets the count back to 0.
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
// A client that goes away mid-conversation is reported as an 'error'; the count is all that matters.
server.on('error', () => undefined);
server.listen(0, '127.0.0.1');
await once(server.server, 'listening');
process.on('message', (message: { waitFor?: number; reset?: boolean }) => {
  if (message.reset) count = 0;
  if (typeof message.waitFor === 'number') {
    waiting = message.waitFor;
    report();
  }
});
process.on('disconnect', () => server.close(() => process.exit(0)));
process.send!({ port: (server.server.address() as AddressInfo).port });
