/**
 * `npm run serve -- <part>`: one part alone, as a container runs it
 * (docs/architecture.md §9). `gateway` reads the gateway configuration (gateway/README.md);
 * `legacy-standin` reads DATABASE_URL, SMTP_URL, MAUTIC_*, PORT (default 8090) and HOST
 * (default 0.0.0.0); `tracking` reads DATABASE_URL, REDIS_URL, MAUTIC_*, TRACKING_*, PORT
 * (default 8101) and HOST (extracted-services/tracking/README.md); `sending` reads DATABASE_URL,
 * REDIS_URL, SMTP_URL, MAUTIC_*, SENDING_*, PORT (default 8103) and HOST
 * (extracted-services/sending/README.md); `worker` runs the queue workers, tracking's phase 2
 * and the mail queue, or those `WORKER_QUEUES` names (scripts/workers.ts), and `sending-worker`
 * is `worker` with the mail queue only; `seed` is a one-shot part: `npm run seed` on
 * DATABASE_URL, which exits 0 once the default tenant is seeded, now or before (the compose
 * seed service); `forms` reads DATABASE_URL, MAUTIC_*, FORMS_*, PORT (default 8102) and HOST
 * (extracted-services/forms/README.md). The services and workers also read
 * OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_SERVICE_NAME and OTEL_TRACES_SAMPLER(_ARG): with an endpoint,
 * they are traced (extracted-services/service-kit/README.md, Tracing).
 * Exits 2 for an unknown part, 1 for a bad configuration, 0 after a drain.
 */
// Each part loads only its own modules: a gateway container does not hold the stand-in's
// database drivers and mailer in memory (about 13 MiB of RSS, bench/README.md).

const PARTS = ['gateway', 'legacy-standin', 'tracking', 'worker', 'forms', 'sending', 'sending-worker', 'seed'] as const;

async function serveGateway(env: NodeJS.ProcessEnv): Promise<void> {
  const { runMain } = await import('../gateway/src/main.ts');
  return runMain(env);
}

async function serveStandin(env: NodeJS.ProcessEnv): Promise<void> {
  const [{ migrate }, { openDb }, { DEFAULT_DATABASE_URL }, { createMailer }, { standinConfigFromEnv }, { DEFAULT_STANDIN_PORT, startStandin }] = await Promise.all([
    import('../legacy-adapter/src/db/migrate.ts'), import('../legacy-adapter/src/db/open.ts'), import('../legacy-adapter/src/db/url.ts'),
    import('../legacy-adapter/src/mail/create-mailer.ts'), import('../legacy-adapter/src/standin/config-from-env.ts'), import('../legacy-adapter/src/standin/server.ts'),
  ]);
  const port = env.PORT === undefined || env.PORT === '' ? DEFAULT_STANDIN_PORT : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT: must be a port number 0–65535, got ${JSON.stringify(env.PORT)}`);
  const config = standinConfigFromEnv(env);
  const db = await openDb(env.DATABASE_URL || DEFAULT_DATABASE_URL);
  // Creates only missing tables: harmless on a real Mautic database.
  await migrate(db);
  const mailer = createMailer(env);
  const standin = await startStandin({ db, mailer, config }, { port, host: env.HOST || '0.0.0.0' });
  process.stdout.write(`legacy-standin listening on ${standin.url}\n`);
  const stop = (): void => {
    void standin.close().then(() => Promise.all([mailer.close(), db.close()])).then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

async function runSeed(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { runSeedCli } = await import('../legacy-adapter/src/seed/seed-cli.ts');
  process.exitCode = await runSeedCli(argv, env);
}

async function serveTracking(env: NodeJS.ProcessEnv): Promise<void> {
  const { runTracking } = await import('../extracted-services/tracking/src/server.ts');
  return runTracking(env);
}

async function serveForms(env: NodeJS.ProcessEnv): Promise<void> {
  const { runForms } = await import('../extracted-services/forms/src/server.ts');
  return runForms(env);
}

async function serveWorkers(env: NodeJS.ProcessEnv): Promise<void> {
  const { runWorkers } = await import('./workers.ts');
  return runWorkers(env);
}

async function serveSending(env: NodeJS.ProcessEnv): Promise<void> {
  const { runSending } = await import('../extracted-services/sending/src/server.ts');
  return runSending(env);
}


/** The parts that are extracted services or their workers: traced by service-kit/tracing.ts. */
const SERVICE_PARTS: ReadonlySet<string> = new Set(['tracking', 'worker', 'forms', 'sending', 'sending-worker']);

async function main(argv: readonly string[]): Promise<void> {
  const part = argv[0];
  // Before the part's modules load: the instrumentations patch them as they do.
  if (part !== undefined && SERVICE_PARTS.has(part)) {
    const { startServiceTracing } = await import('../extracted-services/service-kit/tracing.ts');
    await startServiceTracing(`strangler-${part}`, process.env);
  }
  if (part === 'gateway') return serveGateway(process.env);
  if (part === 'legacy-standin') return serveStandin(process.env);
  if (part === 'tracking') return serveTracking(process.env);
  if (part === 'worker') return serveWorkers(process.env);
  if (part === 'forms') return serveForms(process.env);
  if (part === 'sending') return serveSending(process.env);
  if (part === 'sending-worker') return serveWorkers({ ...process.env, WORKER_QUEUES: 'mail' });
  if (part === 'seed') return runSeed(argv.slice(1), process.env);
  const hint = `unknown part ${JSON.stringify(part ?? '')}`;
  process.stderr.write(`serve: ${hint}\nusage: npm run serve -- <${PARTS.join('|')}>\n`);
  process.exit(2);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`serve failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
