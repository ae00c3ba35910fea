import { AUDIT_COLUMNS, fk, idx, autoIdx, table } from './define.ts';

/** `page_hits` — page views, tracking pixel hits and redirect clicks. */
export const PAGE_HITS = table(
  'page_hits',
  [
    'id BIGINT UNSIGNED AUTO_INCREMENT',
    'page_id INT UNSIGNED',
    'redirect_id BIGINT UNSIGNED',
    'email_id INT UNSIGNED',
    'lead_id BIGINT UNSIGNED',
    'ip_id INT UNSIGNED',
    'device_id BIGINT UNSIGNED',
    'date_hit DATETIME NOT NULL',
    'date_left DATETIME',
    ...['country', 'region', 'city', 'isp', 'organization'].map((c) => `${c} VARCHAR(191)`),
    'code INT NOT NULL',
    'referer LONGTEXT',
    'url LONGTEXT',
    'url_title VARCHAR(191)',
    'user_agent LONGTEXT',
    'remote_host VARCHAR(191)',
    'page_language VARCHAR(191)',
    'browser_languages ARRAY',
    'tracking_id VARCHAR(191) NOT NULL',
    'source VARCHAR(191)',
    'source_id INT',
    'query ARRAY',
  ],
  {
    indexes: [
      ...['page_id', 'redirect_id', 'email_id', 'lead_id', 'ip_id', 'device_id'].map((c) => autoIdx(c)),
      idx('page_hit_tracking_search', 'tracking_id'),
      idx('page_hit_code_search', 'code'),
      idx('page_hit_source_search', 'source', 'source_id'),
      idx('date_hit_left_index', 'date_hit', 'date_left'),
      { name: 'page_hit_url', columns: ['url'], lengths: [128] },
    ],
    foreignKeys: [
      fk('page_id', 'pages', 'SET NULL'),
      fk('redirect_id', 'page_redirects', 'SET NULL'),
      fk('email_id', 'emails', 'SET NULL'),
      fk('lead_id', 'leads', 'SET NULL'),
      fk('ip_id', 'ip_addresses', 'SET NULL'),
      fk('device_id', 'lead_devices', 'SET NULL'),
    ],
  },
);

/** `page_redirects` — tracked links (`/r/{redirect_id}`). */
export const PAGE_REDIRECTS = table('page_redirects', [
  'id BIGINT UNSIGNED AUTO_INCREMENT',
  ...AUDIT_COLUMNS,
  'redirect_id VARCHAR(25) NOT NULL',
  'url LONGTEXT NOT NULL',
  'hits INT NOT NULL',
  'unique_hits INT NOT NULL',
]);

/** `channel_url_trackables` — which channel (e.g. an email) carries which tracked link. */
export const CHANNEL_URL_TRACKABLES = table(
  'channel_url_trackables',
  ['channel_id INT NOT NULL', 'redirect_id BIGINT UNSIGNED NOT NULL', 'channel VARCHAR(191) NOT NULL', 'hits INT NOT NULL', 'unique_hits INT NOT NULL'],
  {
    primaryKey: ['redirect_id', 'channel_id'],
    indexes: [idx('channel_url_trackable_search', 'channel', 'channel_id')],
    foreignKeys: [fk('redirect_id', 'page_redirects', 'CASCADE')],
  },
);
