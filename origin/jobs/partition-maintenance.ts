// Keeps time partitions ahead of the clock and drops expired ones, on every shard database.
import type { OriginContext } from '../context.js';
import { dropExpiredPartitions, ensurePartitions } from '../store/shards/partitions.js';

export async function maintainPartitions(ctx: OriginContext, now = Date.now()) {
  const created: string[] = [];
  const dropped: string[] = [];
  for (const db of ctx.cluster.router.physical) {
    created.push(...(await ensurePartitions(db, { now })).map((p) => `${db.name}.${p}`));
    const expired = await dropExpiredPartitions(
      db,
      { outbox: ctx.config.OUTBOX_RETENTION_DAYS, notifications: ctx.config.NOTIFICATION_RETENTION_DAYS },
      now,
    );
    dropped.push(...expired.map((p) => `${db.name}.${p}`));
  }
  if (created.length || dropped.length) ctx.log.info({ created, dropped }, 'partitions maintained');
  return { created, dropped };
}
