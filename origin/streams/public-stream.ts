// The tenant's public stream (front page): public items of every member, newest first. Backed by
// one timeline per tenant; rebuilt from every shard (scatter-gather) when it is missing.
import { and, desc, eq, isNull } from 'drizzle-orm';
import type { StreamPage, Tenant } from '../../shared/api.js';
import { timeOfId } from '../../shared/ids.js';
import type { OriginContext } from '../context.js';
import { unavailable } from '../http/problem.js';
import type { ItemRow } from '../items/items.js';
import { scatterGather } from '../store/shards/scatter.js';
import { items } from '../store/shards/schema-shard.js';
import type { TimelineRef } from '../store/timelines/timeline-store.js';
import { decodeCursor } from './cursor.js';
import { fillPage } from './home.js';

export async function readPublic(
  ctx: OriginContext,
  tenant: Tenant,
  cursor: string | undefined,
  limit: number,
): Promise<StreamPage> {
  const olderThan = decodeCursor(tenant.id, cursor);
  const timeline: TimelineRef = { tenant: tenant.id, kind: 'public', owner: '' };
  if (!(await ctx.timelines.exists(timeline))) await rebuildPublic(ctx, tenant.id, timeline);
  const visible = (item: ItemRow | undefined): item is ItemRow =>
    !!item && !item.deletedAt && item.audience === 'public';
  return fillPage(ctx, tenant.id, timeline, olderThan, limit, visible);
}

async function rebuildPublic(ctx: OriginContext, tenantId: string, timeline: TimelineRef): Promise<void> {
  const result = await scatterGather(
    ctx.cluster.router.physical,
    (shard) =>
      shard.db
        .select({ id: items.id })
        .from(items)
        .where(and(eq(items.tenantId, tenantId), eq(items.audience, 'public'), isNull(items.deletedAt)))
        .orderBy(desc(items.id))
        .limit(ctx.config.TIMELINE_MAX_LENGTH),
    { timeoutMs: ctx.config.SHARD_TIMEOUT_MS, stale: true },
  );
  // A partial rebuild would hide a silent shard's posts until the next loss: leave the timeline
  // missing so the next read tries again, and serve what we have.
  if (result.partial)
    throw unavailable(`the public stream is missing shards: ${result.missing.map((m) => m.shard).join(', ')}`);
  await ctx.timelines.add(result.rows.map((r) => ({ timeline, itemId: r.id.toString(), ms: timeOfId(r.id) })));
}
