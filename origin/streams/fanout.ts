// Fan-out on write. An event committed on its actor's shard (with its outbox record) lands here
// through the queue: it always goes into the actor's ORI and MRI, into the public, hashtag and
// place timelines when public, and, unless the actor has more friends than the tenant's
// celebrity limit, into every eligible friend's MRI. Celebrities' events are pulled by readers
// instead (streams/home.ts), so one author with 100,000 friends never floods the queue.
// Jobs run at least once; timeline inserts and notifications are idempotent.
import type { EventType } from '../../shared/events.js';
import { timeOfId } from '../../shared/ids.js';
import type { OriginContext } from '../context.js';
import { friendCount, friendIds } from '../graph/friends.js';
import { type ItemRow, itemsByActor, loadItems } from '../items/items.js';
import { notify } from '../notifications/notifications.js';
import type { JobData } from '../store/queue/job-queue.js';
import type { TimelineEntry, TimelineRef, TimelineWrite } from '../store/timelines/timeline-store.js';
import { requireTenant } from '../tenants/tenants.js';

export const entryOf = (item: Pick<ItemRow, 'id' | 'verb'>): TimelineEntry => ({
  id: item.id.toString(),
  type: item.verb as EventType,
});

/** The shared timelines (public, hashtags, place) a public item belongs to. */
export function sharedTimelinesOf(tenant: string, item: Pick<ItemRow, 'data'>): TimelineRef[] {
  const refs: TimelineRef[] = [{ tenant, kind: 'public', owner: '' }];
  for (const tag of (item.data.tags as string[] | undefined) ?? []) refs.push({ tenant, kind: 'tag', owner: tag });
  if (typeof item.data.placeSlug === 'string' && item.data.placeSlug)
    refs.push({ tenant, kind: 'place', owner: item.data.placeSlug });
  return refs;
}

export async function fanoutItem(ctx: OriginContext, data: JobData): Promise<void> {
  const tenant = await requireTenant(ctx, data.tenant!);
  const itemId = BigInt(data.itemId!);
  const item = (await loadItems(ctx, tenant.id, [itemId])).get(itemId.toString());
  if (!item || item.deletedAt) return;
  const ms = timeOfId(itemId);
  const entry = entryOf(item);
  const actor = item.actorId.toString();
  const refs: TimelineRef[] = [
    { tenant: tenant.id, kind: 'ori', owner: actor },
    { tenant: tenant.id, kind: 'mri', owner: actor },
  ];
  if (item.audience === 'public') refs.push(...sharedTimelinesOf(tenant.id, item));
  for (const reader of await pushRecipients(ctx, tenant.celebrityLimit, item))
    refs.push({ tenant: tenant.id, kind: 'mri', owner: reader });
  // Batches bound one script call, so a member with many friends does not hold Redis.
  const batch = ctx.config.FANOUT_BATCH;
  let landed = 0;
  for (let i = 0; i < refs.length; i += batch) {
    const writes: TimelineWrite[] = refs.slice(i, i + batch).map((timeline) => ({ timeline, entry, ms }));
    landed += await ctx.timelines.add(writes);
  }
  ctx.metrics.timelineInserts.inc(landed);
  // (The activity index learnt of the post when it was written: items.ts insertItem.)
  await notifyAbout(ctx, tenant.id, item);
}

/**
 * Friends whose MRI gets the item pushed: none for private items, and none for celebrities, whose
 * events readers pull. Pushing to a reader who also pulls is harmless (entries merge by id);
 * skipping a reader who does not pull loses the entry. So the push is skipped only when both the
 * activity index (what readers consult, kept in step across processes by the bus) and the
 * friend count against the tenant's limit (which a process may have cached from before a change)
 * say "celebrity". List items go to every friend: list membership is checked when read, so a
 * member added to the list later sees them too (as after a rebuild).
 */
async function pushRecipients(ctx: OriginContext, limit: number, item: ItemRow): Promise<string[]> {
  if (item.audience === 'only_me') return [];
  if (
    ctx.activity.isCelebrity(item.tenantId, item.actorId) &&
    (await friendCount(ctx, item.tenantId, item.actorId)) > limit
  )
    return [];
  return (await friendIds(ctx, item.tenantId, item.actorId)).map(String);
}

/** Likes and comments notify the owner of the item; e-cards and greetings their recipient. Idempotent by id. */
async function notifyAbout(ctx: OriginContext, tenantId: string, item: ItemRow): Promise<void> {
  if ((item.verb === 'ecard' || item.verb === 'birthday') && item.targetId !== null) {
    await notify(ctx, tenantId, item.targetId, 'ecard', item.actorId, { id: item.id, itemId: item.id });
    return;
  }
  if ((item.verb !== 'like' && item.verb !== 'comment') || item.objectId === null) return;
  const object = (await loadItems(ctx, tenantId, [item.objectId])).get(item.objectId.toString());
  if (!object || object.actorId === item.actorId) return;
  await notify(ctx, tenantId, object.actorId, item.verb, item.actorId, { id: item.id, itemId: object.id });
}

/** After a new friendship: copy the author's recent items into the reader's home stream. */
export async function backfillFriend(ctx: OriginContext, data: JobData): Promise<void> {
  await pushRecent(ctx, data.tenant!, BigInt(data.author!), [data.reader!]);
}

/** A celebrity fell back under the limit: readers stop pulling, so push recent items to all friends. */
export async function backfillAllFriends(ctx: OriginContext, data: JobData): Promise<void> {
  const author = BigInt(data.author!);
  const friends = await friendIds(ctx, data.tenant!, author);
  await pushRecent(ctx, data.tenant!, author, friends.map(String));
}

async function pushRecent(ctx: OriginContext, tenant: string, author: bigint, readers: string[]): Promise<void> {
  // List items go to every reader here; the read rules hide them from readers not on the list.
  const recent = await itemsByActor(ctx, tenant, author, {
    olderThan: null,
    limit: 50,
    audiences: ['public', 'friends', 'list'],
  });
  const batch = ctx.config.FANOUT_BATCH;
  for (let i = 0; i < readers.length; i += batch) {
    const writes: TimelineWrite[] = [];
    for (const reader of readers.slice(i, i + batch)) {
      const timeline: TimelineRef = { tenant, kind: 'mri', owner: reader };
      for (const item of recent) writes.push({ timeline, entry: entryOf(item), ms: timeOfId(item.id) });
    }
    await ctx.timelines.add(writes);
  }
}

/** Takes a deleted item out of every timeline fan-out put it in (the reverse of fanoutItem). */
export async function unfanoutItem(ctx: OriginContext, data: JobData): Promise<void> {
  const tenant = data.tenant!;
  const itemId = BigInt(data.itemId!);
  const item = (await loadItems(ctx, tenant, [itemId])).get(itemId.toString());
  // Restored meanwhile: the restore's fan-out may already have run (they are different queues).
  if (!item?.deletedAt) return;
  await removeEverywhere(ctx, tenant, item.actorId, [item]);
}

/** Removes items of one actor from the actor's ORI and MRI, every friend's MRI and the shared timelines. */
export async function removeEverywhere(
  ctx: OriginContext,
  tenant: string,
  actor: bigint,
  items: Pick<ItemRow, 'id' | 'verb' | 'data'>[],
) {
  if (items.length === 0) return;
  const entries = items.map(entryOf);
  const owners = [actor, ...(await friendIds(ctx, tenant, actor))];
  await ctx.timelines.remove({ tenant, kind: 'ori', owner: actor.toString() }, entries);
  for (const item of items) {
    for (const ref of sharedTimelinesOf(tenant, item)) await ctx.timelines.remove(ref, [entryOf(item)]);
  }
  await Promise.all(
    owners.map((owner) => ctx.timelines.remove({ tenant, kind: 'mri', owner: owner.toString() }, entries)),
  );
}
