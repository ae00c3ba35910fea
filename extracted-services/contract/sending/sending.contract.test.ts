/**
 * The sending contract (docs/mautic/public-http.md §5.1–5.7, the reply route of §5.4): every case against the
 * stand-in (the reference) and the sending service, on SQLite, MariaDB and the real Mautic 5
 * schema.
 */
import { API_CASES } from './api.cases.ts';
import { ATTACHMENT_CASES } from './attachment.cases.ts';
import { clearSendingContract } from './fixtures.ts';
import { REPLY_CASES } from './reply.cases.ts';
import { SEND_CASES } from './send.cases.ts';
import { SENDING_SERVICE, SENDING_STANDIN, runSendingContract } from './sending-contract.ts';

runSendingContract('sending contract', [...API_CASES, ...SEND_CASES, ...REPLY_CASES, ...ATTACHMENT_CASES], [SENDING_STANDIN, SENDING_SERVICE], { clear: clearSendingContract });
