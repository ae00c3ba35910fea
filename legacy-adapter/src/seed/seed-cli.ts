/**
 * `npm run seed [-- --tenant acme] [--prefix mt_] [--if-empty]`: migrates the database named
 * by DATABASE_URL (default: the embedded sqlite:var/strangler.sqlite) and adds one tenant's
 * seed data, then prints its ids. A tenant seeded before is left alone and its ids are printed
 * again, so running it twice is harmless. Exit 0 on success (and with --if-empty when other
 * data exists), 1 when the database cannot be used or an earlier seed lost rows, 2 on bad usage.
 */
import { isDbError } from '../db/errors.ts';
import { migrate } from '../db/migrate.ts';
import { openDb } from '../db/open.ts';
import { seed, seedIfEmpty, type SeedResult } from './seed.ts';
import type { Db } from '../db/types.ts';
import { DEFAULT_DATABASE_URL, redact } from '../db/url.ts';

const USAGE = 'usage: npm run seed -- [--tenant <name>] [--prefix <db_table_prefix>] [--if-empty]';

interface CliArgs {
  tenant?: string;
  prefix?: string;
  ifEmpty: boolean;
}

/** Parses the command line; returns an error message for anything unknown. */
export function parseSeedArgs(argv: readonly string[]): CliArgs | string {
  const args: CliArgs = { ifEmpty: false };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--if-empty') args.ifEmpty = true;
    else if (arg === '--tenant' || arg === '--prefix') {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) return `${arg} needs a value`;
      args[arg === '--tenant' ? 'tenant' : 'prefix'] = value;
      i += 1;
    } else return `unknown argument ${arg}`;
  }
  return args;
}

/** The lines the CLI prints about a seed. */
export function describeSeed(r: SeedResult, url: string): string[] {
  return [
    r.created ? `Seeded tenant "${r.tenant}" into ${redact(url)}` : `Tenant "${r.tenant}" was seeded before in ${redact(url)}; nothing written`,
    `  API user (HTTP Basic):  ${r.credentials.username} / ${r.credentials.password}   (users.id ${r.userId})`,
    `  OAuth2 client:          ${r.clientPublicId}  secret ${r.credentials.clientSecret}`,
    `  OAuth2 access token:    ${r.credentials.accessToken}  (expires ${new Date(r.accessTokenExpiresAt * 1000).toISOString()})`,
    `  contacts:               ${r.leadIds.join(', ')} + anonymous ${r.anonymousLeadId}; devices ${r.deviceTrackingIds.join(', ')}`,
    `  segments:               newsletter ${r.segmentIds.newsletter}, customers ${r.segmentIds.customers}`,
    `  emails:                 welcome ${r.emailIds.welcome}, newsletter ${r.emailIds.newsletter} (segment), draft ${r.emailIds.draft} (unpublished)`,
    `  tracked links:          ${r.redirects.map((x) => `/r/${x.redirectId}`).join(' ')}`,
    `  sent email stat:        ${r.stat.id}, tracking hash ${r.stat.trackingHash}`,
    `  forms:                  contact us ${r.forms.contactUs.id} (${r.forms.contactUs.resultsTable}), newsletter ${r.forms.newsletter.id} (${r.forms.newsletter.resultsTable})`,
    ...(r.created ? [`  contact field definitions written: ${r.leadFieldsCreated}`] : []),
  ];
}

/**
 * Runs the seed as `npm run seed` does, with `env` for DATABASE_URL; prints to stdout/stderr.
 * Also what `npm run serve -- seed` (the compose seed service) runs.
 * @returns the exit code: 0 seeded or found, 1 database problem, 2 bad usage.
 */
export async function runSeedCli(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = process.env): Promise<number> {
  const args = parseSeedArgs(argv);
  if (typeof args === 'string') {
    console.error(`${args}\n${USAGE}`);
    return 2;
  }
  const url = env.DATABASE_URL || DEFAULT_DATABASE_URL;
  let db: Db | undefined;
  try {
    db = await openDb(url, args.prefix === undefined ? {} : { prefix: args.prefix });
    const created = await migrate(db);
    if (created.length > 0) console.log(`Created ${created.length} Mautic tables in ${redact(url)}`);
    const options = args.tenant === undefined ? {} : { tenant: args.tenant };
    const result = args.ifEmpty ? await seedIfEmpty(db, options) : await seed(db, options);
    if (result === null) console.log(`${redact(url)} already holds data; nothing seeded (--if-empty)`);
    else console.log(describeSeed(result, url).join('\n'));
    return 0;
  } catch (err) {
    if (!isDbError(err)) throw err;
    console.error(`seed failed [${err.code}]: ${err.message}`);
    return 1;
  } finally {
    await db?.close();
  }
}

// Run only as a script (npm run seed), not when a test imports this file.
if (process.argv[1]?.endsWith('seed-cli.ts')) {
  runSeedCli(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      console.error('seed crashed:', err);
      process.exitCode = 1;
    },
  );
}
