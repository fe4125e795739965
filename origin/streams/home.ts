// The home stream. Skeleton: the reader's MRI (what fan-out pushed) merged by time with the ORIs
// of the celebrities they befriended (pulled now), skipping celebrities the activity filter
// says have nothing in the page's time range; each read on in Postgres past a truncated end, or
// from Postgres alone while being rebuilt (streams/timelines.ts). Then the shared page steps
// (streams/page.ts) with the home rule: the reader's own events and friends' events they may
// see, minus mutes.
import type { HomePage, Tenant } from '../../shared/api.js';
import type { EventType } from '../../shared/events.js';
import { timeOfId } from '../../shared/ids.js';
import type { OriginContext } from '../context.js';
import { viewerGraph } from '../graph/blocks-and-mutes.js';
import type { TimelineEntry, TimelineRef } from '../store/timelines/timeline-store.js';
import { decodeCursor } from './cursor.js';
import { prefetchFirstPage, readPage, type Skeleton, type TimelineRead, timelineReader } from './page.js';
import { ownRecentEntries } from './recent.js';
import { belongsInHome, type Viewer } from './rules.js';
import { mriSource, oriSource } from './timelines.js';

export async function readHome(
  ctx: OriginContext,
  tenant: Tenant,
  reader: bigint,
  cursor: string | undefined,
  limit: number,
  types?: EventType[],
): Promise<HomePage> {
  const olderThan = decodeCursor(tenant.id, cursor);
  const mri: TimelineRef = { tenant: tenant.id, kind: 'mri', owner: reader.toString() };
  // Friends, blocks/mutes and the MRI's first page are independent: one wait for the three.
  const first = prefetchFirstPage(ctx, mri, olderThan, limit);
  const ownRecent = olderThan === null ? ownRecentEntries(ctx, tenant.id, reader, limit) : null;
  ownRecent?.catch(() => {}); // awaited below; a failure surfaces there
  const { friends, blocked, muted } = await viewerGraph(ctx, tenant.id, reader);
  const viewer: Viewer = { id: reader, friends: new Set(friends.map(String)), blocked, muted, lists: new Map() };
  const celebrities = ctx.activity.celebritiesAmong(tenant.id, friends);
  const celebritySet = new Set(celebrities);
  const pushedFrom = mriSource(
    ctx,
    tenant.id,
    reader,
    friends.filter((f) => !celebritySet.has(f)),
  );
  const readMri = timelineReader(ctx, mri, pushedFrom, first);
  const oriReaders = new Map<bigint, TimelineRead>();
  const readOri = (author: bigint) => {
    let read = oriReaders.get(author);
    if (!read) {
      const ori: TimelineRef = { tenant: tenant.id, kind: 'ori', owner: author.toString() };
      read = timelineReader(ctx, ori, oriSource(ctx, tenant.id, author));
      oriReaders.set(author, read);
    }
    return read;
  };
  const skeleton: Skeleton = async (position, want) => {
    const pushed = await readMri(position, want);
    // The reader's own newest posts, which their fan-out may not have brought here yet.
    const own = position === null && ownRecent ? await ownRecent : [];
    const pushedDone = pushed.length < want;
    // Everything pulled must be newer than the page's oldest pushed entry to matter.
    const floorMs = pushedDone ? 0 : timeOfId(BigInt(pushed[pushed.length - 1]!.id));
    const pulledFrom = ctx.activity.activeSince(celebrities, floorMs);
    const pulled = await Promise.all(pulledFrom.map((author) => readOri(author)(position, want, floorMs)));
    const merged = mergeNewestFirst([pushed, ...pulled, ...(own.length > 0 ? [own] : [])]);
    const allDone = pushedDone && pulled.every((p) => p.length < want);
    return { entries: merged.slice(0, want), exhausted: allDone && merged.length <= want };
  };
  const page = await readPage(ctx, {
    tenantId: tenant.id,
    viewer,
    skeleton,
    rule: belongsInHome,
    olderThan,
    limit,
    types,
  });
  // Who the reader must not see, for the edge to filter the shared community fragment by.
  return { ...page, hidden: [...new Set([...blocked, ...muted])] };
}

/** Merges newest-first lists into one, dropping duplicates (an entry both pushed and pulled). */
export function mergeNewestFirst(lists: TimelineEntry[][]): TimelineEntry[] {
  if (lists.length === 1) return lists[0]!;
  const all = lists.flat().map((entry) => ({ entry, id: BigInt(entry.id) })); // parse each id once
  all.sort((a, b) => (a.id > b.id ? -1 : a.id < b.id ? 1 : 0));
  const out: TimelineEntry[] = [];
  let previous: bigint | null = null;
  for (const { entry, id } of all) {
    if (id !== previous) out.push(entry);
    previous = id;
  }
  return out;
}
