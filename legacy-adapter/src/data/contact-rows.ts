import type { AuditColumns } from './audit-columns.ts';
import type { PhpValue } from '../codecs/php-serialize.ts';

/**
 * Decoded rows of the contact tables. Column names as in Mautic; DATETIMEs are UTC strings
 * `YYYY-MM-DD HH:MM:SS`; `(DC2Type:array)` columns are unserialized PHP values.
 */

/**
 * A `leads` row (a contact). Custom-field columns, if the database has any, are on the
 * decoded object too, untyped: read them as `(lead as Record<string, unknown>).my_field`.
 */
export interface Lead extends AuditColumns {
  id: number;
  owner_id: number | null;
  stage_id: number | null;
  points: number;
  last_active: string | null;
  internal: PhpValue;
  social_cache: PhpValue;
  date_identified: string | null;
  preferred_profile_image: string | null;
  title: string | null;
  firstname: string | null;
  lastname: string | null;
  company: string | null;
  position: string | null;
  email: string | null;
  phone: string | null;
  mobile: string | null;
  address1: string | null;
  address2: string | null;
  city: string | null;
  state: string | null;
  zipcode: string | null;
  timezone: string | null;
  country: string | null;
  fax: string | null;
  preferred_locale: string | null;
  attribution_date: string | null;
  attribution: number | null;
  website: string | null;
  facebook: string | null;
  foursquare: string | null;
  instagram: string | null;
  linkedin: string | null;
  skype: string | null;
  twitter: string | null;
  /** VIRTUAL: the part of `email` after `@`. */
  generated_email_domain: string | null;
}

/** A `lead_devices` row. */
export interface LeadDevice {
  id: number;
  lead_id: number;
  date_added: string;
  client_info: PhpValue;
  device: string | null;
  device_os_name: string | null;
  device_os_shortname: string | null;
  device_os_version: string | null;
  device_os_platform: string | null;
  device_brand: string | null;
  device_model: string | null;
  /** The `mautic_device_id` value (unique). */
  tracking_id: string | null;
}

/** An `ip_addresses` row. */
export interface IpAddress {
  id: number;
  ip_address: string;
  ip_details: PhpValue;
}

/** A `lead_event_log` row. */
export interface LeadEvent {
  id: number;
  lead_id: number | null;
  user_id: number | null;
  user_name: string | null;
  bundle: string | null;
  object: string | null;
  action: string | null;
  object_id: number | null;
  date_added: string;
  properties: unknown;
}

/** A `lead_donotcontact` row. `reason`: 0 contactable, 1 unsubscribed, 2 bounced, 3 manual. */
export interface DoNotContact {
  id: number;
  lead_id: number | null;
  date_added: string;
  reason: number;
  channel: string;
  channel_id: number | null;
  comments: string | null;
}

/** DoNotContact reasons (Mautic's DoNotContact constants). */
export const DNC_REASON = { CONTACTABLE: 0, UNSUBSCRIBED: 1, BOUNCED: 2, MANUAL: 3 } as const;

/** Values a caller may give when writing a row: any column but the id and generated ones. */
export type Writable<T> = Partial<Omit<T, 'id' | 'generated_email_domain' | 'generated_sent_date'>>;
