/**
 * Two reads of visitor tracking that the contact cache (contact-cache.ts) can spare, with the
 * database as the fallback: the publicly updatable fields (docs/mautic/public-http.md §2.1
 * step 3) and the `ip_addresses` id of the visitor's address, with the contact's IP link.
 */
import { findIpAddress, insertIpAddress, linkLeadIp, linkNewLeadIp, listPublicContactFields } from '../../../legacy-adapter/src/data/contacts.ts';
import type { PublicContactField } from '../../../legacy-adapter/src/data/contacts.ts';
import { isDbError } from '../../../legacy-adapter/src/db/errors.ts';
import type { VisitorContext } from './visitor-context.ts';

/** The publicly updatable fields of `lead_fields`. */
export type PublicFields = readonly PublicContactField[];

/** The publicly updatable fields, through the contact cache when there is one. */
export function publicFieldsOf(ctx: VisitorContext): Promise<PublicFields> {
  const load = () => listPublicContactFields(ctx.db);
  return ctx.contactCache ? ctx.contactCache.publicFields(load) : load();
}

/** The `ip_addresses` id of the visitor's address: kept by the contact cache once found, else looked up, else inserted. */
export async function ipAddressIdOf(ctx: VisitorContext, storedIp: string): Promise<{ id: number; fromCache: boolean }> {
  const cached = ctx.contactCache?.ipId(storedIp);
  if (cached !== undefined) return { id: cached, fromCache: true };
  const found = await findIpAddress(ctx.db, storedIp);
  // An id inserted here is not kept: if this transaction rolls back, SQLite gives it out again.
  if (!found) return { id: await insertIpAddress(ctx.db, storedIp), fromCache: false };
  ctx.contactCache?.rememberIp(storedIp, found.id);
  return { id: found.id, fromCache: false };
}

/**
 * Links the contact to the visitor's IP (`lead_ips_xref`). A cached id whose row was deleted
 * since (`mautic:unusedip:delete`) fails the link's foreign key: the address is looked up again.
 *
 * @returns the id linked.
 */
export async function linkVisitorIp(ctx: VisitorContext, leadId: number, isNewContact: boolean, storedIp: string, ip: { id: number; fromCache: boolean }): Promise<number> {
  const { onTransactionFailure } = ctx;
  // A contact created by this transaction has no IP links yet: nothing to look up, and the
  // INSERT's result is not read, so it rides with the transaction's next statement. A cached
  // id whose row is gone then fails the transaction there, not here: the id is dropped and the
  // transaction runs again.
  if (isNewContact && (!ip.fromCache || onTransactionFailure)) {
    if (ip.fromCache) {
      onTransactionFailure!((err) => {
        if (!isDbError(err, 'DB_FOREIGN_KEY')) return false;
        ctx.contactCache?.forgetIp(storedIp);
        return true;
      });
    }
    await linkNewLeadIp(ctx.db, leadId, ip.id, { later: true });
    return ip.id;
  }
  const link = (ipId: number) => (isNewContact ? linkNewLeadIp(ctx.db, leadId, ipId) : linkLeadIp(ctx.db, leadId, ipId));
  try {
    await link(ip.id);
    return ip.id;
  } catch (err) {
    if (!ip.fromCache || !isDbError(err, 'DB_FOREIGN_KEY')) throw err;
    ctx.contactCache?.forgetIp(storedIp);
    const { id } = await ipAddressIdOf(ctx, storedIp);
    await link(id);
    return id;
  }
}
