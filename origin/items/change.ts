// Changing one of a member's items after it was written (delete, restore, a new audience): one
// statement on the actor's shard updates the item behind the shard's write fence and records the
// fan-out (or unfan-out) the change needs in the outbox, so timelines follow durably, and hands the
// record to the relay. Then every origin process forgets its cached copy (itemChanged).
import type { OriginContext } from '../context.js';
import type { OutboxRecord } from '../jobs/outbox-relay.js';
import { fenceKeys, retryPause } from '../store/shards/fence.js';
import { itemChanged } from './items.js';

/**
 * The statement for a change: `set` and `condition` may use $5 and on (`extra`); $1..$4 are the
 * tenant, the item id, the actor and the actor's fence keys.
 */
export function itemChangeSql(set: string, condition: string, outboxKind: 'fanout' | 'unfanout'): string {
  return `
WITH fence AS (SELECT 1 FROM shard_fences WHERE key = ANY($4::text[])),
changed AS (
  UPDATE items SET ${set}
  WHERE tenant_id = $1 AND id = $2::bigint AND actor_id = $3::bigint AND ${condition}
    AND NOT EXISTS (SELECT 1 FROM fence)
  RETURNING id, actor_id, tenant_id
),
queued AS (
  INSERT INTO outbox (tenant_id, owner_id, kind, payload)
  SELECT tenant_id, actor_id, '${outboxKind}', jsonb_build_object('itemId', id::text) FROM changed
  RETURNING seq::text AS seq, created_at::text AS created_at, owner_id::text AS owner_id, tenant_id, kind, payload
)
SELECT (SELECT count(*)::int FROM changed) AS n, (SELECT count(*)::int FROM fence) AS fenced,
       (SELECT to_jsonb(q) FROM queued q) AS record`;
}

/** Runs a change of the actor's item; false when no item matched (not theirs, or not in that state). */
export async function changeItem(
  ctx: OriginContext,
  sql: string,
  tenantId: string,
  actor: bigint,
  itemId: bigint,
  extra: unknown[] = [],
): Promise<boolean> {
  const params = [tenantId, itemId.toString(), actor.toString(), fenceKeys(actor), ...extra];
  for (let attempt = 1; ; attempt++) {
    const db = ctx.cluster.router.forMember(actor);
    const [row] = await db.rows<{ n: number; fenced: number; record: OutboxRecord | null }>(sql, params);
    if (row && row.fenced === 0) {
      if (row.n === 0) return false;
      if (row.record) ctx.dispatchOutbox(db, [row.record]);
      await itemChanged(ctx, tenantId, itemId);
      return true;
    }
    // The actor's shard is moving: retry on the new database once the fence lifts.
    if (attempt >= 100) throw new Error(`member ${actor}'s shard stays fenced`);
    await retryPause(ctx.cluster, attempt);
  }
}
