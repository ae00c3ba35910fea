/**
 * SIGTERM drains every part within its pod's grace period (k8s/parts/<part>/deployment.yaml):
 * each part runs as a child process as its container does (`npm run serve -- <part>`, from the
 * sources) and answers its probes. A part that listens gets a request that it holds in flight
 * (the headers, answered `100 Continue`, then nothing until after SIGTERM), stops accepting
 * connections, finishes that request whole with `Connection: close`, and exits 0 within the
 * grace period less its preStop. A new listening part is one line of PARTS.
 * A worker holds a job that cannot finish yet (the tracking worker: a batch whose row another
 * MariaDB transaction has locked; the mail worker: a message the SMTP server holds in DATA),
 * gets SIGTERM, says it drains (readiness 503), finishes that job once it can (the rows
 * complete and the message acknowledged; the mail accepted and marked sent) and exits 0 in time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

const ROOT = resolve(__dirname, '..');

interface Context { readonly dir: string; readonly legacyUrl: string }
/** The URL of each named container port, read from what the part prints once it listens; null until then. */
type PortUrls = (stdout: string) => Record<string, string> | null;

const listeningLine = (part: string): PortUrls => (out) => {
  const url = new RegExp(`${part} listening on (http://\\S+)`).exec(out)?.[1];
  return url ? { http: url } : null;
};
const gatewayLine: PortUrls = (out) => {
  const line = out.split('\n').find((l) => l.includes('"msg":"gateway listening"'));
  const { publicUrl, adminUrl } = line ? (JSON.parse(line) as { publicUrl: string; adminUrl: string }) : {};
  return publicUrl && adminUrl ? { http: publicUrl, admin: adminUrl } : null;
};

/** The request each part holds in flight: one it reads the body of before answering, and the status it then answers. */
interface Held { readonly path: string; readonly body: string; readonly status: number }
const PIXEL: Held = { path: '/mtracking.gif', body: 'page_url=https%3A%2F%2Fexample.com%2Fdrain', status: 200 };

const PARTS: readonly { part: string; env: (c: Context) => Record<string, string>; urls: PortUrls; held: Held }[] = [
  { part: 'gateway', env: (c) => ({ PORT: '0', ADMIN_PORT: '0', LEGACY_URL: c.legacyUrl }), urls: gatewayLine, held: PIXEL },
  { part: 'legacy-standin', env: (c) => ({ PORT: '0', DATABASE_URL: `sqlite:${join(c.dir, 'db.sqlite')}`, STRANGLER_OUTBOX_DIR: join(c.dir, 'outbox') }), urls: listeningLine('legacy-standin'), held: PIXEL },
  { part: 'tracking', env: (c) => ({ PORT: '0', DATABASE_URL: `sqlite:${join(c.dir, 'db.sqlite')}` }), urls: listeningLine('tracking'), held: PIXEL },
  // A form that does not exist: Mautic's AJAX answer, 200 (docs/mautic/public-http.md §4.3).
  { part: 'forms', env: (c) => ({ PORT: '0', DATABASE_URL: `sqlite:${join(c.dir, 'db.sqlite')}`, FORMS_UPLOAD_DIR: join(c.dir, 'uploads') }), urls: listeningLine('forms'), held: { path: '/form/submit?ajax=1', body: 'mauticform%5BformId%5D=12345', status: 200 } },
  // No credentials: Mautic's 401, given after the body is read (§5.1).
  { part: 'sending', env: (c) => ({ PORT: '0', DATABASE_URL: `sqlite:${join(c.dir, 'db.sqlite')}`, STRANGLER_OUTBOX_DIR: join(c.dir, 'outbox'), REDIS_URL: '', SMTP_URL: '' }), urls: listeningLine('sending'), held: { path: '/api/emails/1/send', body: '{}', status: 401 } },
];

interface PodFacts { readonly graceMs: number; readonly preStopMs: number; readonly probes: { port: string; path: string }[] }

/** The grace period, the preStop sleep and the HTTP probes of a part's Deployment. */
async function podFacts(part: string): Promise<PodFacts> {
  const d = parse(await readFile(join(ROOT, 'k8s', 'parts', part, 'deployment.yaml'), 'utf8'));
  const pod = d.spec.template.spec;
  const c = pod.containers[0];
  const sleep = c.lifecycle?.preStop?.exec?.command;
  const probes = [c.startupProbe, c.readinessProbe, c.livenessProbe].filter((p) => p?.httpGet).map((p) => ({ port: p.httpGet.port as string, path: p.httpGet.path as string }));
  return { graceMs: pod.terminationGracePeriodSeconds * 1000, preStopMs: sleep?.[0] === 'sleep' ? Number(sleep[1]) * 1000 : 0, probes };
}

function start(part: string, env: Record<string, string>, urls: PortUrls): { child: ChildProcess; ports: Promise<Record<string, string>> } {
  const child = spawn(process.execPath, ['scripts/serve.ts', part], { cwd: ROOT, env: { ...process.env, HOST: '127.0.0.1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const ports = new Promise<Record<string, string>>((done, fail) => {
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const found = urls(out);
      if (found) done(found);
    });
    child.once('exit', (code) => fail(new Error(`${part} exited ${code} before listening: ${err}`)));
  });
  return { child, ports };
}

/** A POST whose headers the part has taken (it answered 100 Continue) and whose body is not sent yet. */
async function holdRequest(url: string, held: Held): Promise<{ finish(): Promise<{ head: string; body: string }> }> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  await once(socket, 'connect');
  socket.setEncoding('latin1');
  const { body } = held;
  const type = body.startsWith('{') ? 'application/json' : 'application/x-www-form-urlencoded';
  socket.write(`POST ${held.path} HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: ${type}\r\nContent-Length: ${body.length}\r\nExpect: 100-continue\r\n\r\n`);
  let received = '';
  await new Promise<void>((done) => socket.on('data', (chunk: string) => (received += chunk).includes('\r\n\r\n') && done()));
  expect(received).toMatch(/^HTTP\/1\.1 100 Continue\r\n/);
  received = '';
  return {
    async finish() {
      socket.write(body);
      // The part closes the connection after its answer (or cuts it, which the caller sees).
      await once(socket, 'close');
      const at = received.indexOf('\r\n\r\n');
      return { head: received.slice(0, at), body: received.slice(at + 4) };
    },
  };
}

/** Resolves once `url`'s port refuses new connections (the part stopped accepting). */
async function refusesConnections(url: string): Promise<void> {
  const { hostname, port } = new URL(url);
  for (;;) {
    const accepted = await new Promise<boolean>((done) => {
      const s = connect(Number(port), hostname);
      s.once('connect', () => (s.destroy(), done(true)));
      s.once('error', () => done(false));
    });
    if (!accepted) return;
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('SIGTERM drains every part within its grace period', () => {
  let dir: string;
  let legacy: Server;
  let legacyUrl: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'strangler-drain-'));
    // The gateway's legacy upstream: reads the body, answers 200.
    legacy = createServer((req, res) => req.resume().on('end', () => res.end('legacy answered')));
    legacy.listen(0, '127.0.0.1');
    await once(legacy, 'listening');
    legacyUrl = `http://127.0.0.1:${(legacy.address() as { port: number }).port}`;
  });

  afterEach(async () => {
    legacy.closeAllConnections();
    await new Promise((r) => legacy.close(r));
    await rm(dir, { recursive: true, force: true });
  });

  it.each(PARTS)('$part answers its probes, finishes the request in flight and exits 0', async ({ part, env, urls, held: request }) => {
    const facts = await podFacts(part);
    const { child, ports } = start(part, env({ dir, legacyUrl }), urls);
    try {
      const url = await ports;
      for (const probe of facts.probes) expect([probe.path, (await fetch(`${url[probe.port]}${probe.path}`)).status]).toEqual([probe.path, 200]);
      const held = await holdRequest(url.http!, request);
      const exited = once(child, 'exit');
      const signalled = Date.now();
      child.kill('SIGTERM');
      await refusesConnections(url.http!);
      const { head, body } = await held.finish();
      expect(head).toMatch(new RegExp(`^HTTP/1\\.1 ${request.status} `));
      expect(head).toMatch(/\r\nconnection: close(\r\n|$)/i);
      const length = /\r\ncontent-length: (\d+)/i.exec(head)?.[1];
      expect(Buffer.byteLength(body, 'latin1')).toBe(Number(length));
      const [code] = (await exited) as [number | null];
      expect(code).toBe(0);
      expect(Date.now() - signalled).toBeLessThan(facts.graceMs - facts.preStopMs);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
