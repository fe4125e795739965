// The home stream: skeleton (ids from the reader's MRI) -> hydrate (items and actors from their
// shards) -> rules (privacy re-checked now: an unfriend after fan-out hides entries at once;
// deleted items drop out) -> present. Pages are filled after filtering.
import type { StreamEntry, StreamPage, Tenant } from '../../shared/api.js';
import { timeOfId } from '../../shared/ids.js';
import type { OriginContext } from '../context.js';
import { friendIds } from '../graph/friends.js';
import { type ItemRow, itemsByActor, loadItems } from '../items/items.js';
import { hydrateMembers } from '../members/members.js';
import type { TimelineRef } from '../store/timelines/timeline-store.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { presentEntry } from './present.js';

const MAX_ROUNDS = 4;

export async function readHome(
  ctx: OriginContext,
  tenant: Tenant,
  viewer: bigint,
  cursor: string | undefined,
  limit: number,
): Promise<StreamPage> {
  const olderThan = decodeCursor(tenant.id, cursor);
  const mri: TimelineRef = { tenant: tenant.id, kind: 'mri', owner: viewer.toString() };
  const friends = await friendIds(ctx, tenant.id, viewer);
  if (!(await ctx.timelines.exists(mri))) await rebuildHome(ctx, tenant.id, viewer, friends, mri);
  const friendSet = new Set(friends.map(String));
  const me = viewer.toString();
  const visible = (item: ItemRow | undefined): item is ItemRow => {
    if (!item || item.deletedAt) return false;
    const actor = item.actorId.toString();
    if (actor === me) return true;
    return friendSet.has(actor) && (item.audience === 'public' || item.audience === 'friends');
  };
  return fillPage(ctx, tenant.id, mri, olderThan, limit, visible);
}

/**
 * Reads timeline pages until `limit` entries pass the rules (or the timeline ends). Shared by
 * every timeline-backed stream.
 */
export async function fillPage(
  ctx: OriginContext,
  tenantId: string,
  timeline: TimelineRef,
  olderThan: bigint | null,
  limit: number,
  visible: (item: ItemRow | undefined) => item is ItemRow,
): Promise<StreamPage> {
  const kept: ItemRow[] = [];
  let position = olderThan;
  let exhausted = false;
  for (let round = 0; round < MAX_ROUNDS && kept.length <= limit; round++) {
    const want = limit + 1 - kept.length;
    const ids = await ctx.timelines.page(timeline, position, want * 2);
    if (ids.length < want * 2) exhausted = true;
    if (ids.length === 0) break;
    const found = await loadItems(
      ctx,
      tenantId,
      ids.map((id) => BigInt(id)),
    );
    for (const id of ids) {
      const item = found.get(id);
      if (visible(item)) kept.push(item);
    }
    position = BigInt(ids[ids.length - 1]!);
    if (exhausted) break;
  }
  const actors = await hydrateMembers(
    ctx,
    tenantId,
    kept.map((i) => i.actorId),
  );
  const entries: StreamEntry[] = [];
  for (const item of kept) {
    const actor = actors.get(item.actorId.toString());
    if (actor && entries.length < limit) entries.push(presentEntry(item, actor));
  }
  const more = kept.length > limit || !exhausted;
  const last = entries[entries.length - 1];
  return { entries, older: more && last ? encodeCursor(tenantId, BigInt(last.id)) : null };
}

/** Rebuilds a lost MRI (Redis flushed or replaced) from the item store on the shards. */
async function rebuildHome(
  ctx: OriginContext,
  tenantId: string,
  viewer: bigint,
  friends: bigint[],
  mri: TimelineRef,
): Promise<void> {
  const perAuthor = await Promise.all(
    [viewer, ...friends].map((author) =>
      itemsByActor(ctx, tenantId, author, {
        olderThan: null,
        limit: ctx.config.TIMELINE_MAX_LENGTH,
        audiences: author === viewer ? ['public', 'friends', 'only_me'] : ['public', 'friends'],
      }),
    ),
  );
  const writes = perAuthor.flat().map((item) => ({ timeline: mri, itemId: item.id.toString(), ms: timeOfId(item.id) }));
  await ctx.timelines.add(writes);
}
