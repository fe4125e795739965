// The rules step of every stream read: whether the viewer may see an item *now*. Privacy is
// re-checked at read time, so an unfriend, a block, a list change or a changed audience after
// fan-out hides the entry at once, whatever the timelines still hold.
import type { OriginContext } from '../context.js';
import { hiddenFrom, viewerGraph } from '../graph/blocks-and-mutes.js';
import { listMembers } from '../graph/friend-lists.js';
import type { ItemRow } from '../items/items.js';

export interface Viewer {
  /** null for anonymous visitors. */
  id: bigint | null;
  friends: Set<string>;
  blocked: Set<string>;
  muted: Set<string>;
  /** Members of the friend lists used by items being checked (filled by loadListsFor). */
  lists: Map<string, Set<string>>;
}

export const ANONYMOUS: Viewer = {
  id: null,
  friends: new Set(),
  blocked: new Set(),
  muted: new Set(),
  lists: new Map(),
};

export async function loadViewer(
  ctx: OriginContext,
  tenantId: string,
  id: bigint | null,
  friends?: bigint[],
): Promise<Viewer> {
  if (id === null) return { ...ANONYMOUS, lists: new Map() };
  if (friends) {
    const hidden = await hiddenFrom(ctx, tenantId, id);
    return { id, friends: new Set(friends.map(String)), ...hidden, lists: new Map() };
  }
  const graph = await viewerGraph(ctx, tenantId, id);
  return {
    id,
    friends: new Set(graph.friends.map(String)),
    blocked: graph.blocked,
    muted: graph.muted,
    lists: new Map(),
  };
}

/** Loads the members of every friend list that items (or their objects) are addressed to. */
export async function loadListsFor(ctx: OriginContext, tenantId: string, viewer: Viewer, items: ItemRow[]) {
  const wanted = items
    .filter((i) => i.audience === 'list' && i.audienceListId !== null && !viewer.lists.has(i.audienceListId.toString()))
    .map((i) => ({ owner: i.actorId, listId: i.audienceListId! }));
  if (wanted.length === 0 || viewer.id === null) return;
  for (const [id, members] of await listMembers(ctx, tenantId, wanted)) viewer.lists.set(id, members);
}

/** May the viewer see this item at all (audience, blocks, deletion)? */
export function canSee(viewer: Viewer, item: ItemRow | undefined): item is ItemRow {
  if (!item || item.deletedAt) return false;
  const actor = item.actorId.toString();
  if (viewer.id !== null && item.actorId === viewer.id) return true;
  if (viewer.blocked.has(actor)) return false;
  switch (item.audience) {
    case 'public':
      return true;
    case 'friends':
      return viewer.friends.has(actor);
    case 'list': {
      const members = item.audienceListId === null ? undefined : viewer.lists.get(item.audienceListId.toString());
      return viewer.friends.has(actor) && viewer.id !== null && (members?.has(viewer.id.toString()) ?? false);
    }
    default:
      return false; // only_me
  }
}

/** Home stream membership: the viewer's own events and friends' events they may see, not muted. */
export function belongsInHome(viewer: Viewer, item: ItemRow | undefined): item is ItemRow {
  if (!canSee(viewer, item)) return false;
  if (item.actorId === viewer.id) return true;
  const actor = item.actorId.toString();
  return viewer.friends.has(actor) && !viewer.muted.has(actor);
}

/** Shared streams (public, tags, places): public events, minus anyone the viewer blocked or muted. */
export function belongsInShared(viewer: Viewer, item: ItemRow | undefined): item is ItemRow {
  if (!item || item.deletedAt || item.audience !== 'public') return false;
  const actor = item.actorId.toString();
  return !viewer.blocked.has(actor) && !viewer.muted.has(actor);
}
