/**
 * The upstream clients of every tenant: its legacy upstream and every new
 * one (`UPSTREAMS` in model.ts). Tenants that share a URL share one pool. Built once at start-up.
 */
import type { GatewayConfig, UpstreamSettings } from '../config/schema.ts';
import { NEW_UPSTREAM_NAMES, type NewUpstreamName, type UpstreamName } from '../model.ts';
import type { Tenant, TenantTable } from '../tenants/tenant-table.ts';
import type { Upstream, UpstreamOptions } from '../upstream/types.ts';

/** The upstreams one tenant's requests go to. */
export interface TenantUpstreams {
  readonly legacy: Upstream;
  readonly new: Readonly<Record<NewUpstreamName, Upstream>>;
}

/** Every upstream client of the process. */
export interface UpstreamSet {
  /** The upstreams of a tenant from the tenant table. */
  forTenant(tenant: Tenant): TenantUpstreams;
  /** Closes every pool (after the drain). */
  close(): Promise<void>;
}

/**
 * Creates a client per (kind, URL), with the timeouts of `upstreams.<kind>`.
 *
 * @param create - the client factory (`createUpstream` from upstream/client.ts).
 */
export function createUpstreamSet(config: GatewayConfig, tenants: TenantTable, create: (o: UpstreamOptions) => Upstream): UpstreamSet {
  const pools = new Map<string, Upstream>();
  const client = (kind: UpstreamName, url: string, tenantId: string): Upstream => {
    const key = `${kind} ${url}`;
    let upstream = pools.get(key);
    if (!upstream) {
      const settings: UpstreamSettings = config.upstreams[kind];
      const name = url === settings.url ? kind : `${kind}:${tenantId}`;
      upstream = create({ ...settings, name, url });
      pools.set(key, upstream);
    }
    return upstream;
  };
  const byTenant = new Map<string, TenantUpstreams>();
  for (const t of tenants.tenants) {
    const news = Object.fromEntries(NEW_UPSTREAM_NAMES.map((n) => [n, client(n, t.newUrls[n], t.id)])) as Record<NewUpstreamName, Upstream>;
    byTenant.set(t.id, Object.freeze({ legacy: client('legacy', t.legacyUrl, t.id), new: Object.freeze(news) }));
  }
  return {
    forTenant(tenant) {
      const set = byTenant.get(tenant.id);
      if (!set) throw new Error(`no upstreams for tenant ${tenant.id}`);
      return set;
    },
    close: async () => void (await Promise.all([...pools.values()].map((u) => u.close()))),
  };
}
