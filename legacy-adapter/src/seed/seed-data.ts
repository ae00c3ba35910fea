import { createHash } from 'node:crypto';

/**
 * What the seed writes, as data. Contact field definitions follow the installer fixture
 * (docs/mautic/schema.md "Default lead_fields rows"); the rest is a small, realistic tenant:
 * contacts, two segments, three emails with tracked links, two forms.
 */

/** One installer `lead_fields` row: [alias, label, type, group, fixed, shortVisible, uniqueId, properties (PHP array)]. */
type InstallerField = [string, string, string, string, 0 | 1, 0 | 1, 0 | 1, unknown?];

/** The 28 contact rows of the installer fixture, in `field_order`. */
export const INSTALLER_CONTACT_FIELDS: readonly InstallerField[] = [
  ['title', 'Title', 'lookup', 'core', 1, 0, 0, { list: ['Mr', 'Mrs', 'Miss'] }],
  ['firstname', 'First Name', 'text', 'core', 1, 1, 0],
  ['lastname', 'Last Name', 'text', 'core', 1, 1, 0],
  ['company', 'Primary company', 'text', 'core', 1, 0, 0],
  ['position', 'Position', 'text', 'core', 1, 0, 0],
  ['email', 'Email', 'email', 'core', 1, 1, 1],
  ['mobile', 'Mobile', 'tel', 'core', 1, 0, 0],
  ['phone', 'Phone', 'tel', 'core', 1, 0, 0],
  ['points', 'Points', 'number', 'core', 1, 0, 0],
  ['fax', 'Fax', 'tel', 'core', 0, 0, 0],
  ['address1', 'Address Line 1', 'text', 'core', 1, 0, 0],
  ['address2', 'Address Line 2', 'text', 'core', 1, 0, 0],
  ['city', 'City', 'text', 'core', 1, 0, 0],
  ['state', 'State', 'region', 'core', 1, 0, 0],
  ['zipcode', 'Zip Code', 'text', 'core', 1, 0, 0],
  ['country', 'Country', 'country', 'core', 1, 0, 0],
  ['preferred_locale', 'Preferred Locale', 'locale', 'core', 1, 0, 0],
  ['timezone', 'Preferred Timezone', 'timezone', 'core', 1, 0, 0],
  ['last_active', 'Date Last Active', 'datetime', 'core', 1, 0, 0],
  ['attribution_date', 'Attribution Date', 'datetime', 'core', 1, 0, 0],
  ['attribution', 'Attribution', 'number', 'core', 1, 0, 0, { roundmode: 4, scale: 2 }],
  ['website', 'Website', 'url', 'core', 0, 0, 0],
  ['facebook', 'Facebook', 'text', 'social', 0, 0, 0],
  ['foursquare', 'Foursquare', 'text', 'social', 0, 0, 0],
  ['instagram', 'Instagram', 'text', 'social', 0, 0, 0],
  ['linkedin', 'mautic.lead.field.linkedin', 'text', 'social', 0, 0, 0],
  ['skype', 'Skype', 'text', 'social', 0, 0, 0],
  ['twitter', 'Twitter', 'text', 'social', 0, 0, 0],
];

/** Contact field aliases the seed makes publicly updatable (an admin choice; the installer sets none). */
export const PUBLICLY_UPDATABLE_FIELDS: readonly string[] = ['email', 'firstname', 'lastname'];

/** A seeded contact: [firstname, lastname, local part of the email, city, country, segments]. */
export const SEED_CONTACTS: readonly [string, string, string, string, string, ('newsletter' | 'customers')[]][] = [
  ['Ana', 'Silva', 'ana.silva', 'Lisbon', 'Portugal', ['newsletter', 'customers']],
  ['Bruno', 'Costa', 'bruno.costa', 'Porto', 'Portugal', ['newsletter', 'customers']],
  ['Chloé', 'Martin', 'chloe.martin', 'Lyon', 'France', ['newsletter']],
  ['Dmitri', 'Ivanov', 'dmitri.ivanov', 'Tallinn', 'Estonia', ['newsletter']],
  ['Emma', 'Jones', 'emma.jones', 'Leeds', 'United Kingdom', ['newsletter']],
  ['Farid', 'Haddad', 'farid.haddad', 'Montreal', 'Canada', []],
];

/** Form field as the seed writes it. */
export interface SeedFormField {
  label: string;
  alias: string;
  type: string;
  is_required?: boolean;
  default_value?: string;
  properties?: unknown;
  mapped_field?: string;
  validation_message?: string;
}

const options = (...values: string[]) => ({ list: { list: values.map((v) => ({ label: v[0]!.toUpperCase() + v.slice(1), value: v })) } });

/** The "Contact us" form: every common field type, one required, one mapped to the contact email. */
export const CONTACT_FORM_FIELDS: readonly SeedFormField[] = [
  { label: 'Email', alias: 'email', type: 'email', is_required: true, mapped_field: 'email', validation_message: 'Please enter a valid email address.' },
  { label: 'First name', alias: 'firstname', type: 'text', mapped_field: 'firstname' },
  { label: 'Topic', alias: 'topic', type: 'select', properties: { ...options('sales', 'support', 'press'), multiple: 0, empty_value: 'Choose one' } },
  { label: 'Interests', alias: 'interests', type: 'checkboxgrp', properties: options('product', 'events', 'jobs') },
  // "message" is one of the aliases Mautic prefixes with f_ (docs/mautic/schema.md "Form results tables").
  { label: 'Message', alias: 'f_message', type: 'textarea' },
  { label: 'Source', alias: 'source', type: 'hidden', default_value: 'website' },
  { label: 'Submit', alias: 'submit', type: 'button' },
];

/** The "Newsletter" form: one required email field mapped to the contact, a button. */
export const NEWSLETTER_FORM_FIELDS: readonly SeedFormField[] = [
  { label: 'Email address', alias: 'email_address', type: 'email', is_required: true, mapped_field: 'email' },
  { label: 'Subscribe', alias: 'subscribe', type: 'button' },
];

/** Links inside the seeded emails (paths under the tenant's site). */
export const EMAIL_LINK_PATHS: readonly string[] = ['/pricing', '/blog/spring-update?utm_campaign=spring', '/contact'];

/** The site domain of a tenant: `example.com` for `default`, else `{tenant}.example.com`. */
export function tenantDomain(tenant: string): string {
  return tenant === 'default' ? 'example.com' : `${tenant}.example.com`;
}

/** A short deterministic hex string derived from the tenant and a label (stable ids across runs). */
export function seedHash(tenant: string, label: string, length: number): string {
  return createHash('sha1').update(`${tenant}:${label}`).digest('hex').slice(0, length);
}

/** A seeded segment's alias: `newsletter` for `default`, else prefixed with the tenant (`acme_newsletter`). */
export function segmentAlias(tenant: string, name: 'newsletter' | 'customers'): string {
  return tenant === 'default' ? name : `${tenant.replace(/-/g, '_')}_${name}`;
}

/** The tracking id of seeded device `n` (0: the first contact's, 1: the anonymous visitor's). */
export function deviceTrackingId(tenant: string, n: number): string {
  return seedHash(tenant, `device-${n}`, 23);
}

/** The public id (`/r/{id}`) of the tracked link to `path` in email `emailId`. */
export function redirectIdOf(tenant: string, emailId: number, path: string): string {
  return seedHash(tenant, `redirect-${emailId}-${path}`, 25);
}

/** Names of the seeded emails, by role. */
export const SEED_EMAIL_NAMES = { welcome: 'Welcome', newsletter: 'Monthly newsletter', draft: 'Draft' } as const;

/** Aliases of the seeded forms, by role (they name the results tables). */
export const SEED_FORM_ALIASES = { contactUs: 'contactus', newsletter: 'newsletter' } as const;
