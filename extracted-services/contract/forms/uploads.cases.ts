/**
 * Contract cases of file fields (docs/mautic/public-http.md §4.2 step 2): the extension and
 * size limits with Mautic's messages, and the client file name as the stored value. Where the
 * file itself lands is the service's own (extracted-services/forms/test/uploads.test.ts).
 */
import type { ContractCase } from '../contract-case.ts';
import type { FieldSpec } from './fixtures.ts';
import { BROWSER_UA, EMAIL_FIELD, givenForm } from './fixtures.ts';

const CV_FIELD: FieldSpec = { label: 'CV', alias: 'cv', type: 'file', properties: { allowed_file_extensions: ['pdf', 'txt'], allowed_file_size: 1 } };

/** A multipart post of the form's id, an email and one file. */
export function multipartWithFile(formId: number | string, fileName: string, content: string | Buffer): { headers: Record<string, string>; body: Buffer } {
  const part = (headers: string, value: string | Buffer) => [Buffer.from(`--B0und\r\n${headers}\r\n\r\n`), Buffer.from(value), Buffer.from('\r\n')];
  const body = Buffer.concat([
    ...part('Content-Disposition: form-data; name="mauticform[formId]"', String(formId)),
    ...part('Content-Disposition: form-data; name="mauticform[email]"', 'ann@example.org'),
    ...part(`Content-Disposition: form-data; name="mauticform[cv]"; filename="${fileName}"\r\nContent-Type: application/octet-stream`, content),
    Buffer.from('--B0und--\r\n'),
  ]);
  return { headers: { 'user-agent': BROWSER_UA, 'content-type': 'multipart/form-data; boundary=B0und' }, body };
}

const givenCvForm = async (db: Parameters<NonNullable<ContractCase['given']>>[0]) => ({ formId: (await givenForm(db, { name: 'Jobs', alias: 'jobs' }, [EMAIL_FIELD, CV_FIELD])).formId });

export const UPLOAD_CASES: ContractCase[] = [
  {
    name: 'a file with an allowed extension: its client name is the stored value',
    cite: '§4.2 step 2',
    given: givenCvForm,
    request: (fx) => ({ method: 'POST', path: '/form/submit?ajax=1', ...multipartWithFile(fx.formId!, 'my cv.PDF', '%PDF-1.4 hello') }),
    expect: (fx) => ({ status: 200, body: { json: { success: 1, results: { email: 'ann@example.org', cv: 'my cv.PDF' } } }, rows: { [`form_results_${fx.formId}_jobs`]: [{ cv: 'my cv.PDF' }] } }),
  },
  {
    name: 'a forbidden extension: Mautic\'s message, nothing stored',
    cite: '§4.2 step 2',
    given: givenCvForm,
    request: (fx) => ({ method: 'POST', path: '/form/submit?ajax=1', ...multipartWithFile(fx.formId!, 'run.exe', 'MZ') }),
    expect: () => ({
      status: 200, body: { json: { success: 0, validationErrors: { cv: 'Upload failed as the file extension, exe, is not in the list of allowed extensions (pdf, txt).' } } },
      rows: { form_submissions: [], leads: [] },
    }),
  },
  {
    name: 'a file over the field\'s size limit: Mautic\'s message, nothing stored',
    cite: '§4.2 step 2',
    given: givenCvForm,
    request: (fx) => ({ method: 'POST', path: '/form/submit?ajax=1', ...multipartWithFile(fx.formId!, 'big.txt', Buffer.alloc(1024 * 1024 + 512 * 1024, 'a')) }),
    expect: () => ({
      status: 200, body: { json: { success: 0, validationErrors: { cv: 'Upload failed as the file is 1.50 MB which exceeds the maximum allowed file size of 1 MB.' } } },
      rows: { form_submissions: [], leads: [] },
    }),
  },
];
