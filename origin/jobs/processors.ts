// Which job runs which handler, and which jobs repeat. One place to see everything the workers do.
import type { OriginContext } from '../context.js';
import { backfillAllFriends, backfillFriend, fanoutItems, fanoutPart, unfanoutItem } from '../streams/fanout.js';
import { rebuildJob } from '../streams/timelines.js';
import { runConsistencyCheck } from './consistency-check.js';
import { maintainPartitions } from './partition-maintenance.js';
import { purgeDeleted } from './purge.js';

export function startProcessors(ctx: OriginContext): void {
  ctx.queue.process('fanout', (data) => fanoutItems(ctx, data), { concurrency: 16 });
  ctx.queue.process('fanout-part', (data) => fanoutPart(ctx, data), { concurrency: 4 });
  ctx.queue.process('rebuild', (data) => rebuildJob(ctx, data), { concurrency: 8 });
  ctx.queue.process('unfanout', (data) => unfanoutItem(ctx, data), { concurrency: 4 });
  ctx.queue.process('backfill', (data) => backfillFriend(ctx, data), { concurrency: 4 });
  ctx.queue.process('backfill-friends', (data) => backfillAllFriends(ctx, data), { concurrency: 2 });
  ctx.queue.process('purge', async () => void (await purgeDeleted(ctx)), { concurrency: 1 });
  ctx.queue.process('consistency-check', async () => void (await runConsistencyCheck(ctx)), { concurrency: 1 });
  ctx.queue.process('partitions', async () => void (await maintainPartitions(ctx)), { concurrency: 1 });
}

/** Repeating maintenance, scheduled once per cluster through the queue. */
export async function scheduleMaintenance(ctx: OriginContext): Promise<void> {
  await ctx.queue.schedule('purge', ctx.config.PURGE_EVERY_MINUTES * 60_000);
  await ctx.queue.schedule('consistency-check', 24 * 3_600_000);
  await ctx.queue.schedule('partitions', 6 * 3_600_000);
}
