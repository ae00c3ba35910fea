/**
 * What a seeded tenant is known by: its credentials, which follow from the tenant's name, and
 * the ids of what the seed wrote (`SeedResult`), which `seed` returns whether it wrote them now
 * or found them from an earlier run.
 */
import type { SeedFormField } from './seed-data.ts';
import { tenantDomain } from './seed-data.ts';

/** bcrypt cost of Symfony's password hasher, which Mautic uses (docs/mautic/schema.md "users"). */
export const MAUTIC_BCRYPT_COST = 13;

/** Known credentials of a seeded tenant, for tests and for trying the API by hand. */
export interface SeedCredentials {
  username: string;
  password: string;
  email: string;
  /** OAuth2 `random_id`; the public client id is `"{clientId}_{randomId}"`. */
  clientRandomId: string;
  clientSecret: string;
  accessToken: string;
}

/** The credentials the seed gives tenant `tenant` (default: `default`). */
export function seedCredentials(tenant = 'default'): SeedCredentials {
  const t = tenant === 'default' ? '' : tenant.replace(/-/g, '');
  return {
    username: tenant === 'default' ? 'api' : `api-${tenant}`,
    password: 'strangler-api-password',
    email: `api@${tenantDomain(tenant)}`,
    clientRandomId: `4o1i7qb9qkmc4kw0ck0swgo8ckwsk4kcs0w8gk0wg4${t}`,
    clientSecret: `3bt2wq2lmvwgcswc8s0gkosk8c40wsg0kc0gcokwc0${t}`,
    accessToken: `stranglerseedaccesstoken0n2ybfhwtt2l7xs4kkg${t}`,
  };
}

/** The known API user of the default tenant (`api` / `strangler-api-password`). */
export const SEED_API_USER = { username: seedCredentials().username, password: seedCredentials().password };
/** The OAuth2 client and bearer token of the default tenant. */
export const SEED_OAUTH2 = { randomId: seedCredentials().clientRandomId, secret: seedCredentials().clientSecret, accessToken: seedCredentials().accessToken };

/** A tracked link the seed made. */
export interface SeededRedirect {
  /** `page_redirects.id`. */
  id: number;
  /** Public id in `/r/{redirectId}`. */
  redirectId: string;
  url: string;
  emailId: number;
}

/** The seeded forms: ids and results table names. */
export interface SeededForms {
  contactUs: SeededForm;
  newsletter: SeededForm;
}

/** One seeded form. */
export interface SeededForm {
  id: number;
  alias: string;
  resultsTable: string;
  fields: readonly SeedFormField[];
}

/** Ids of what the seed made. */
export interface SeedResult {
  tenant: string;
  /** True when this call wrote the rows; false when they were there from an earlier seed. */
  created: boolean;
  credentials: SeedCredentials;
  roleId: number;
  userId: number;
  clientId: number;
  /** `"{clientId}_{randomId}"`, what OAuth2 callers send as client_id. */
  clientPublicId: string;
  /** Unix seconds. */
  accessTokenExpiresAt: number;
  leadIds: number[];
  anonymousLeadId: number;
  deviceTrackingIds: string[];
  segmentIds: { newsletter: number; customers: number };
  emailIds: { welcome: number; newsletter: number; draft: number };
  redirects: SeededRedirect[];
  /** A sent `welcome` email to the first contact: its `email_stats` id and tracking hash. */
  stat: { id: number; trackingHash: string };
  forms: SeededForms;
  /** Installer `lead_fields` rows written by this call (0 when the database had them already). */
  leadFieldsCreated: number;
}
