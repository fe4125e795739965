// Which job runs which handler, and which jobs repeat. One place to see everything the workers do.
import { timeOfId } from '../../shared/ids.js';
import type { OriginContext } from '../context.js';
import type { JobHandler } from '../store/queue/job-queue.js';
import {
  backfillAllFriends,
  backfillFriend,
  fanoutItems,
  fanoutPart,
  itemIdsOf,
  unfanoutItem,
} from '../streams/fanout.js';
import { rebuildJob } from '../streams/timelines.js';
import { runConsistencyCheck } from './consistency-check.js';
import { maintainPartitions } from './partition-maintenance.js';
import { purgeDeleted } from './purge.js';
import { reconcileTimelines } from './reconcile.js';

export function startProcessors(ctx: OriginContext): void {
  // Every job that carries outbox records reports back when done (jobs/outbox-acks.ts).
  const run = (name: string, handler: JobHandler, concurrency: number) =>
    ctx.queue.process(
      name,
      async (data) => {
        await handler(data);
        ctx.outboxAcks.done(data);
      },
      { concurrency },
    );
  run(
    'fanout',
    async (data) => {
      await fanoutItems(ctx, data);
      const now = Date.now();
      for (const id of itemIdsOf(data)) ctx.metrics.fanoutLag.observe((now - timeOfId(id)) / 1000);
    },
    16,
  );
  run('fanout-part', (data) => fanoutPart(ctx, data), 4);
  run('rebuild', (data) => rebuildJob(ctx, data), 8);
  run('unfanout', (data) => unfanoutItem(ctx, data), 4);
  run('backfill', (data) => backfillFriend(ctx, data), 4);
  run('backfill-friends', (data) => backfillAllFriends(ctx, data), 2);
  run('purge', async () => void (await purgeDeleted(ctx)), 1);
  run('consistency-check', async () => void (await runConsistencyCheck(ctx)), 1);
  run('partitions', async () => void (await maintainPartitions(ctx)), 1);
  run('reconcile', async () => void (await reconcileTimelines(ctx)), 1);
}

/** Repeating maintenance, scheduled once per cluster through the queue. */
export async function scheduleMaintenance(ctx: OriginContext): Promise<void> {
  await ctx.queue.schedule('purge', ctx.config.PURGE_EVERY_MINUTES * 60_000);
  await ctx.queue.schedule('consistency-check', 24 * 3_600_000);
  await ctx.queue.schedule('partitions', 6 * 3_600_000);
  await ctx.queue.schedule('reconcile', 5 * 60_000);
}
