import { readFile } from 'node:fs/promises';
import { isAbsolute, join, normalize, sep } from 'node:path';
import type { MailAttachment } from './types.ts';

/** A local asset to attach: where its file is under the upload folder, and how to name it. */
export interface AssetFile {
  /** `assets.path`: the stored file name, relative to `upload_dir`. */
  path: string;
  /** `assets.original_file_name`, the name the receiver sees; the stored name when empty. */
  originalFileName: string | null;
  /** `assets.mime`; `application/octet-stream` when empty. */
  mime: string | null;
}

/** What became of one asset file. */
export type AssetFileResult = { ok: true; attachment: MailAttachment } | { ok: false; path: string; reason: string };

/**
 * Reads a local asset's file from `uploadDir` (Mautic's `upload_dir`) into an attachment.
 * A path that leaves the folder, or a file that cannot be read, is a failure with the
 * reason (the caller decides: Mautic logs it and sends without the file).
 *
 * @example
 * const result = await readAssetFile('/var/www/media/files', { path: 'a1b2.pdf', originalFileName: 'terms.pdf', mime: 'application/pdf' });
 */
export async function readAssetFile(uploadDir: string, asset: AssetFile): Promise<AssetFileResult> {
  const relative = normalize(asset.path);
  if (asset.path === '' || isAbsolute(relative) || relative === '..' || relative.startsWith(`..${sep}`)) return { ok: false, path: asset.path, reason: 'outside the upload folder' };
  try {
    const bytes = await readFile(join(uploadDir, relative));
    return {
      ok: true,
      attachment: { filename: asset.originalFileName || relative, contentType: asset.mime || 'application/octet-stream', contentBase64: bytes.toString('base64') },
    };
  } catch (err) {
    return { ok: false, path: asset.path, reason: (err as NodeJS.ErrnoException).code ?? String(err) };
  }
}
