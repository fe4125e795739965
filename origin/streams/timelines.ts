// Making sure a timeline is there before it is read: a missing one (never built, Redis flushed
// or replaced, expired after its reader went quiet) is rebuilt from Postgres. The rebuild first
// creates the timeline, so fan-out of events committed meanwhile lands in it; then the entries
// loaded from the shards are added and the timeline is marked complete. Nothing is lost.
import type { Audience, Tenant } from '../../shared/api.js';
import { timeOfId } from '../../shared/ids.js';
import type { OriginContext } from '../context.js';
import { unavailable } from '../http/problem.js';
import { itemsByActor } from '../items/items.js';
import { scatterGather } from '../store/shards/scatter.js';
import type { TimelineRef } from '../store/timelines/timeline-store.js';
import { entryOf } from './fanout.js';

type Row = { id: bigint | string; verb: string };

export async function ensureTimeline(ctx: OriginContext, ref: TimelineRef, load: () => Promise<Row[]>): Promise<void> {
  if ((await ctx.timelines.state(ref)) === 'ready') return;
  await ctx.timelines.beginRebuild(ref);
  const rows = await load();
  ctx.metrics.timelineRebuilds.inc({ kind: ref.kind });
  await ctx.timelines.completeRebuild(
    ref,
    rows.map((r) => {
      const id = BigInt(r.id);
      return { entry: entryOf({ id, verb: r.verb }), ms: timeOfId(id) };
    }),
  );
}

/** A member's ORI: every event of theirs (audience is checked when read). */
export function ensureOri(ctx: OriginContext, tenantId: string, member: bigint): Promise<void> {
  return ensureTimeline(ctx, { tenant: tenantId, kind: 'ori', owner: member.toString() }, () =>
    itemsByActor(ctx, tenantId, member, {
      olderThan: null,
      limit: ctx.config.TIMELINE_MAX_LENGTH,
      audiences: ['public', 'friends', 'only_me', 'list'] satisfies Audience[],
    }),
  );
}

/** A reader's MRI: their own events and their pushed (non-celebrity) friends', newest first. */
export function ensureMri(ctx: OriginContext, tenant: Tenant, reader: bigint, pushedFriends: bigint[]): Promise<void> {
  return ensureTimeline(ctx, { tenant: tenant.id, kind: 'mri', owner: reader.toString() }, async () => {
    const byDb = new Map<ReturnType<typeof ctx.cluster.router.forMember>, string[]>();
    for (const author of [reader, ...pushedFriends]) {
      const db = ctx.cluster.router.forMember(author);
      byDb.set(db, [...(byDb.get(db) ?? []), author.toString()]);
    }
    const perDb = await Promise.all(
      [...byDb].map(([db, authors]) =>
        db.rows<Row>(
          `SELECT id, verb FROM items
           WHERE tenant_id = $1 AND actor_id = ANY($2::bigint[]) AND deleted_at IS NULL
             AND (audience <> 'only_me' OR actor_id = $3::bigint)
           ORDER BY id DESC LIMIT $4`,
          [tenant.id, authors, reader.toString(), ctx.config.TIMELINE_MAX_LENGTH],
        ),
      ),
    );
    return perDb.flat();
  });
}

/** Public, hashtag and place timelines: public events from every shard (scatter-gather). */
export function ensureShared(ctx: OriginContext, ref: TimelineRef): Promise<void> {
  const where =
    ref.kind === 'tag' ? `AND data->'tags' ? $3` : ref.kind === 'place' ? `AND data->>'placeSlug' = $3` : '';
  return ensureTimeline(ctx, ref, async () => {
    const result = await scatterGather(
      ctx.cluster.router.physical,
      (shard) =>
        shard.rows<Row>(
          `SELECT id, verb FROM items
           WHERE tenant_id = $1 AND audience = 'public' AND deleted_at IS NULL ${where}
           ORDER BY id DESC LIMIT $2`,
          ref.kind === 'public'
            ? [ref.tenant, ctx.config.TIMELINE_MAX_LENGTH]
            : [ref.tenant, ctx.config.TIMELINE_MAX_LENGTH, ref.owner],
        ),
      // Not from replicas: a lagging replica could miss an event whose fan-out already ran.
      { timeoutMs: ctx.config.SHARD_TIMEOUT_MS },
    );
    // A partial rebuild would hide a silent shard's events until the next loss: fail, so the
    // timeline stays incomplete (BUILDING) and the next read tries again.
    if (result.partial)
      throw unavailable(`the stream is missing shards: ${result.missing.map((m) => m.shard).join(', ')}`);
    return result.rows;
  });
}
