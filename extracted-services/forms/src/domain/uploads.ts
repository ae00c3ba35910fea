/**
 * Storing uploaded files (docs/mautic/public-http.md §4.2 step 2, "Upload files") under the
 * configured directory: `<dir>/<formId>/<fieldId>/<submissionId>-<client name>`. Files are
 * written only once the rows are in (so a refused submission leaves none) and removed again
 * when the transaction fails after all; a dry run writes none.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { FormField } from '../../../../legacy-adapter/src/data/form-definition.ts';
import { FormsError } from '../errors.ts';
import type { UploadedFile } from './form-request.ts';

/** A file waiting to be stored. */
export interface PendingUpload {
  field: FormField;
  file: UploadedFile;
}

/** A client file name made safe as one path segment. */
function safeName(name: string): string {
  const base = basename(name.replace(/\\/g, '/')).replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');
  return base.slice(-180) || 'file';
}

/**
 * Writes the files; returns a function that removes them (for a transaction that fails later).
 *
 * @throws FormsError FORMS_ERR_UPLOAD_STORE when a file cannot be written (those written are removed).
 */
export async function storeUploads(dir: string, formId: number, submissionId: number, uploads: readonly PendingUpload[]): Promise<() => Promise<void>> {
  const written: string[] = [];
  const removeAll = async (): Promise<void> => {
    await Promise.all(written.map((path) => rm(path, { force: true })));
  };
  try {
    for (const { field, file } of uploads) {
      const folder = join(dir, String(formId), String(field.id));
      await mkdir(folder, { recursive: true });
      const path = join(folder, `${submissionId}-${safeName(file.name)}`);
      // A submission id is the database's: a file already there is a rolled-back submission's leftover.
      await writeFile(path, file.bytes);
      written.push(path);
    }
  } catch (err) {
    await removeAll();
    throw new FormsError('FORMS_ERR_UPLOAD_STORE', { detail: (err as Error).message }, { cause: err });
  }
  return removeAll;
}
