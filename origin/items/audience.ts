// Changing who may see an item after it was published. Privacy is checked on every read and
// every process drops its cached copy of the item (itemChanged), so the new audience holds at
// once in every stream. A fan-out record in the same statement then pushes the item to where it
// may now go (a public item's public, hashtag and place timelines; a widened audience's MRIs).
// Timelines that still hold it where it no longer belongs only lose a slot: readers skip it.
import type { AudienceChange, Tenant } from '../../shared/api.js';
import type { OriginContext } from '../context.js';
import { getList, requireFriends } from '../graph/friend-lists.js';
import { notFound } from '../http/problem.js';
import { changeItem, itemChangeSql } from './change.js';
import { type ItemRow, loadItems } from './items.js';

const CHANGE_SQL = itemChangeSql('audience = $5, audience_list_id = $6::bigint', 'deleted_at IS NULL', 'fanout');

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
  const extra = [change.audience, listId?.toString() ?? null];
  if (!(await changeItem(ctx, CHANGE_SQL, tenant.id, actor, itemId, extra)))
    throw notFound(`you have no item ${itemId}`);
  return (await loadItems(ctx, tenant.id, [itemId])).get(itemId.toString())!;
}
