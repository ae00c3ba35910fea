import type { PhpValue } from '../codecs/php-serialize.ts';
import type { AuditColumns } from './audit-columns.ts';

/** An `emails` row. */
export interface Email extends AuditColumns {
  id: number;
  category_id: number | null;
  translation_parent_id: number | null;
  variant_parent_id: number | null;
  unsubscribeform_id: number | null;
  preference_center_id: number | null;
  name: string;
  description: string | null;
  subject: string | null;
  preheader_text: string | null;
  from_address: string | null;
  from_name: string | null;
  reply_to_address: string | null;
  bcc_address: string | null;
  use_owner_as_mailer: boolean | null;
  template: string | null;
  content: PhpValue;
  utm_tags: PhpValue;
  plain_text: string | null;
  custom_html: string | null;
  /** 'template' or 'list' (segment email). */
  email_type: string | null;
  publish_up: string | null;
  publish_down: string | null;
  read_count: number;
  sent_count: number;
  variant_sent_count: number;
  variant_read_count: number;
  revision: number;
  lang: string;
  variant_settings: PhpValue;
  variant_start_date: string | null;
  dynamic_content: PhpValue;
  /** Custom headers (JSON; `[]` when none). */
  headers: unknown;
  public_preview: boolean | null;
}

/** An `email_stats` row: one email sent to one contact. */
export interface EmailStat {
  id: number;
  email_id: number | null;
  lead_id: number | null;
  list_id: number | null;
  ip_id: number | null;
  copy_id: string | null;
  email_address: string;
  date_sent: string;
  is_read: boolean;
  is_failed: boolean;
  viewed_in_browser: boolean;
  date_read: string | null;
  /** Hash in open-pixel and click URLs. */
  tracking_hash: string | null;
  retry_count: number | null;
  source: string | null;
  source_id: number | null;
  tokens: PhpValue;
  open_count: number | null;
  last_opened: string | null;
  open_details: PhpValue;
  /** VIRTUAL: the date part of `date_sent`. */
  generated_sent_date: string | null;
}

/** An `email_copies` row, keyed by md5(subject . body). */
export interface EmailCopy {
  id: string;
  date_created: string;
  body: string | null;
  body_text: string | null;
  subject: string | null;
}

/** An `email_stats_devices` row: which device opened a sent email. */
export interface EmailStatDevice {
  id: number;
  device_id: number | null;
  stat_id: number | null;
  ip_id: number | null;
  date_opened: string;
}

/** An `email_stat_replies` row: a reply to a sent email. */
export interface EmailStatReply {
  /** A GUID (36 characters). */
  id: string;
  stat_id: number;
  date_replied: string;
  message_id: string;
}
