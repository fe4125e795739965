// Timelines are derived from Postgres, and these are their durable sources: what a timeline
// holds, read straight from the shards. A reader uses them past a timeline's truncated end (a
// timeline keeps only its newest entries) and instead of a timeline that is missing (never
// built, Redis flushed or replaced, expired after its reader went quiet) while the 'rebuild' job
// loads it. The rebuild first creates the timeline (BUILDING), so fan-out of events committed
// meanwhile lands in it; then the entries loaded from the shards are added and the timeline is
// marked READY. Nothing is lost, and nobody waits for a rebuild.
import type { Audience } from '../../shared/api.js';
import { timeOfId } from '../../shared/ids.js';
import type { OriginContext } from '../context.js';
import { friendIds } from '../graph/friends.js';
import { unavailable } from '../http/problem.js';
import { itemsByActor } from '../items/items.js';
import type { JobData } from '../store/queue/job-queue.js';
import { scatterGather } from '../store/shards/scatter.js';
import {
  type TimelineEntry,
  type TimelineKind,
  type TimelineRef,
  type TimelineState,
  timelineKey,
} from '../store/timelines/timeline-store.js';
import { requireTenant } from '../tenants/tenants.js';
import { entryOf } from './fanout.js';

/** Entries strictly older than `olderThan` (all when null), newest first, at most `want`, from Postgres. */
export type Durable = (olderThan: bigint | null, want: number) => Promise<TimelineEntry[]>;

type Row = { id: bigint | string; verb: string };
const toEntries = (rows: Row[]) => rows.map((r) => entryOf({ id: BigInt(r.id), verb: r.verb }));

/** A member's ORI: every event of theirs (audience is checked when read). */
export function oriSource(ctx: OriginContext, tenantId: string, member: bigint): Durable {
  return async (olderThan, want) =>
    toEntries(
      await itemsByActor(ctx, tenantId, member, {
        olderThan,
        limit: want,
        audiences: ['public', 'friends', 'only_me', 'list'] satisfies Audience[],
      }),
    );
}

/** A reader's MRI: their own events and their pushed (non-celebrity) friends', newest first. */
export function mriSource(ctx: OriginContext, tenantId: string, reader: bigint, pushedFriends: bigint[]): Durable {
  return async (olderThan, want) => {
    const byDb = ctx.cluster.router.group([reader, ...pushedFriends]);
    const perDb = await Promise.all(
      [...byDb].map(([db, authors]) =>
        db.rows<Row>(
          `SELECT id, verb FROM items
           WHERE tenant_id = $1 AND actor_id = ANY($2::bigint[]) AND deleted_at IS NULL
             AND (audience <> 'only_me' OR actor_id = $3::bigint)
             AND ($5::bigint IS NULL OR id < $5::bigint)
           ORDER BY id DESC LIMIT $4`,
          [tenantId, authors.map(String), reader.toString(), want, olderThan?.toString() ?? null],
        ),
      ),
    );
    return newestFirst(perDb.flat(), want);
  };
}

/** Public, hashtag and place timelines: public events from every shard (scatter-gather). */
/**
 * The query behind a shared timeline: $1 tenant, $2 how many, $3 older than (or null), $4 the tag
 * or place. Hashtags and places use their partial indexes (items_public_tags_idx,
 * items_public_place_idx; test/origin/topic-streams.test.ts checks the plans).
 */
export function sharedSourceSql(kind: TimelineKind): string {
  if (kind === 'tag')
    // Materialized: with ORDER BY id and a LIMIT beside the condition, the planner may walk the
    // primary key backwards hoping to meet matches soon, and for a tag nobody used that reads every
    // public item. Apart, it finds the matches by the tag index, then sorts those few.
    return `WITH hits AS MATERIALIZED (
              SELECT id, verb FROM items
              WHERE tenant_id = $1 AND audience = 'public' AND deleted_at IS NULL
                AND ($3::bigint IS NULL OR id < $3::bigint) AND data->'tags' ? $4)
            SELECT id, verb FROM hits ORDER BY id DESC LIMIT $2`;
  const where = kind === 'place' ? `AND data->>'placeSlug' = $4` : '';
  return `SELECT id, verb FROM items
           WHERE tenant_id = $1 AND audience = 'public' AND deleted_at IS NULL
             AND ($3::bigint IS NULL OR id < $3::bigint) ${where}
           ORDER BY id DESC LIMIT $2`;
}

/**
 * A shared timeline's events from every shard. A rebuild needs every shard's answer (a partial
 * one would hide a silent shard's events in the rebuilt timeline until its next loss), so then a
 * missing shard fails the read; a reader (`partialOk`) gets what the other shards have rather
 * than a 503 for everyone: one shard's outage stays mostly its own members' problem.
 */
export function sharedSource(ctx: OriginContext, ref: TimelineRef, opts: { partialOk?: boolean } = {}): Durable {
  const sql = sharedSourceSql(ref.kind);
  return async (olderThan, want) => {
    const result = await scatterGather(
      ctx.cluster.router.physical,
      (shard, limits) =>
        shard.rows<Row>(
          sql,
          ref.kind === 'public'
            ? [ref.tenant, want, olderThan?.toString() ?? null]
            : [ref.tenant, want, olderThan?.toString() ?? null, ref.owner],
          limits,
        ),
      // Not from replicas: a lagging replica could miss an event whose fan-out already ran.
      { timeoutMs: ctx.config.SHARD_TIMEOUT_MS },
    );
    // Nothing at all from a partial answer could be the missing shard's: not "nothing here".
    if (result.partial && (!opts.partialOk || result.rows.length === 0))
      throw unavailable(`the stream is missing shards: ${result.missing.map((m) => m.shard).join(', ')}`);
    return newestFirst(result.rows, want);
  };
}

function newestFirst(rows: Row[], want: number): TimelineEntry[] {
  const sorted = rows.map((r) => ({ r, id: BigInt(r.id) })).sort((a, b) => (a.id > b.id ? -1 : a.id < b.id ? 1 : 0));
  return toEntries(sorted.slice(0, want).map((s) => s.r));
}

/**
 * The durable source of any timeline, as a rebuild loads it. A rebuilt MRI holds every friend's
 * events, celebrities' too: the process rebuilding may not know of the latest celebrity change
 * (its activity bus may have been cut off), and an entry both held and pulled merges into one,
 * while one left out because this process thought its author a celebrity, whom the reader's
 * process does not pull, would be lost (the streams oracle found this after a Redis outage).
 */
export async function durableOf(ctx: OriginContext, ref: TimelineRef): Promise<Durable> {
  if (ref.kind === 'ori') return oriSource(ctx, ref.tenant, BigInt(ref.owner));
  if (ref.kind === 'mri') {
    const reader = BigInt(ref.owner);
    return mriSource(ctx, ref.tenant, reader, await friendIds(ctx, ref.tenant, reader));
  }
  return sharedSource(ctx, ref);
}

/**
 * Queues the rebuild of a timeline that is not ready (one pending job per timeline, however many
 * readers ask); the reader uses the durable source meanwhile.
 */
export async function requestRebuild(ctx: OriginContext, ref: TimelineRef, state: TimelineState): Promise<void> {
  // Without Redis there is nothing to rebuild into: the reader is served from Postgres, and the
  // next read after Redis returns asks again.
  await ctx.redisHealth.call(
    'rebuild-request',
    async () => {
      if (state === 'missing') await ctx.timelines.beginRebuild(ref);
      // A BUILDING timeline whose rebuild died with its process is queued again by its next reader.
      await ctx.queue.add(
        'rebuild',
        { tenant: ref.tenant, kind: ref.kind, owner: ref.owner },
        { dedupeKey: `rebuild-${timelineKey(ref)}` },
      );
    },
    () => undefined,
  );
}

/** The 'rebuild' job. */
export async function rebuildJob(ctx: OriginContext, data: JobData): Promise<void> {
  const tenant = await requireTenant(ctx, data.tenant!);
  await rebuildTimeline(ctx, { tenant: tenant.id, kind: data.kind as TimelineKind, owner: data.owner ?? '' });
}

/** Loads a timeline from its durable source unless it is ready (jobs, tools and benchmarks). */
export async function rebuildTimeline(ctx: OriginContext, ref: TimelineRef): Promise<void> {
  if ((await ctx.timelines.state(ref)) === 'ready') return;
  await ctx.timelines.beginRebuild(ref);
  const entries = await (await durableOf(ctx, ref))(null, ctx.config.TIMELINE_MAX_LENGTH);
  ctx.metrics.timelineRebuilds.inc({ kind: ref.kind });
  await ctx.timelines.completeRebuild(
    ref,
    entries.map((entry) => ({ entry, ms: timeOfId(BigInt(entry.id)) })),
  );
}
