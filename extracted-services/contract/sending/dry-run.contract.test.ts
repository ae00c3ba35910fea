/**
 * Every sending case again as a dry run (docs/architecture.md §5): with `X-Strangler-Mode:
 * shadow` the sending service answers what the case expects plus `X-Strangler-Dry-Run: 1`,
 * and sends nothing and changes no row of the sending tables. The stand-in does no dry runs
 * (the gateway never shadows to legacy), so only the service runs here.
 */
import type { Db, Row } from '../../../legacy-adapter/src/db/types.ts';
import { rows } from '../../../legacy-adapter/src/standin/standin-test-kit.ts';
import { checkAnswer } from '../run-contract.ts';
import { API_CASES } from './api.cases.ts';
import { ATTACHMENT_CASES } from './attachment.cases.ts';
import { clearSendingContract } from './fixtures.ts';
import { REPLY_CASES } from './reply.cases.ts';
import { SEND_CASES } from './send.cases.ts';
import { SENDING_SERVICE, runSendingContract } from './sending-contract.ts';

const WATCHED: Record<string, string> = {
  email_stats: 'id', email_copies: 'id', page_redirects: 'id', channel_url_trackables: 'redirect_id, channel_id', emails: 'id', lead_donotcontact: 'id', email_stat_replies: 'id',
};

async function snapshot(db: Db): Promise<Record<string, Row[]>> {
  const out: Record<string, Row[]> = {};
  for (const [table, order] of Object.entries(WATCHED)) out[table] = await rows(db, table, order);
  return out;
}

let before: Record<string, Row[]> = {};
let sentBefore = 0;

runSendingContract('sending dry run', [...API_CASES, ...SEND_CASES, ...REPLY_CASES, ...ATTACHMENT_CASES], [SENDING_SERVICE], {
  clear: clearSendingContract,
  adjust: (r) => ({ ...r, headers: { ...r.headers, 'x-strangler-mode': 'shadow' } }),
  beforeRequest: async (db, sent) => {
    before = await snapshot(db);
    sentBefore = sent.length;
  },
  check: async (kase, db, { fx, res, sent }) => {
    const want = kase.expect(fx);
    checkAnswer(res, { ...want, headers: { ...want.headers, 'x-strangler-dry-run': '1' } });
    expect(await snapshot(db)).toEqual(before);
    expect(sent).toHaveLength(sentBefore);
  },
});
