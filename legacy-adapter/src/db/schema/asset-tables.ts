import { AUDIT_COLUMNS, autoIdx, fk, idx, table } from './define.ts';

/**
 * `assets` — files Mautic serves at `/asset/{slug}` and attaches to emails (docs/mautic/public-http.md
 * §3.11, §5.3 `assetAttachments`). Not in docs/mautic/schema.md Appendix A; written from Mautic 5's
 * own DDL, column for column, so an email send can attach a local asset (`storage_location`
 * `local`, the file at `<upload_dir>/<path>`).
 */
export const ASSETS = table(
  'assets',
  [
    'id INT UNSIGNED AUTO_INCREMENT',
    'category_id INT UNSIGNED',
    ...AUDIT_COLUMNS,
    'title VARCHAR(191) NOT NULL',
    'description LONGTEXT',
    'alias VARCHAR(191) NOT NULL',
    'storage_location VARCHAR(191)',
    'path VARCHAR(191)',
    'remote_path LONGTEXT',
    'original_file_name LONGTEXT',
    'lang VARCHAR(191) NOT NULL',
    'publish_up DATETIME',
    'publish_down DATETIME',
    'download_count INT NOT NULL',
    'unique_download_count INT NOT NULL',
    'revision INT NOT NULL',
    'extension VARCHAR(191)',
    'mime VARCHAR(191)',
    'size INT',
    'disallow TINYINT(1)',
  ],
  { indexes: [autoIdx('category_id'), idx('asset_alias_search', 'alias')], foreignKeys: [fk('category_id', 'categories', 'SET NULL')] },
);

/** `email_assets_xref` — the assets an email always carries as attachments (Mautic 5's own DDL). */
export const EMAIL_ASSETS_XREF = table('email_assets_xref', ['email_id INT UNSIGNED NOT NULL', 'asset_id INT UNSIGNED NOT NULL'], {
  primaryKey: ['email_id', 'asset_id'],
  indexes: [autoIdx('asset_id')],
  foreignKeys: [fk('email_id', 'emails', 'CASCADE'), fk('asset_id', 'assets', 'CASCADE')],
});
