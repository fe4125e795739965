// Which job runs which handler. One place to see everything the workers do.
import type { OriginContext } from '../context.js';
import { backfillFriend, fanoutItem } from '../streams/fanout.js';

export function startProcessors(ctx: OriginContext): void {
  ctx.queue.process('fanout', (data) => fanoutItem(ctx, data), { concurrency: 16 });
  ctx.queue.process('backfill', (data) => backfillFriend(ctx, data), { concurrency: 4 });
}
