// Changing who may see an item after it was published. Privacy is checked on every read and
// every process drops its cached copy of the item (itemChanged), so the new audience holds at
// once in every stream. A fan-out record in the same statement then pushes the item to where it
// may now go (a public item's public, hashtag and place timelines; a widened audience's MRIs).
// Timelines that still hold it where it no longer belongs only lose a slot: readers skip it.
import type { AudienceChange, Tenant } from '../../shared/api.js';
import type { OriginContext } from '../context.js';
import { getList, requireFriends } from '../graph/friend-lists.js';
import { notFound } from '../http/problem.js';
import { fenceKeys, retryPause } from '../store/shards/fence.js';
import { type ItemRow, itemChanged, loadItems } from './items.js';

const CHANGE_SQL = `
WITH fence AS (SELECT 1 FROM shard_fences WHERE key = ANY($4::text[])),
changed AS (
  UPDATE items SET audience = $5, audience_list_id = $6::bigint
  WHERE tenant_id = $1 AND id = $2::bigint AND actor_id = $3::bigint AND deleted_at IS NULL
    AND NOT EXISTS (SELECT 1 FROM fence)
  RETURNING id, actor_id, tenant_id
),
queued AS (
  INSERT INTO outbox (tenant_id, owner_id, kind, payload)
  SELECT tenant_id, actor_id, 'fanout', jsonb_build_object('itemId', id::text) FROM changed
)
SELECT (SELECT count(*)::int FROM changed) AS n, (SELECT count(*)::int FROM fence) AS fenced`;

/** The actor gives their item a new audience. Anyone else's item, or a deleted one, is a 404. */
export async function changeAudience(
  ctx: OriginContext,
  tenant: Tenant,
  actor: bigint,
  itemId: bigint,
  change: AudienceChange,
): Promise<ItemRow> {
  const listId = change.listId ? BigInt(change.listId) : null;
  if (listId !== null) {
    const list = await getList(ctx, tenant.id, actor, listId);
    await requireFriends(ctx, tenant.id, actor, list.memberIds);
  }
  const params = [
    tenant.id,
    itemId.toString(),
    actor.toString(),
    fenceKeys(actor),
    change.audience,
    listId?.toString() ?? null,
  ];
  for (let attempt = 1; ; attempt++) {
    const [row] = await ctx.cluster.router.forMember(actor).rows<{ n: number; fenced: number }>(CHANGE_SQL, params);
    if (row && row.fenced === 0) {
      if (row.n === 0) throw notFound(`you have no item ${itemId}`);
      break;
    }
    // The author's shard is moving: retry on the new database.
    if (attempt >= 100) throw new Error(`member ${actor}'s shard stays fenced`);
    await retryPause(ctx.cluster, attempt);
  }
  ctx.kickOutbox();
  await itemChanged(ctx, tenant.id, itemId);
  return (await loadItems(ctx, tenant.id, [itemId])).get(itemId.toString())!;
}
