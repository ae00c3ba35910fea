/**
 * Sending cases of `assetAttachments` (docs/mautic/public-http.md §5.3): a contact send attaches
 * the email's own assets and the ones the call names, each once, with the asset's original
 * file name, MIME type and the file's bytes; remote assets and unknown ids add nothing; a
 * list that is not one of ids is a 400 with nothing recorded.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { attachAssetToEmail, insertAsset } from '../../../legacy-adapter/src/data/sending-assets.ts';
import type { Db } from '../../../legacy-adapter/src/db/types.ts';
import type { OutgoingEmail } from '../../../legacy-adapter/src/mail/types.ts';
import type { Fixture } from '../contract-case.ts';
import type { SendingCase } from './sending-contract.ts';
import { SITE_URL, post, seeded } from './fixtures.ts';

/** One folder per test process: the files a case writes are the ones its implementation reads. */
const UPLOAD_DIR = join(tmpdir(), `strangler-contract-assets-${process.pid}`);
const settings = { siteUrl: SITE_URL, uploadDir: UPLOAD_DIR };
/** Mautic's JsonResponse headers: the type, and Symfony's default Cache-Control (docs/mautic/public-http.md §3.1 notes it). */
const JSON_TYPE = { 'content-type': 'application/json', 'cache-control': 'no-cache, private' };
const PDF = Buffer.from([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x34, 0x0a, 0x00, 0xff, 0xfe, 0x80, 0x7f]);
const NOTES = Buffer.from('Opening hours: 9–17\n', 'utf8');

/** The seed, two files under the upload folder, a local and a remote asset, and the template email's own asset. */
async function withAssets(db: Db): Promise<Fixture> {
  const fx = await seeded(db);
  await mkdir(UPLOAD_DIR, { recursive: true });
  await writeFile(join(UPLOAD_DIR, 'f1a2b3.pdf'), PDF);
  await writeFile(join(UPLOAD_DIR, 'c4d5e6.txt'), NOTES);
  const terms = await insertAsset(db, { title: 'Terms', alias: 'terms', storageLocation: 'local', path: 'f1a2b3.pdf', originalFileName: 'Terms and conditions.pdf', mime: 'application/pdf' });
  const notes = await insertAsset(db, { title: 'Notes', alias: 'notes', storageLocation: 'local', path: 'c4d5e6.txt', originalFileName: 'notes.txt', mime: 'text/plain' });
  const remote = await insertAsset(db, { title: 'Remote', alias: 'remote', storageLocation: 'remote', remotePath: 'https://cdn.example.com/x.pdf' });
  await attachAssetToEmail(db, Number(fx.templateEmail), notes);
  return { ...fx, terms, notes, remote };
}

export const ATTACHMENT_CASES: SendingCase[] = [
  {
    name: 'a contact send with assetAttachments: the email\'s own asset, then the named local one, each once', cite: '§5.3', settings, given: withAssets,
    request: (fx) => post(`/api/emails/${fx.templateEmail}/contact/${fx.ann}/send`, { assetAttachments: [fx.terms, String(fx.remote), 999_999, fx.notes] }),
    expect: () => ({ status: 200, headers: JSON_TYPE, body: { json: { success: true } } }),
    mail: (_fx, sent) => {
      expect(sent).toHaveLength(1);
      expect((sent[0] as OutgoingEmail).attachments).toEqual([
        { filename: 'notes.txt', contentType: 'text/plain', contentBase64: NOTES.toString('base64') },
        { filename: 'Terms and conditions.pdf', contentType: 'application/pdf', contentBase64: PDF.toString('base64') },
      ]);
    },
  },
  {
    name: 'assetAttachments that is not a list of ids → 400, nothing recorded', cite: '§5.3', settings, given: withAssets,
    request: (fx) => post(`/api/emails/${fx.templateEmail}/contact/${fx.ann}/send`, { assetAttachments: 'terms' }),
    expect: () => ({
      status: 400, headers: JSON_TYPE, body: { json: { errors: [{ code: 400, message: 'This is a bad request.', details: [], type: null }] } },
      rows: { email_stats: [], email_copies: [], page_redirects: [], channel_url_trackables: [] },
    }),
  },
];
