// Reading a page of any timeline-backed stream: skeleton (entries from timelines, filtered by
// type before anything is loaded) -> hydrate (items, the items they are about, friend lists) ->
// rules (privacy now, mutes, deletions) -> aggregate -> present. Pages are filled after
// filtering: more skeleton is read until `limit` entries survive or the stream ends. The cursor
// is the id of the last entry consumed, so it stays valid while new entries arrive on top.
import type { StreamEntry, StreamPage } from '../../shared/api.js';
import type { EventType } from '../../shared/events.js';
import { composeId, timeOfId } from '../../shared/ids.js';
import type { OriginContext } from '../context.js';
import { hydrateItems, type ItemRow } from '../items/items.js';
import { hydrateMembers } from '../members/members.js';
import { processCache } from '../process-cache.js';
import {
  type TimelineEntry,
  type TimelinePage,
  type TimelineRef,
  timelineKey,
} from '../store/timelines/timeline-store.js';
import { aggregate } from './aggregate.js';
import { encodeCursor } from './cursor.js';
import { presentEntry } from './present.js';
import { canSee, loadListsFor, type Viewer } from './rules.js';
import { type Durable, requestRebuild } from './timelines.js';

const MAX_ROUNDS = 5;

/** Entries strictly older than `olderThan`, newest first; `exhausted` when nothing older remains. */
export type Skeleton = (
  olderThan: bigint | null,
  want: number,
) => Promise<{ entries: TimelineEntry[]; exhausted: boolean }>;

/**
 * The skeleton of a stream backed by one timeline: the timeline, continued from its durable
 * source past its truncation; the durable source alone while the timeline is not ready.
 */
export function timelineSkeleton(
  ctx: OriginContext,
  timeline: TimelineRef,
  durable: Durable,
  first?: FirstPage,
): Skeleton {
  const read = timelineReader(ctx, timeline, durable, first);
  return async (position, want) => {
    const entries = await read(position, want);
    return { entries, exhausted: entries.length < want };
  };
}

export type TimelineRead = (position: bigint | null, want: number, sinceMs?: number) => Promise<TimelineEntry[]>;

/** A timeline's first page, asked for before the read needs it (beside the viewer's queries). */
export interface FirstPage {
  position: bigint | null;
  want: number;
  /** null: Redis is not answering, and the read is served from Postgres. */
  page: Promise<TimelinePage | null>;
}

/** Starts reading the first page a stream of `limit` entries will want. */
export function prefetchFirstPage(
  ctx: OriginContext,
  timeline: TimelineRef,
  olderThan: bigint | null,
  limit: number,
): FirstPage {
  const want = firstWant(limit);
  const page = timelinePage(ctx, timeline, olderThan, want);
  page.catch(() => {}); // awaited by the read; a failure surfaces there
  return { position: olderThan, want, page };
}

/**
 * A timeline page, or null while Redis does not answer: timelines are derived data, so a reader
 * is then served from their durable source in Postgres (slower, never wrong).
 */
function timelinePage(
  ctx: OriginContext,
  timeline: TimelineRef,
  olderThan: bigint | null,
  want: number,
  sinceMs?: number,
): Promise<TimelinePage | null> {
  return ctx.redisHealth.call(
    'timeline-page',
    () => ctx.timelines.page(timeline, olderThan, want, sinceMs),
    () => null,
  );
}

/**
 * Reads a timeline as a stream needs it: up to `want` entries older than `position`, read on in
 * Postgres where the timeline is truncated, and from Postgres alone (its rebuild queued once)
 * while it is missing or being rebuilt. `first` is the first page when already asked for (a
 * read that starts it beside other queries saves a round trip).
 */
export function timelineReader(
  ctx: OriginContext,
  timeline: TimelineRef,
  durable: Durable,
  first?: FirstPage,
): TimelineRead {
  let rebuildAsked = false;
  let prefetched = first;
  // Anyone can ask for any hashtag or place: a missing topic timeline is built only when Postgres
  // has something for it, and "nothing" is remembered briefly, so asking for random topics costs
  // one indexed query a topic, not a timeline in Redis and a rebuild each (topicIsEmpty).
  const topic = timeline.kind === 'tag' || timeline.kind === 'place';
  return async (position, want, sinceMs) => {
    const page =
      prefetched && prefetched.position === position && prefetched.want === want && sinceMs === undefined
        ? await prefetched.page
        : await timelinePage(ctx, timeline, position, want, sinceMs);
    prefetched = undefined;
    if (page === null) return durable(position, want);
    if (topic && page.state === 'missing') {
      if (topicIsEmpty(ctx, timeline)) return [];
      const entries = await durable(position, want);
      if (entries.length === 0 && position === null) rememberEmptyTopic(ctx, timeline);
      else if (!rebuildAsked) await requestRebuild(ctx, timeline, page.state);
      rebuildAsked = true;
      return entries;
    }
    if (page.state !== 'ready') {
      if (!rebuildAsked) await requestRebuild(ctx, timeline, page.state);
      rebuildAsked = true;
      return durable(position, want);
    }
    // Within a window the timeline is complete unless its truncation reaches into it.
    if (sinceMs !== undefined && page.truncatedAtMs !== null && page.truncatedAtMs < sinceMs) return page.entries;
    if (sinceMs !== undefined && page.truncatedAtMs !== null) {
      const whole = await timelinePage(ctx, timeline, position, want);
      return whole === null ? durable(position, want) : readOn(whole, durable, position, want);
    }
    return readOn(page, durable, position, want);
  };
}

/** How long this process remembers that a hashtag or place has no public item at all. */
const EMPTY_TOPIC_TTL_MS = 15_000;
const emptyTopicCache = processCache<true>(100_000, EMPTY_TOPIC_TTL_MS);

/**
 * Whether a topic was found empty moments ago. A first post with the topic creates its timeline
 * (streams/fanout.ts), and readers of an existing timeline never ask this, so the memory hides
 * nothing for longer than the post's fan-out takes.
 */
function topicIsEmpty(ctx: OriginContext, ref: TimelineRef): boolean {
  return emptyTopicCache(ctx).has(timelineKey(ref));
}

function rememberEmptyTopic(ctx: OriginContext, ref: TimelineRef): void {
  emptyTopicCache(ctx).set(timelineKey(ref), true);
}

/**
 * A timeline page, continued in Postgres where it reached the timeline's truncation: the
 * truncation millisecond itself may be incomplete in the timeline, so from there down (or
 * below the cursor) the entries come from Postgres.
 */
export async function readOn(
  page: TimelinePage,
  durable: Durable,
  position: bigint | null,
  want: number,
): Promise<TimelineEntry[]> {
  const floor = page.truncatedAtMs;
  if (floor === null) return page.entries;
  const above = page.entries.filter((e) => timeOfId(BigInt(e.id)) > floor);
  if (above.length >= want) return above;
  const below = composeId(floor + 1, 0, 0, 0);
  const more = await durable(position !== null && position < below ? position : below, want - above.length);
  return [...above, ...more];
}

/** Skeleton entries asked for per round: enough for a full page after filtering, as a rule. */
export function firstWant(limit: number): number {
  return Math.min(200, (limit + 1) * 2);
}

export interface PageRequest {
  tenantId: string;
  viewer: Viewer;
  skeleton: Skeleton;
  rule: (viewer: Viewer, item: ItemRow | undefined) => item is ItemRow;
  olderThan: bigint | null;
  limit: number;
  types?: EventType[];
}

export async function readPage(ctx: OriginContext, req: PageRequest): Promise<StreamPage> {
  const { tenantId, viewer, limit } = req;
  const types = req.types ? new Set<string>(req.types) : null;
  const kept: ItemRow[] = [];
  const objects = new Map<string, ItemRow>();
  let position = req.olderThan;
  let exhausted = false;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const want = firstWant(limit);
    const skeleton = await req.skeleton(position, want);
    exhausted = skeleton.exhausted;
    if (skeleton.entries.length === 0) break;
    position = BigInt(skeleton.entries[skeleton.entries.length - 1]!.id);
    const wanted = types ? skeleton.entries.filter((e) => types.has(e.type)) : skeleton.entries;
    const found = await hydrateItems(
      ctx,
      tenantId,
      wanted.map((e) => BigInt(e.id)),
    );
    const candidates = wanted.map((e) => found.get(e.id)).filter((i): i is ItemRow => i !== undefined);
    await hydrateObjects(ctx, tenantId, candidates, objects);
    await loadListsFor(ctx, tenantId, viewer, [...candidates, ...objects.values()]);
    for (const item of candidates) {
      if (!req.rule(viewer, item)) continue;
      if (item.objectId !== null && !canSee(viewer, objects.get(item.objectId.toString()))) continue;
      kept.push(item);
    }
    if (exhausted || aggregate(kept, limit + 1).groups.length > limit) break;
  }
  const { groups, consumed } = aggregate(kept, limit);
  const members = await hydrateMembers(ctx, tenantId, [
    ...kept.flatMap((i) => [i.actorId, ...(i.targetId === null ? [] : [i.targetId])]),
    ...[...objects.values()].map((o) => o.actorId),
  ]);
  const entries: StreamEntry[] = [];
  for (const g of groups) {
    const entry = presentEntry(g.lead, { members, objects });
    if (!entry) continue;
    const others = new Map<string, (typeof entry)['actor']>();
    for (const item of g.rest) {
      const m = members.get(item.actorId.toString());
      if (m && m.id !== entry.actor.id) others.set(m.id, m);
    }
    entry.others = [...others.values()].slice(0, 3);
    entry.actorCount = 1 + others.size;
    entries.push(entry);
  }
  // The cursor: after the last entry shown when some kept ones did not fit; otherwise after the
  // last skeleton entry examined (everything up to it was shown or filtered out).
  let older: string | null = null;
  if (consumed < kept.length) older = encodeCursor(tenantId, kept[consumed - 1]!.id);
  else if (!exhausted && position !== null) older = encodeCursor(tenantId, position);
  return { entries, older };
}

async function hydrateObjects(ctx: OriginContext, tenantId: string, items: ItemRow[], into: Map<string, ItemRow>) {
  const ids = [...new Set(items.filter((i) => i.objectId !== null).map((i) => i.objectId!))].filter(
    (id) => !into.has(id.toString()),
  );
  if (ids.length === 0) return;
  for (const [id, item] of await hydrateItems(ctx, tenantId, ids)) into.set(id, item);
}
