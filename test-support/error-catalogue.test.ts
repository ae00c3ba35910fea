/**
 * docs/errors.md is the one catalogue of every error code in the project. Each
 * area keeps its codes in one table in code; this test keeps the catalogue and
 * the tables equal and the codes unique across areas.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERRORS } from '../gateway/src/errors.ts';
import { CODEC_ERROR_CODES } from '../legacy-adapter/src/codecs/codec-error.ts';
import { DB_ERRORS } from '../legacy-adapter/src/db/errors.ts';
import { MAIL_ERRORS } from '../legacy-adapter/src/mail/errors.ts';
import { StandinConfigError } from '../legacy-adapter/src/standin/config-from-env.ts';
import { STANDIN_ERRORS } from '../legacy-adapter/src/standin/errors.ts';
import { LocalStackConfigError } from '../scripts/local-stack.ts';
import { TrackingConfigError } from '../extracted-services/tracking/src/config.ts';
import { TRACKING_ERRORS } from '../extracted-services/tracking/src/errors.ts';
import { SendingConfigError } from '../extracted-services/sending/src/config.ts';
import { SENDING_ERRORS } from '../extracted-services/sending/src/errors.ts';
import { FormsConfigError } from '../extracted-services/forms/src/config.ts';
import { FORMS_ERRORS } from '../extracted-services/forms/src/errors.ts';

const AREAS: Record<string, readonly string[]> = {
  gateway: Object.keys(ERRORS),
  standin: [...Object.keys(STANDIN_ERRORS), new StandinConfigError([]).code],
  db: Object.keys(DB_ERRORS),
  mail: Object.keys(MAIL_ERRORS),
  codecs: Object.keys(CODEC_ERROR_CODES),
  stack: [new LocalStackConfigError([]).code],
  tracking: [...Object.keys(TRACKING_ERRORS), new TrackingConfigError([]).code],
  sending: [...Object.keys(SENDING_ERRORS), new SendingConfigError([]).code],
  forms: [...Object.keys(FORMS_ERRORS), new FormsConfigError([]).code],
};

/** Code → status cell of every catalogue row. */
function catalogue(): Map<string, string> {
  const doc = readFileSync(join(__dirname, '../docs/errors.md'), 'utf8');
  const rows = new Map<string, string>();
  for (const m of doc.matchAll(/^\|\s*`([A-Z][A-Z0-9_]+)`\s*\|\s*([^|]+)\|/gm)) rows.set(m[1]!, m[2]!.trim());
  return rows;
}

describe('the error catalogue (docs/errors.md)', () => {
  const all = Object.values(AREAS).flat();

  it('no code belongs to two areas', () => {
    expect(all.filter((code, i) => all.indexOf(code) !== i)).toEqual([]);
  });

  it.each(Object.entries(AREAS))('lists every %s code', (_area, codes) => {
    const rows = catalogue();
    expect(codes.filter((code) => !rows.has(code))).toEqual([]);
  });

  it('lists no code that no area defines', () => {
    expect([...catalogue().keys()].filter((code) => !all.includes(code))).toEqual([]);
  });

  it('gives stand-in and database codes the status their table holds', () => {
    const rows = catalogue();
    for (const [code, spec] of [...Object.entries(STANDIN_ERRORS), ...Object.entries(DB_ERRORS), ...Object.entries(TRACKING_ERRORS), ...Object.entries(SENDING_ERRORS)]) {
      expect([code, rows.get(code)?.split(' ')[0]]).toEqual([code, String(spec.status)]);
    }
  });
});
