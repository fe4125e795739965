// Fan-out on write: an item committed on its actor's shard is pushed into the actor's ORI, the
// actor's and every friend's MRI, and (if public) the tenant's public timeline. Jobs run at least
// once; sorted-set inserts are idempotent, so a retried job never duplicates an entry.
import { timeOfId } from '../../shared/ids.js';
import type { OriginContext } from '../context.js';
import { friendIds } from '../graph/friends.js';
import { itemsByActor, loadItems } from '../items/items.js';
import type { JobData } from '../store/queue/job-queue.js';
import type { TimelineWrite } from '../store/timelines/timeline-store.js';

export async function fanoutItem(ctx: OriginContext, data: JobData): Promise<void> {
  const tenant = data.tenant!;
  const itemId = BigInt(data.itemId!);
  const item = (await loadItems(ctx, tenant, [itemId])).get(itemId.toString());
  if (!item || item.deletedAt) return;
  const ms = timeOfId(itemId);
  const id = itemId.toString();
  const actor = item.actorId.toString();
  const writes: TimelineWrite[] = [
    { timeline: { tenant, kind: 'ori', owner: actor }, itemId: id, ms },
    { timeline: { tenant, kind: 'mri', owner: actor }, itemId: id, ms },
  ];
  if (item.audience === 'public') writes.push({ timeline: { tenant, kind: 'public', owner: '' }, itemId: id, ms });
  const reachesFriends = item.audience === 'public' || item.audience === 'friends';
  for (const friend of reachesFriends ? await friendIds(ctx, tenant, item.actorId) : []) {
    writes.push({ timeline: { tenant, kind: 'mri', owner: friend.toString() }, itemId: id, ms });
  }
  // Batches bound the size of one pipeline, so a member with many friends does not hold Redis.
  const batch = ctx.config.FANOUT_BATCH;
  for (let i = 0; i < writes.length; i += batch) await ctx.timelines.add(writes.slice(i, i + batch));
  ctx.metrics.timelineInserts.inc(writes.length);
}

/** After a new friendship: copy the author's recent items into the reader's home stream. */
export async function backfillFriend(ctx: OriginContext, data: JobData): Promise<void> {
  const tenant = data.tenant!;
  const reader = data.reader!;
  const mri = { tenant, kind: 'mri' as const, owner: reader };
  // A missing MRI is rebuilt in full on the next read; nothing to add to.
  if (!(await ctx.timelines.exists(mri))) return;
  const recent = await itemsByActor(ctx, tenant, BigInt(data.author!), {
    olderThan: null,
    limit: 50,
    audiences: ['public', 'friends'],
  });
  await ctx.timelines.add(recent.map((item) => ({ timeline: mri, itemId: item.id.toString(), ms: timeOfId(item.id) })));
}

/** Takes a deleted item out of every timeline fan-out put it in (the reverse of fanoutItem). */
export async function unfanoutItem(ctx: OriginContext, data: JobData): Promise<void> {
  const tenant = data.tenant!;
  const itemId = BigInt(data.itemId!);
  const item = (await loadItems(ctx, tenant, [itemId])).get(itemId.toString());
  if (!item) return;
  await removeEverywhere(ctx, tenant, item.actorId, [itemId.toString()]);
}

/** Removes items of one actor from the actor's ORI and MRI, every friend's MRI and the public timeline. */
export async function removeEverywhere(ctx: OriginContext, tenant: string, actor: bigint, itemIds: string[]) {
  if (itemIds.length === 0) return;
  const owners = [actor, ...(await friendIds(ctx, tenant, actor))];
  await ctx.timelines.remove({ tenant, kind: 'ori', owner: actor.toString() }, itemIds);
  await ctx.timelines.remove({ tenant, kind: 'public', owner: '' }, itemIds);
  for (const owner of owners) await ctx.timelines.remove({ tenant, kind: 'mri', owner: owner.toString() }, itemIds);
}
