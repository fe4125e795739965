// Rebuilds this process's activity index from the shards: each member's newest item, and the
// members above their tenant's celebrity limit. Runs on start, before requests are served.

import type { Tenant } from '../../shared/api.js';
import { timeOfId } from '../../shared/ids.js';
import type { OriginContext } from '../context.js';
import { queueDurably } from '../jobs/queue-durably.js';
import { celebrityLimits } from '../tenants/tenants.js';

export async function rebuildActivityIndex(ctx: OriginContext): Promise<{ members: number; celebrities: number }> {
  const limits = await celebrityLimits(ctx);
  const lowest = Math.min(ctx.config.CELEBRITY_LIMIT, ...limits.values());
  let members = 0;
  let celebrities = 0;
  for (const db of ctx.cluster.router.physical) {
    try {
      const newest = await db.rows<{ actor_id: string; last: string }>(
        'SELECT actor_id::text, max(id)::text AS last FROM items WHERE deleted_at IS NULL GROUP BY actor_id',
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
        if (r.friend_count > (limits.get(r.tenant_id) ?? ctx.config.CELEBRITY_LIMIT)) {
          ctx.activity.apply({ kind: 'celebrity', tenant: r.tenant_id, member: r.id, on: true });
          celebrities++;
        }
      }
    } catch (err) {
      // A shard that is down at start: its members are treated as quiet non-celebrities until
      // they post (their pushes still work when the shard returns).
      ctx.log.error({ err, shard: db.name }, 'activity index: shard unavailable');
    }
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
