/**
 * Tenants (CONTEXT.md: Tenant): the Host header, without its port and
 * case-insensitively, selects one; each has its own legacy upstream and may
 * have its own new upstreams. Built once at start-up; lookups are one Map get.
 */
import { tenantUrlKey, type GatewayConfig } from '../config/schema.ts';
import { NEW_UPSTREAM_NAMES, type NewUpstreamName } from '../model.ts';

/** Id of the tenant of a single-tenant deployment, served by `upstreams.*`. */
export const DEFAULT_TENANT_ID = 'default';

/** One tenant with the URLs of its upstreams. */
export interface Tenant {
  readonly id: string;
  readonly legacyUrl: string;
  /** URL of each new upstream for this tenant (its own or the shared one). */
  readonly newUrls: Readonly<Record<NewUpstreamName, string>>;
}

/** Lookup of tenants by id and by Host. */
export interface TenantTable {
  readonly tenants: readonly Tenant[];
  /** Every tenant id, `default` included. */
  readonly ids: ReadonlySet<string>;
  byId(id: string): Tenant | undefined;
  /**
   * The tenant of a raw Host header value (port and case ignored).
   * An unknown or missing Host gives the default tenant, or null when the
   * configuration says `unknownHost: 'reject'`.
   */
  fromHost(host: string | undefined): Tenant | null;
}

/**
 * Builds the tenant table from the configuration.
 *
 * @example
 * const table = createTenantTable(config);
 * table.fromHost('Mautic.Example.com:8080')?.id; // 'acme' when acme lists mautic.example.com
 */
export function createTenantTable(config: GatewayConfig): TenantTable {
  const shared = newUrlsOf((n) => config.upstreams[n].url);
  const defaultTenant: Tenant = Object.freeze({ id: DEFAULT_TENANT_ID, legacyUrl: config.upstreams.legacy.url, newUrls: Object.freeze({ ...shared }) });
  const tenants: Tenant[] = [defaultTenant];
  const byHost = new Map<string, Tenant>(config.defaultTenantHosts.map((h) => [h, defaultTenant]));
  for (const t of config.tenants) {
    const newUrls = newUrlsOf((n) => t[tenantUrlKey(n)] ?? shared[n]);
    const tenant: Tenant = Object.freeze({ id: t.id, legacyUrl: t.legacyUrl, newUrls: Object.freeze(newUrls) });
    tenants.push(tenant);
    for (const h of t.hosts) byHost.set(h, tenant);
  }
  const byId = new Map(tenants.map((t) => [t.id, t]));
  const fallback = config.unknownHost === 'reject' ? null : defaultTenant;
  return {
    tenants,
    ids: new Set(byId.keys()),
    byId: (id) => byId.get(id),
    fromHost: (host) => (host === undefined ? fallback : (byHost.get(hostWithoutPort(host)) ?? fallback)),
  };
}

function newUrlsOf(urlOf: (name: NewUpstreamName) => string): Record<NewUpstreamName, string> {
  return Object.fromEntries(NEW_UPSTREAM_NAMES.map((n) => [n, urlOf(n)])) as Record<NewUpstreamName, string>;
}

/**
 * Lower-cases a Host header value and drops its port and a trailing dot.
 *
 * @example hostWithoutPort('Example.COM.:8080') // 'example.com'
 * @example hostWithoutPort('[::1]:80') // '[::1]'
 */
export function hostWithoutPort(host: string): string {
  let h = host.trim().toLowerCase();
  if (h.startsWith('[')) {
    const end = h.indexOf(']');
    return end === -1 ? h : h.slice(0, end + 1);
  }
  const colon = h.indexOf(':');
  if (colon !== -1) h = h.slice(0, colon);
  return h.endsWith('.') ? h.slice(0, -1) : h;
}
