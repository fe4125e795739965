// The oracle for home streams: everything read straight from Postgres (every physical shard,
// no timelines, no caches, no origin code), and each member's home stream computed by brute force
// from the rules as specified:
//   - the reader's own events (every audience), and friends' events whose audience is public or
//     friends, or a friend list of theirs that holds the reader now;
//   - never events by members the reader blocked or who blocked the reader, nor by muted members
//     (the reader's own excepted), nor deleted events;
//   - a like or comment only while the reader may see the item it is about;
//   - likes (comments) of one item within 24 hours are one entry: the newest, with the others'
//     actors counted in `actorCount`.
// Pages are simulated the way the API pages (newest first, `limit` entries a page, aggregation
// within a page), so any page size can be compared exactly.
import type { Database } from '../../../origin/store/shards/database.js';

export interface OracleItem {
  id: bigint;
  actor: string;
  verb: string;
  audience: 'public' | 'friends' | 'only_me' | 'list';
  listId: string | null;
  object: string | null;
  createdMs: number;
  deleted: boolean;
}

export interface World {
  items: Map<string, OracleItem>;
  /** Newest first. */
  ordered: OracleItem[];
  /** Friends as each member's own shard lists them. */
  friends: Map<string, Set<string>>;
  /** Members each member may not see: blocked by them or blocking them (rows on their own shard). */
  blocked: Map<string, Set<string>>;
  muted: Map<string, Set<string>>;
  /** Live (not deleted) friend lists: id -> members. */
  lists: Map<string, { owner: string; members: Set<string> }>;
  friendCount: Map<string, number>;
}

export interface ExpectedEntry {
  id: string;
  actorCount: number;
}

const REACTIONS = new Set(['like', 'comment']);
const WINDOW_MS = 24 * 3_600_000;

function add(map: Map<string, Set<string>>, key: string, value: string) {
  const set = map.get(key) ?? new Set<string>();
  set.add(value);
  map.set(key, set);
}

export async function loadWorld(shards: readonly Database[], tenantId: string): Promise<World> {
  const world: World = {
    items: new Map(),
    ordered: [],
    friends: new Map(),
    blocked: new Map(),
    muted: new Map(),
    lists: new Map(),
    friendCount: new Map(),
  };
  for (const db of shards) {
    const [items, friendships, blocks, mutes, lists, members] = await Promise.all([
      db.rows<{
        id: string;
        actor: string;
        verb: string;
        audience: OracleItem['audience'];
        list_id: string | null;
        object: string | null;
        created_ms: string;
        deleted: boolean;
      }>(
        `SELECT id::text, actor_id::text AS actor, verb, audience, audience_list_id::text AS list_id,
                object_id::text AS object, (extract(epoch FROM created_at) * 1000)::bigint::text AS created_ms,
                deleted_at IS NOT NULL AS deleted
         FROM items WHERE tenant_id = $1`,
        [tenantId],
      ),
      db.rows<{ member: string; friend: string }>(
        'SELECT member_id::text AS member, friend_id::text AS friend FROM friendships WHERE tenant_id = $1',
        [tenantId],
      ),
      db.rows<{ owner: string; other: string }>(
        'SELECT owner_id::text AS owner, other_id::text AS other FROM blocks WHERE tenant_id = $1',
        [tenantId],
      ),
      db.rows<{ owner: string; other: string }>(
        'SELECT owner_id::text AS owner, other_id::text AS other FROM mutes WHERE tenant_id = $1',
        [tenantId],
      ),
      db.rows<{ id: string; owner: string; members: string[] }>(
        `SELECT id::text, owner_id::text AS owner, member_ids AS members FROM friend_lists
         WHERE tenant_id = $1 AND deleted_at IS NULL`,
        [tenantId],
      ),
      db.rows<{ id: string; friend_count: number }>(
        'SELECT id::text, friend_count FROM members WHERE tenant_id = $1 AND deleted_at IS NULL',
        [tenantId],
      ),
    ]);
    for (const r of items) {
      world.items.set(r.id, {
        id: BigInt(r.id),
        actor: r.actor,
        verb: r.verb,
        audience: r.audience,
        listId: r.list_id,
        object: r.object,
        createdMs: Number(r.created_ms),
        deleted: r.deleted,
      });
    }
    for (const r of friendships) add(world.friends, r.member, r.friend);
    for (const r of blocks) add(world.blocked, r.owner, r.other);
    for (const r of mutes) add(world.muted, r.owner, r.other);
    for (const r of lists) world.lists.set(r.id, { owner: r.owner, members: new Set(r.members) });
    for (const r of members) world.friendCount.set(r.id, Number(r.friend_count));
  }
  world.ordered = [...world.items.values()].sort((a, b) => (a.id > b.id ? -1 : a.id < b.id ? 1 : 0));
  return world;
}

const has = (map: Map<string, Set<string>>, key: string, value: string) => map.get(key)?.has(value) ?? false;

export function isFriend(world: World, reader: string, other: string): boolean {
  return has(world.friends, reader, other);
}

/** May `reader` see `item` at all (deletion, blocks, audience)? */
export function visibleTo(world: World, reader: string, item: OracleItem | undefined): boolean {
  if (!item || item.deleted) return false;
  if (item.actor === reader) return true;
  if (has(world.blocked, reader, item.actor)) return false;
  switch (item.audience) {
    case 'public':
      return true;
    case 'friends':
      return isFriend(world, reader, item.actor);
    case 'list': {
      const list = item.listId === null ? undefined : world.lists.get(item.listId);
      return isFriend(world, reader, item.actor) && list?.owner === item.actor && list.members.has(reader);
    }
    default:
      return false;
  }
}

/** Whether an item belongs in a reader's home stream. */
export function inHome(world: World, reader: string, item: OracleItem): boolean {
  if (!visibleTo(world, reader, item)) return false;
  if (item.actor !== reader) {
    if (!isFriend(world, reader, item.actor) || has(world.muted, reader, item.actor)) return false;
  }
  if (item.object !== null && !visibleTo(world, reader, world.items.get(item.object))) return false;
  return true;
}

/** Every item in the reader's home stream, newest first, before aggregation. */
export function homeItems(world: World, reader: string): OracleItem[] {
  return world.ordered.filter((item) => inHome(world, reader, item));
}

/** Pages of `limit` entries, as the API should serve them (at least one page, maybe empty). */
export function pagesOf(items: OracleItem[], limit: number): ExpectedEntry[][] {
  const pages: ExpectedEntry[][] = [];
  let at = 0;
  do {
    const groups: { lead: OracleItem; actors: Set<string> }[] = [];
    const open = new Map<string, { lead: OracleItem; actors: Set<string> }>();
    for (; at < items.length; at++) {
      const item = items[at]!;
      const key = REACTIONS.has(item.verb) && item.object !== null ? `${item.verb}:${item.object}` : null;
      const group = key === null ? undefined : open.get(key);
      if (group && group.lead.createdMs - item.createdMs <= WINDOW_MS) {
        group.actors.add(item.actor);
        continue;
      }
      if (groups.length === limit) break;
      const g = { lead: item, actors: new Set([item.actor]) };
      groups.push(g);
      if (key !== null) open.set(key, g);
    }
    pages.push(groups.map((g) => ({ id: g.lead.id.toString(), actorCount: g.actors.size })));
  } while (at < items.length);
  return pages;
}
