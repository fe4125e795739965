// Soft delete of items: deleting hides an item at once (every read drops it) and removes it from
// the timelines through the outbox; within the retention window it can be restored, after that
// the purge job (jobs/purge.ts) removes it for good.
import type { Tenant } from '../../shared/api.js';
import type { OriginContext } from '../context.js';
import { notFound } from '../http/problem.js';
import { fenceKeys, retryPause } from '../store/shards/fence.js';
import { itemChanged } from './items.js';

const DELETE_SQL = `
WITH fence AS (SELECT 1 FROM shard_fences WHERE key = ANY($4::text[])),
changed AS (
  UPDATE items SET deleted_at = now()
  WHERE tenant_id = $1 AND id = $2::bigint AND actor_id = $3::bigint AND deleted_at IS NULL
    AND NOT EXISTS (SELECT 1 FROM fence)
  RETURNING id, actor_id, tenant_id
),
queued AS (
  INSERT INTO outbox (tenant_id, owner_id, kind, payload)
  SELECT tenant_id, actor_id, 'unfanout', jsonb_build_object('itemId', id::text) FROM changed
)
SELECT (SELECT count(*)::int FROM changed) AS n, (SELECT count(*)::int FROM fence) AS fenced`;

const RESTORE_SQL = `
WITH fence AS (SELECT 1 FROM shard_fences WHERE key = ANY($4::text[])),
changed AS (
  UPDATE items SET deleted_at = NULL
  WHERE tenant_id = $1 AND id = $2::bigint AND actor_id = $3::bigint AND deleted_at IS NOT NULL
    AND deleted_at > now() - make_interval(secs => $5::double precision)
    AND NOT EXISTS (SELECT 1 FROM fence)
  RETURNING id, actor_id, tenant_id
),
queued AS (
  INSERT INTO outbox (tenant_id, owner_id, kind, payload)
  SELECT tenant_id, actor_id, 'fanout', jsonb_build_object('itemId', id::text) FROM changed
)
SELECT (SELECT count(*)::int FROM changed) AS n, (SELECT count(*)::int FROM fence) AS fenced`;

async function change(ctx: OriginContext, sqlText: string, params: unknown[], actor: bigint): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    const [row] = await ctx.cluster.router.forMember(actor).rows<{ n: number; fenced: number }>(sqlText, params);
    if (row && row.fenced === 0) {
      if (row.n > 0) ctx.kickOutbox();
      return row.n > 0;
    }
    if (attempt >= 100) throw new Error(`member ${actor}'s shard stays fenced`);
    await retryPause(ctx.cluster, attempt);
  }
}

/** The author deletes their item. Only the actor may delete; anything else is a 404. */
export async function deleteItem(ctx: OriginContext, tenant: Tenant, actor: bigint, itemId: bigint): Promise<void> {
  const params = [tenant.id, itemId.toString(), actor.toString(), fenceKeys(actor)];
  if (!(await change(ctx, DELETE_SQL, params, actor))) throw notFound(`you have no item ${itemId}`);
  await itemChanged(ctx, tenant.id, itemId);
}

/** Undoes a delete within the retention window (PURGE_AFTER_HOURS). */
export async function restoreItem(ctx: OriginContext, tenant: Tenant, actor: bigint, itemId: bigint): Promise<void> {
  const windowSeconds = ctx.config.PURGE_AFTER_HOURS * 3600;
  const params = [tenant.id, itemId.toString(), actor.toString(), fenceKeys(actor), windowSeconds];
  if (!(await change(ctx, RESTORE_SQL, params, actor))) {
    throw notFound(`no deleted item ${itemId} of yours can be restored (it may be past the retention window)`);
  }
  await itemChanged(ctx, tenant.id, itemId);
}
