import { ASSETS, EMAIL_ASSETS_XREF } from '../db/schema/index.ts';
import type { Db } from '../db/types.ts';
import { utcNow } from './row-codec.ts';
import { insertRow } from './table-access.ts';

/**
 * The assets a send attaches (docs/mautic/public-http.md §5.3 `assetAttachments`): those the
 * email always carries (`email_assets_xref`) and those the API call names, each once. Only
 * local assets have a file to attach; a remote asset (`storage_location` `remote`) is a link,
 * and unknown ids are passed over, as Mautic's entity lookup does (inferred).
 */

/** One asset to attach. */
export interface AttachableAsset {
  id: number;
  path: string;
  originalFileName: string | null;
  mime: string | null;
}

type AssetRow = {
  id: number;
  storage_location: string | null;
  path: string | null;
  original_file_name: string | null;
  mime: string | null;
};

/**
 * The local assets to attach to a send of `emailId`, the email's own first, then `requested`
 * in the caller's order, without repeats.
 */
export async function findAttachableAssets(db: Db, emailId: number, requested: readonly number[]): Promise<AttachableAsset[]> {
  const own = await db.query<{ asset_id: number }>(`SELECT asset_id FROM ${db.table('email_assets_xref')} WHERE email_id = ? ORDER BY asset_id`, [emailId]);
  const ids = [...new Set([...own.map((r) => Number(r.asset_id)), ...requested])];
  if (ids.length === 0) return [];
  const rows = await db.query<AssetRow>(
    `SELECT id, storage_location, path, original_file_name, mime FROM ${db.table('assets')} WHERE id IN (${ids.map(() => '?').join(', ')})`,
    ids,
  );
  const byId = new Map(rows.map((r) => [Number(r.id), r]));
  return ids.flatMap((id) => {
    const row = byId.get(id);
    if (!row || (row.storage_location ?? 'local') !== 'local' || !row.path) return [];
    return [{ id, path: row.path, originalFileName: row.original_file_name, mime: row.mime }];
  });
}

/** What `insertAsset` needs; the rest takes Mautic's initial values. */
export interface NewAsset {
  title: string;
  alias: string;
  /** `local` (a file under `upload_dir`) or `remote` (a URL in `remotePath`). */
  storageLocation: 'local' | 'remote';
  path?: string;
  remotePath?: string;
  originalFileName?: string;
  mime?: string;
  size?: number;
}

/** Writes an `assets` row (seeds and tests) and returns its id. */
export function insertAsset(db: Db, asset: NewAsset): Promise<number> {
  return insertRow(db, ASSETS, {
    is_published: true, date_added: utcNow(), title: asset.title, alias: asset.alias, lang: 'en', storage_location: asset.storageLocation,
    path: asset.path ?? null, remote_path: asset.remotePath ?? null, original_file_name: asset.originalFileName ?? null, mime: asset.mime ?? null,
    size: asset.size ?? null, extension: asset.originalFileName?.split('.').pop() ?? null, download_count: 0, unique_download_count: 0, revision: 1,
  });
}

/** Makes an asset one of the email's own attachments (`email_assets_xref`). */
export async function attachAssetToEmail(db: Db, emailId: number, assetId: number): Promise<void> {
  await insertRow(db, EMAIL_ASSETS_XREF, { email_id: emailId, asset_id: assetId });
}
