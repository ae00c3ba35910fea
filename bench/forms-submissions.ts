/**
 * The forms row of issue #14 (docs/architecture.md §10), measured in one run on MariaDB:
 * stored submissions per second of the forms service against the stand-in, each a new
 * contact's AJAX submission of the seeded "Contact us" form; target: the service not below
 * the stand-in. A stored submission is a `form_submissions` row counted after the run, not a
 * 200, counted per round. Each part runs as its container does (`node scripts/serve.ts <part>`),
 * on its own database seeded by `npm run seed`'s CLI; 3 interleaved rounds of 4 s (`BENCH_SECONDS`). `npm run bench` runs it as the extra measure `forms`
 * (extra-measures.ts); alone: `npx node bench/forms-submissions.ts`.
 */
import { randomBytes } from 'node:crypto';
import { Pool } from 'undici';
import { freshDatabase, seed } from './bench-database.ts';
import { startPart } from './parts.ts';
import { installCleanup, stopChild } from './processes.ts';
import type { ResultRow } from './report.ts';
import { medianRound } from './stats.ts';

const BROWSER = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';

/** One measured row. */
export interface FormsRow {
  name: string;
  value: number;
  unit: string;
  detail: string;
}

/** A fresh database seeded by the seed CLI; the id of its "Contact us" form. */
async function seededDatabase(): Promise<{ url: string; formId: number; submissions(): Promise<number>; drop(): Promise<void> }> {
  const db = await freshDatabase();
  try {
    const printed = seed(db);
    const formId = Number(/contact us (\d+)/.exec(printed)?.[1]);
    if (!formId) throw new Error(`seed failed: no "contact us" form in ${printed}`);
    return { url: db.url, formId, submissions: () => db.count('form_submissions'), drop: () => db.drop() };
  } catch (err) {
    await db.drop();
    throw err;
  }
}

/** Closed-loop load of new contacts' submissions for `seconds`; returns the successes. */
async function submitLoad(url: string, formId: number, seconds: number, connections = 16): Promise<number> {
  const pool = new Pool(url, { connections, pipelining: 1 });
  const until = Date.now() + seconds * 1000;
  let ok = 0;
  let n = 0;
  await Promise.all(Array.from({ length: connections }, async () => {
    while (Date.now() < until) {
      n += 1;
      const body = new URLSearchParams({ 'mauticform[formId]': String(formId), 'mauticform[email]': `bench${n}-${randomBytes(3).toString('hex')}@example.com` }).toString();
      const res = await pool.request({ method: 'POST', path: '/form/submit?ajax=1', body, headers: { 'user-agent': BROWSER, 'content-type': 'application/x-www-form-urlencoded' } });
      const json = (await res.body.json()) as { success?: number };
      if (res.statusCode === 200 && json.success === 1) ok += 1;
    }
  }));
  await pool.close();
  return ok;
}

type Part = 'legacy-standin' | 'forms';

/** One part, running on its own seeded database, warmed up. */
async function startMeasured(part: Part) {
  const db = await seededDatabase();
  try {
    const target = await startPart(part, db.url);
    await submitLoad(target.url, db.formId, 2);
    return { db, target };
  } catch (err) {
    await db.drop();
    throw err;
  }
}

/**
 * Measures the rows. Both parts run at once, each loaded in turn for `seconds` per round
 * (stand-in, service, stand-in, service…): interleaved rounds give both the same moments of a
 * machine whose speed drifts with its neighbours, and each part's figure is its median round.
 */
export async function measureFormsRows(seconds = 4, rounds = 3): Promise<FormsRow[]> {
  const parts: { part: Part; running: Awaited<ReturnType<typeof startMeasured>>; rates: number[]; rows: number; ok: number }[] = [];
  try {
    for (const part of ['legacy-standin', 'forms'] as const) parts.push({ part, running: await startMeasured(part), rates: [], rows: 0, ok: 0 });
    for (let round = 0; round < rounds; round += 1) {
      for (const p of parts) {
        const before = await p.running.db.submissions();
        p.ok += await submitLoad(p.running.target.url, p.running.db.formId, seconds);
        const rows = (await p.running.db.submissions()) - before;
        p.rows += rows;
        p.rates.push(rows / seconds);
      }
    }
  } finally {
    for (const p of parts) {
      await stopChild(p.running.target.child);
      await p.running.db.drop();
    }
  }
  const [standin, service] = parts as [typeof parts[number], typeof parts[number]];
  const detail = (p: typeof standin) => `${p.rows} rows, ${p.ok} answers; rounds ${p.rates.map((r) => r.toFixed(1)).join(', ')}`;
  return [
    { name: 'stand-in stored submissions/s (MariaDB)', value: medianRound(standin.rates), unit: 'sub/s', detail: detail(standin) },
    { name: 'forms service stored submissions/s (MariaDB)', value: medianRound(service.rates), unit: 'sub/s', detail: detail(service) },
    { name: 'forms ÷ stand-in (target ≥ 1×)', value: medianRound(service.rates) / medianRound(standin.rates), unit: '×', detail: '' },
  ];
}

/**
 * The results-table row: the service's stored submissions/s against the stand-in's, target ≥ 1×
 * (docs/architecture.md §10). `rows` null: not measured, with `reason`.
 */
export function formsResultRows(rows: readonly FormsRow[] | null, reason = ''): ResultRow[] {
  const standin = rows?.[0]?.value ?? Number.NaN;
  const service = rows?.[1]?.value ?? Number.NaN;
  const ratio = rows?.[2]?.value ?? Number.NaN;
  const measured = rows !== null;
  return [{
    measure: 'forms service stored submissions/s (MariaDB)', value: measured ? service.toFixed(0) : 'not measured',
    anchor: `stand-in: ${measured ? standin.toFixed(0) : '—'}`,
    result: measured ? `${ratio.toFixed(2)}× the stand-in` : `not measured${reason ? `: ${reason}` : ''}`,
    target: '≥ 1×', kind: 'target', pass: measured ? ratio >= 1 : null,
  }];
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  installCleanup();
  void measureFormsRows(Number(process.env.BENCH_SECONDS ?? 4)).then((rows) => {
    for (const r of rows) process.stdout.write(`${r.name.padEnd(52)} ${r.value.toFixed(2).padStart(10)} ${r.unit} ${r.detail}\n`);
    process.exit(0);
  }, (err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
