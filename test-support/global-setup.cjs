// Probes the real services once per Jest run and tells the workers, through the
// environment, which of them answer. Tests that need a service that is down are
// skipped by name (test-support/services.ts) and listed by services-reporter.cjs;
// with STRANGLER_REQUIRE_SERVICES=1 (CI) a missing service fails the run instead.
const net = require('node:net');

const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
const DEFAULT_DATABASE_URL = 'mysql://root@127.0.0.1:3306/strangler_test';

/** Sends `probe` (if any) and resolves true when the peer answers with `expect` within 1.5 s. */
function answers(url, probe, expect) {
  const u = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: u.hostname, port: Number(u.port) });
    let got = '';
    const done = (ok) => { socket.destroy(); resolve(ok); };
    socket.setTimeout(1500, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => { if (probe) socket.write(probe); });
    socket.on('data', (chunk) => { got += chunk.toString('latin1'); if (expect.test(got)) done(true); });
  });
}

module.exports = async function globalSetup() {
  const redisUrl = process.env.REDIS_URL || DEFAULT_REDIS_URL;
  const databaseUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  const [redis, mysql] = await Promise.all([
    answers(redisUrl, 'PING\r\n', /\+PONG/),
    // MySQL/MariaDB speak first: a handshake packet whose 5th byte is protocol version 10.
    answers(databaseUrl, null, /^[\s\S]{4}\n/),
  ]);
  process.env.STRANGLER_TEST_REDIS_URL = redis ? redisUrl : '';
  process.env.STRANGLER_TEST_DATABASE_URL = mysql ? databaseUrl : '';
  const missing = [!redis && `Redis at ${redisUrl}`, !mysql && `MariaDB at ${databaseUrl}`].filter(Boolean);
  if (missing.length > 0 && process.env.STRANGLER_REQUIRE_SERVICES === '1') {
    throw new Error(
      `STRANGLER_REQUIRE_SERVICES=1 but these do not answer: ${missing.join(', ')}.\n` +
        'Start them with `bash ../shared/dev/services.sh`, `docker compose up -d redis mariadb`, ' +
        'or Debian\'s packages (apt-get install redis-server mariadb-server).',
    );
  }
};
