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
import type { TimelineEntry, TimelinePage, TimelineRef, TimelineState } from '../store/timelines/timeline-store.js';
import { aggregate } from './aggregate.js';
import { encodeCursor } from './cursor.js';
import { presentEntry } from './present.js';
import { canSee, loadListsFor, type Viewer } from './rules.js';
import type { Durable } from './timelines.js';

const MAX_ROUNDS = 5;

/** Entries strictly older than `olderThan`, newest first; `exhausted` when nothing older remains. */
export type Skeleton = (
  olderThan: bigint | null,
  want: number,
) => Promise<{ entries: TimelineEntry[]; exhausted: boolean }>;

/**
 * The skeleton of a stream backed by one timeline: the timeline, continued from its durable
 * source below its oldest entry when it is truncated; the durable source alone while the
 * timeline is not ready (being rebuilt).
 */
export function timelineSkeleton(
  ctx: OriginContext,
  timeline: TimelineRef,
  durable: Durable,
  state: TimelineState,
): Skeleton {
  return async (position, want) => {
    const entries = await readTimeline(ctx, timeline, durable, state, position, want);
    return { entries, exhausted: entries.length < want };
  };
}

/** Up to `want` entries of a timeline older than `position`, read on in Postgres where it ends early. */
export async function readTimeline(
  ctx: OriginContext,
  timeline: TimelineRef,
  durable: Durable,
  state: TimelineState,
  position: bigint | null,
  want: number,
  sinceMs?: number,
): Promise<TimelineEntry[]> {
  if (state !== 'ready') return durable(position, want);
  return readOn(await ctx.timelines.page(timeline, position, want, sinceMs), durable, position, want);
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
    const want = Math.min(200, (limit + 1) * 2);
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
