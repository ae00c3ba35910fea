// The batching destination: request lines wait (up to 4 KiB or 1 s), every other line and every
// flush writes at once, in order; a process that exits or crashes writes what is left.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import { batchedDestination, createLogger, flushLogger, isoTimeOncePerMs } from './logger.ts';
import { LOG_LINES } from './log-lines.ts';

const REPO_ROOT = join(__dirname, '..', '..', '..');
const pinoIsoTime = pino.stdTimeFunctions.isoTime;
let dir: string;
let file: string;
let fd: number;
let logger: Logger | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'strangler-logger-'));
  file = join(dir, 'out.log');
  fd = openSync(file, 'a');
});
afterEach(() => {
  jest.useRealTimers();
  // No destination may outlive its descriptor (the number is reused by the next open).
  if (logger) flushLogger(logger);
  logger = undefined;
  closeSync(fd);
  rmSync(dir, { recursive: true, force: true });
});

const written = (): Array<Record<string, unknown>> =>
  readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0).map((l) => JSON.parse(l) as Record<string, unknown>);

describe('batchedDestination through createLogger', () => {
  it('holds request lines back, then writes them all, in order, when another line comes', () => {
    logger = createLogger('info', batchedDestination(fd));
    logger.info({ requestId: 'a' }, LOG_LINES.request);
    logger.info({ requestId: 'b' }, LOG_LINES.request);
    expect(written()).toEqual([]);
    logger.info({ drained: true }, LOG_LINES.stopped);
    expect(written().map((l) => l.requestId ?? l.msg)).toEqual(['a', 'b', 'gateway stopped']);
    expect(written()[0]).toMatchObject({ level: 30, service: 'gateway', msg: 'request' });
  });

  it('writes a request line logged as an error at once', () => {
    logger = createLogger('info', batchedDestination(fd));
    logger.error({ requestId: 'e', status: 502 }, LOG_LINES.request);
    expect(written()).toEqual([expect.objectContaining({ requestId: 'e', level: 50 })]);
  });

  it('writes a batch once 4 KiB are buffered, without a flush', () => {
    logger = createLogger('info', batchedDestination(fd));
    const path = '/p'.repeat(100);
    for (let i = 0; i < 30; i += 1) logger.info({ requestId: `r${i}`, path }, LOG_LINES.request);
    const lines = written();
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.length).toBeLessThan(30);
    expect(lines.map((l) => l.requestId)).toEqual(Array.from({ length: lines.length }, (_, i) => `r${i}`));
  });

  it('flushLogger writes what is buffered', () => {
    logger = createLogger('info', batchedDestination(fd));
    logger.info({ requestId: 'f' }, LOG_LINES.request);
    flushLogger(logger);
    expect(written()).toEqual([expect.objectContaining({ requestId: 'f' })]);
  });

  it('a quiet second writes what is buffered', () => {
    jest.useFakeTimers();
    logger = createLogger('info', batchedDestination(fd));
    logger.info({ requestId: 'q' }, LOG_LINES.request);
    jest.advanceTimersByTime(999);
    expect(written()).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(written()).toEqual([expect.objectContaining({ requestId: 'q' })]);
  });

  it('flushLogger on a logger whose destination has no buffer does nothing and does not throw', () => {
    const lines: string[] = [];
    const plain = createLogger('info', { write: (l: string) => void lines.push(l) });
    plain.info({ requestId: 'plain' }, LOG_LINES.request);
    expect(() => flushLogger(plain)).not.toThrow();
    expect(lines).toHaveLength(1);
  });
});

describe('isoTimeOncePerMs', () => {
  it('is pino\'s isoTime text for the current millisecond', () => {
    jest.useFakeTimers({ now: new Date('2026-11-26T08:00:00.123Z') });
    expect(isoTimeOncePerMs()).toBe(',"time":"2026-11-26T08:00:00.123Z"');
    expect(isoTimeOncePerMs()).toBe(',"time":"2026-11-26T08:00:00.123Z"');
    jest.advanceTimersByTime(1);
    expect(isoTimeOncePerMs()).toBe(',"time":"2026-11-26T08:00:00.124Z"');
    expect(`{"a":1${isoTimeOncePerMs()}}`).toBe(`{"a":1${pinoIsoTime()}}`);
  });

  it('stamps the lines of the logger', () => {
    const before = Date.now();
    logger = createLogger('info', batchedDestination(fd));
    logger.warn({}, LOG_LINES.flagStoreDisconnected);
    const time = Date.parse(written()[0]?.time as string);
    expect(time).toBeGreaterThanOrEqual(before);
    expect(time).toBeLessThanOrEqual(Date.now());
  });
});

describe('a descriptor that cannot be written', () => {
  it('drops the lines and never throws into the code that logs', () => {
    // No process has this many descriptors open: every write fails with EBADF.
    const broken = createLogger('info', batchedDestination(1_000_000));
    expect(() => {
      broken.info({ requestId: 'x' }, LOG_LINES.request);
      broken.warn({ why: 'flushes at once' }, LOG_LINES.flagStoreDisconnected);
      flushLogger(broken);
    }).not.toThrow();
  });
});

describe('a process that ends with lines still buffered', () => {
  const child = (ending: string): { stdout: string; status: number | null } => {
    const script = `import { createLogger } from './gateway/src/observability/logger.ts';
      const logger = createLogger('info');
      logger.info({ requestId: 'last' }, 'request');
      ${ending}`;
    const out = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 15_000 });
    return { stdout: out.stdout, status: out.status };
  };

  it.each([
    ['process.exit', 'process.exit(3);', 3],
    ['an uncaught error', "throw new Error('boom');", 1],
    ['the event loop running dry', '', 0],
  ])('writes them when it ends by %s', (_label, ending, status) => {
    const out = child(ending);
    expect(out.status).toBe(status);
    expect(out.stdout).toContain('"requestId":"last"');
  });
});
