/**
 * A real SMTP server on 127.0.0.1 (the `smtp-server` package) for the sending tests: it
 * keeps every message it accepted, and can be told to refuse (`reply`) or to hold messages
 * without answering (`hold`), as a slow server or a crash in the middle of DATA would.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { readEml } from '../../../legacy-adapter/src/mail/read-eml.ts';
import type { ReadEmail } from '../../../legacy-adapter/src/mail/read-eml.ts';

/** What the sink does with the next message. */
export type SinkMode = { kind: 'accept' } | { kind: 'hold' } | { kind: 'reply'; code: number; message: string; times?: number };

/** A running sink. */
export interface SmtpSink {
  url: string;
  /** Accepted messages, in order. */
  received: ReadEmail[];
  /** When each accepted message arrived (`performance.now()`), in the same order. */
  arrivals: number[];
  /** Messages held without an answer. */
  held: number;
  mode: SinkMode;
  /** Resolves once `received.length` reaches `n`. */
  waitFor(n: number): Promise<void>;
  close(): Promise<void>;
}

/** Starts a sink on a free port. */
export async function startSmtpSink(): Promise<SmtpSink> {
  const waiters: { n: number; done: () => void }[] = [];
  const sink: SmtpSink = {
    url: '', received: [], arrivals: [], held: 0, mode: { kind: 'accept' },
    waitFor: (n) => new Promise<void>((done) => (sink.received.length >= n ? done() : waiters.push({ n, done }))),
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
  const server = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS', 'AUTH'], logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const mode = sink.mode;
        if (mode.kind === 'hold') {
          sink.held += 1;
          return;
        }
        if (mode.kind === 'reply') {
          if (mode.times !== undefined && --mode.times <= 0) sink.mode = { kind: 'accept' };
          callback(Object.assign(new Error(mode.message), { responseCode: mode.code }));
          return;
        }
        sink.received.push(readEml(Buffer.concat(chunks).toString('utf8')));
        sink.arrivals.push(performance.now());
        callback();
        for (const w of waiters.splice(0)) {
          if (sink.received.length >= w.n) w.done();
          else waiters.push(w);
        }
      });
    },
  });
  // A worker killed mid-conversation resets its connections (worker-crash.test.ts does it on
  // purpose); smtp-server reports that as an 'error' event, which must not end the test run.
  server.on('error', () => undefined);
  server.listen(0, '127.0.0.1');
  await once(server.server, 'listening');
  sink.url = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  return sink;
}
