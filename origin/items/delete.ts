// Soft delete of items: deleting hides an item at once (every read drops it) and removes it from
// the timelines through the outbox; within the retention window it can be restored, after that
// the purge job (jobs/purge.ts) removes it for good.
import type { Tenant } from '../../shared/api.js';
import type { OriginContext } from '../context.js';
import { notFound } from '../http/problem.js';
import { changeItem, itemChangeSql } from './change.js';

const DELETE_SQL = itemChangeSql('deleted_at = now()', 'deleted_at IS NULL', 'unfanout');
const RESTORE_SQL = itemChangeSql(
  'deleted_at = NULL',
  'deleted_at IS NOT NULL AND deleted_at > now() - make_interval(secs => $5::double precision)',
  'fanout',
);

/** The author deletes their item. Only the actor may delete; anything else is a 404. */
export async function deleteItem(ctx: OriginContext, tenant: Tenant, actor: bigint, itemId: bigint): Promise<void> {
  if (!(await changeItem(ctx, DELETE_SQL, tenant.id, actor, itemId))) throw notFound(`you have no item ${itemId}`);
}

/** Undoes a delete within the retention window (PURGE_AFTER_HOURS). */
export async function restoreItem(ctx: OriginContext, tenant: Tenant, actor: bigint, itemId: bigint): Promise<void> {
  const windowSeconds = ctx.config.PURGE_AFTER_HOURS * 3600;
  if (!(await changeItem(ctx, RESTORE_SQL, tenant.id, actor, itemId, [windowSeconds]))) {
    throw notFound(`no deleted item ${itemId} of yours can be restored (it may be past the retention window)`);
  }
}
