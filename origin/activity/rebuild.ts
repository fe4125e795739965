// Rebuilds this process's activity index from the shards: each member's newest item, and the
// members above their tenant's celebrity limit. Runs on start, before requests are served, and
// again whenever the activity bus comes back after being cut off (a Redis restart): the news
// published meanwhile never arrived, and a reader who does not know a friend became a celebrity
// would neither get their posts pushed nor pull them.

import type { Tenant } from '../../shared/api.js';
import { composeId, timeOfId } from '../../shared/ids.js';
import type { OriginContext } from '../context.js';
import { queueDurably } from '../jobs/queue-durably.js';
import { celebrityLimits } from '../tenants/tenants.js';

/**
 * With `sinceMs`, only items from then on are read (a catch-up after an outage, through the
 * items' primary key); the celebrity sets are then replaced by what the shards say, unless a
 * shard did not answer (its members' changes would be lost: the sets only grow then).
 */
export async function rebuildActivityIndex(
  ctx: OriginContext,
  sinceMs?: number,
): Promise<{ members: number; celebrities: number }> {
  const limits = await celebrityLimits(ctx);
  const lowest = Math.min(ctx.config.CELEBRITY_LIMIT, ...limits.values());
  const since = sinceMs === undefined ? null : composeId(Math.max(sinceMs, 0), 0, 0, 0).toString();
  let members = 0;
  const above = new Map<string, Set<string>>([...limits.keys()].map((t) => [t, new Set<string>()]));
  let complete = true;
  for (const db of ctx.cluster.router.physical) {
    try {
      const newest = await db.rows<{ actor_id: string; last: string }>(
        `SELECT actor_id::text, max(id)::text AS last FROM items
         WHERE deleted_at IS NULL AND ($1::bigint IS NULL OR id >= $1::bigint) GROUP BY actor_id`,
        [since],
      );
      for (const r of newest) {
        ctx.activity.apply({ kind: 'posted', member: r.actor_id, ms: timeOfId(BigInt(r.last)) });
        members++;
      }
      const big = await db.rows<{ tenant_id: string; id: string; friend_count: number }>(
        'SELECT tenant_id, id::text, friend_count FROM members WHERE friend_count > $1 AND deleted_at IS NULL',
        [lowest],
      );
      for (const r of big) {
        if (r.friend_count <= (limits.get(r.tenant_id) ?? ctx.config.CELEBRITY_LIMIT)) continue;
        if (!above.has(r.tenant_id)) above.set(r.tenant_id, new Set());
        above.get(r.tenant_id)!.add(r.id);
      }
    } catch (err) {
      // A shard that is down: its members are treated as quiet non-celebrities until they post
      // (their pushes still work when the shard returns).
      complete = false;
      ctx.log.error({ err, shard: db.name }, 'activity index: shard unavailable');
    }
  }
  let celebrities = 0;
  for (const [tenant, set] of above) {
    celebrities += set.size;
    if (complete) ctx.activity.resetCelebrities(tenant, set);
    else for (const member of set) ctx.activity.apply({ kind: 'celebrity', tenant, member, on: true });
  }
  return { members, celebrities };
}

/**
 * After a tenant's limit changed: works out who is above it now, announces the changes, and
 * pushes the recent events of members who fell below it to their friends (readers stop pulling).
 */
export async function recomputeCelebrities(ctx: OriginContext, tenant: Tenant): Promise<{ on: number; off: number }> {
  const above = new Set<string>();
  for (const db of ctx.cluster.router.physical) {
    const rows = await db.rows<{ id: string }>(
      'SELECT id::text FROM members WHERE tenant_id = $1 AND friend_count > $2 AND deleted_at IS NULL',
      [tenant.id, tenant.celebrityLimit],
    );
    for (const r of rows) above.add(r.id);
  }
  let on = 0;
  let off = 0;
  for (const id of ctx.activity.celebritiesOf(tenant.id)) {
    if (above.has(id)) continue;
    await ctx.activity.setCelebrity(tenant.id, BigInt(id), false);
    await queueDurably(ctx, tenant.id, BigInt(id), 'backfill-friends', { author: id });
    off++;
  }
  for (const id of above) {
    if (ctx.activity.isCelebrity(tenant.id, BigInt(id))) continue;
    await ctx.activity.setCelebrity(tenant.id, BigInt(id), true);
    on++;
  }
  return { on, off };
}
