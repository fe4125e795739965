// Fan-out on write. Events committed on their actors' shards (each with its outbox record) arrive
// here through the queue, a batch of them per job (the outbox relay groups them: one job, one
// query for items and friends per database for up to FANOUT_JOB_EVENTS events, instead of
// one each per event). Each event goes into the actor's ORI and MRI, into the public, hashtag and
// place timelines when public, and, unless the actor has more friends than the tenant's
// celebrity limit, into every eligible friend's MRI. Celebrities' events are pulled by readers
// instead (streams/home.ts). An event with more recipients than PART_RECIPIENTS (a tenant may
// raise its limit) is pushed by part jobs of its own, so one author with 100,000 friends is many
// short jobs interleaved with everyone else's, not one long one.
// Jobs run at least once; timeline inserts and notifications are idempotent.
import type { EventType } from '../../shared/events.js';
import { timeOfId } from '../../shared/ids.js';
import type { OriginContext } from '../context.js';
import { friendIds, friendIdsInRange } from '../graph/friends.js';
import { type ItemRow, itemsByActor, loadItems, loadItemsWithFriends } from '../items/items.js';
import { notify, withdraw } from '../notifications/notifications.js';
import type { JobData } from '../store/queue/job-queue.js';
import { mriListOf, splitMriList } from '../store/timelines/mri-list.js';
import type { TimelineEntry, TimelineRef, TimelineWrite } from '../store/timelines/timeline-store.js';
import { requireTenant } from '../tenants/tenants.js';
import { requestRebuild } from './timelines.js';

/** Events per fan-out job (outbox-relay.ts groups them). */
export const FANOUT_JOB_EVENTS = 32;
/** An event with more recipients than this is pushed by part jobs of this many recipients each. */
export const PART_RECIPIENTS = 10_000;

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

/** The item ids of a fan-out job: `itemIds` (comma-separated, from the relay) or one `itemId`. */
export function itemIdsOf(data: JobData): bigint[] {
  const list = data.itemIds ? data.itemIds.split(',') : data.itemId ? [data.itemId] : [];
  return list.map((id) => BigInt(id));
}

export async function fanoutItems(ctx: OriginContext, data: JobData): Promise<void> {
  const tenant = await requireTenant(ctx, data.tenant!);
  const found = await loadItemsWithFriends(ctx, tenant.id, itemIdsOf(data));
  const live = [...found.values()].filter(({ item }) => !item.deletedAt);
  if (live.length === 0) return;
  const writes: TimelineWrite[] = [];
  const parts: { item: ItemRow; friends: string[] }[] = [];
  for (const { item, friendIds, friendCount } of live) {
    const entry = entryOf(item);
    const ms = timeOfId(item.id);
    const actor = item.actorId.toString();
    const own: TimelineRef[] = [
      { tenant: tenant.id, kind: 'ori', owner: actor },
      { tenant: tenant.id, kind: 'mri', owner: actor },
    ];
    if (item.audience === 'public') own.push(...sharedTimelinesOf(tenant.id, item));
    const write: TimelineWrite = { entry, ms, timelines: own };
    if (pushed(ctx, tenant.celebrityLimit, item, friendCount)) {
      if (friendCount > PART_RECIPIENTS) parts.push({ item, friends: friendIds.split(',') });
      // The friends' MRIs, named by the list as Postgres gave it (mri-list.ts).
      else write.mris = { tenant: tenant.id, owners: friendIds, count: friendCount };
    }
    writes.push(write);
  }
  await addInBatches(ctx, writes);
  await createTopicTimelines(ctx, tenant.id, live);
  for (const { item, friends } of parts) await queueParts(ctx, tenant.id, item, friends);
  // (The activity index learnt of each post when it was written: items.ts insertItem.)
  for (const { item } of live) await notifyAbout(ctx, tenant.id, item);
  // A new friendship brings each friend's recent posts into the other's home stream.
  for (const { item } of live)
    if (item.verb === 'friendship' && item.targetId !== null) {
      await pushRecent(ctx, tenant.id, item.targetId, [item.actorId.toString()]);
      await pushRecent(ctx, tenant.id, item.actorId, [item.targetId.toString()]);
    }
}

/**
 * Hashtag and place timelines exist only for topics that have public items (readers of others
 * get their "nothing here" from Postgres: streams/page.ts). The first public item of a topic
 * starts its timeline: a rebuild from Postgres, which holds the item already.
 */
async function createTopicTimelines(ctx: OriginContext, tenant: string, live: { item: ItemRow }[]): Promise<void> {
  const topics = new Map<string, TimelineRef>();
  for (const { item } of live)
    if (item.audience === 'public')
      for (const ref of sharedTimelinesOf(tenant, item))
        if (ref.kind !== 'public') topics.set(`${ref.kind}:${ref.owner}`, ref);
  for (const ref of topics.values()) {
    const state = await ctx.timelines.state(ref);
    if (state === 'missing') await requestRebuild(ctx, ref, state);
  }
}

/** One part of a very large fan-out: the friends with ids in [from, to]. */
export async function fanoutPart(ctx: OriginContext, data: JobData): Promise<void> {
  const tenant = data.tenant!;
  const itemId = BigInt(data.itemId!);
  const item = (await loadItems(ctx, tenant, [itemId])).get(itemId.toString());
  if (!item || item.deletedAt) return;
  const friends = await friendIdsInRange(ctx, tenant, item.actorId, data.from!, data.to!);
  const entry = entryOf(item);
  const ms = timeOfId(item.id);
  await addInBatches(ctx, [{ entry, ms, timelines: [], mris: mriListOf(tenant, friends) }]);
}

async function queueParts(ctx: OriginContext, tenant: string, item: ItemRow, friends: string[]): Promise<void> {
  const sorted = [...friends].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
  const jobs = [];
  for (let i = 0; i < sorted.length; i += PART_RECIPIENTS) {
    const from = sorted[i]!;
    const to = sorted[Math.min(i + PART_RECIPIENTS, sorted.length) - 1]!;
    jobs.push({
      name: 'fanout-part',
      data: { tenant, itemId: item.id.toString(), from, to },
      opts: { jobId: `fanout-part-${tenant}-${item.id}-${from}` },
    });
  }
  await ctx.queue.addBulk(jobs);
}

/**
 * Timeline writes in calls of about FANOUT_BATCH timelines, so one call never holds Redis long.
 * Writes that share a timelines array (a backfill's entries for one list of readers) share its
 * chunks too, so the store sends each chunk's keys once with all their entries. A write's MRI
 * list is split likewise when it is longer than a batch.
 */
async function addInBatches(ctx: OriginContext, writes: TimelineWrite[]): Promise<void> {
  const batch = ctx.config.FANOUT_BATCH;
  const chunks = new Map<TimelineRef[], TimelineRef[][]>();
  const chunksOf = (list: TimelineRef[]) => {
    let found = chunks.get(list);
    if (!found) {
      found = [];
      if (list.length <= batch) found.push(list);
      else for (let i = 0; i < list.length; i += batch) found.push(list.slice(i, i + batch));
      chunks.set(list, found);
    }
    return found;
  };
  let landed = 0;
  let pending: TimelineWrite[] = [];
  let size = 0;
  const flush = async () => {
    if (pending.length > 0) landed += await ctx.timelines.add(pending);
    pending = [];
    size = 0;
  };
  const queue = async (w: TimelineWrite, n: number) => {
    if (size + n > batch) await flush();
    pending.push(w);
    size += n;
  };
  for (const w of writes) {
    for (const timelines of chunksOf(w.timelines))
      if (timelines.length > 0) await queue({ entry: w.entry, ms: w.ms, timelines }, timelines.length);
    if (w.mris)
      for (const mris of splitMriList(w.mris, batch))
        await queue({ entry: w.entry, ms: w.ms, timelines: [], mris }, mris.count);
  }
  await flush();
  ctx.metrics.timelineInserts.inc(landed);
}

/**
 * Whether the actor's friends get an item pushed into their MRIs: not for private items, and
 * not for celebrities, whose events readers pull. Pushing to a reader who also pulls is harmless
 * (entries merge by id); skipping a reader who does not pull loses the entry. So the push is
 * skipped only when both the activity index (what readers consult, kept in step across
 * processes by the bus) and the friend count against the tenant's limit (which a process may
 * have cached from before a change) say "celebrity". List items go to every friend: list
 * membership is checked when read, so a member added to the list later sees them too (as after
 * a rebuild).
 */
function pushed(ctx: OriginContext, limit: number, item: ItemRow, friendCount: number): boolean {
  if (item.audience === 'only_me' || friendCount === 0) return false;
  return !(ctx.activity.isCelebrity(item.tenantId, item.actorId) && friendCount > limit);
}

/** Likes and comments notify the owner of the item; e-cards and greetings their recipient. Idempotent by id. */
async function notifyAbout(ctx: OriginContext, tenantId: string, item: ItemRow): Promise<void> {
  const notice = await noticeOf(ctx, tenantId, item);
  if (notice)
    await notify(ctx, tenantId, notice.recipient, notice.kind, item.actorId, { id: item.id, itemId: notice.itemId });
}

/** Who an event notifies, if anyone (the notification has the event's own id). */
async function noticeOf(ctx: OriginContext, tenantId: string, item: ItemRow) {
  if ((item.verb === 'ecard' || item.verb === 'birthday') && item.targetId !== null)
    return { recipient: item.targetId, kind: 'ecard' as const, itemId: item.id };
  if ((item.verb !== 'like' && item.verb !== 'comment') || item.objectId === null) return null;
  const object = (await loadItems(ctx, tenantId, [item.objectId])).get(item.objectId.toString());
  if (!object || object.actorId === item.actorId) return null;
  return { recipient: object.actorId, kind: item.verb as 'like' | 'comment', itemId: object.id };
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
  const timelines: TimelineRef[] = readers.map((owner) => ({ tenant, kind: 'mri', owner }));
  await addInBatches(
    ctx,
    recent.map((item) => ({ entry: entryOf(item), ms: timeOfId(item.id), timelines })),
  );
}

/** Takes a deleted item out of every timeline fan-out put it in (the reverse of fanoutItems). */
export async function unfanoutItem(ctx: OriginContext, data: JobData): Promise<void> {
  const tenant = data.tenant!;
  const itemId = BigInt(data.itemId!);
  const item = (await loadItems(ctx, tenant, [itemId])).get(itemId.toString());
  // Restored meanwhile: the restore's fan-out may already have run (they are different queues).
  if (!item?.deletedAt) return;
  await removeEverywhere(ctx, tenant, item.actorId, [item]);
  const notice = await noticeOf(ctx, tenant, item);
  if (notice) await withdraw(ctx, tenant, notice.recipient, item.id);
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
  const refs: TimelineRef[] = [{ tenant, kind: 'ori', owner: actor.toString() }];
  const shared = new Map<string, TimelineRef>();
  for (const item of items)
    for (const ref of sharedTimelinesOf(tenant, item)) shared.set(`${ref.kind}:${ref.owner}`, ref);
  refs.push(...shared.values());
  for (const owner of [actor, ...(await friendIds(ctx, tenant, actor))])
    refs.push({ tenant, kind: 'mri', owner: owner.toString() });
  // In calls of FANOUT_BATCH timelines, one after the other, as fan-out adds them.
  const batch = ctx.config.FANOUT_BATCH;
  for (let i = 0; i < refs.length; i += batch) await ctx.timelines.remove(refs.slice(i, i + batch), entries);
}
