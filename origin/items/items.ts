// The item store: each event is written once, on its actor's shard, together with an outbox
// record in the same transaction. Fan-out happens later from the outbox (streams/fanout.ts).
import { and, desc, eq, inArray, isNull, lt } from 'drizzle-orm';
import type { Audience, Tenant } from '../../shared/api.js';
import type { EventType } from '../../shared/events.js';
import { shardOfId, timeOfId } from '../../shared/ids.js';
import type { OriginContext } from '../context.js';
import { processCache } from '../process-cache.js';
import { retryPause } from '../store/shards/fence.js';
import { items } from '../store/shards/schema-shard.js';
import { type ItemValues, insertGrouped } from './group-commit.js';

export type ItemRow = typeof items.$inferSelect;

// The write path is one statement, shared by the events that reach a database together
// (group-commit.ts): fence check, item and outbox record commit atomically. Raw SQL: drizzle's
// query building costs more than the insert itself here (see test/bench/writes.ts).

interface RawItem extends Record<string, unknown> {
  tenant_id: string;
  id: bigint | string;
  actor_id: bigint | string;
  verb: string;
  object_id: bigint | string | null;
  target_id: bigint | string | null;
  audience: ItemRow['audience'];
  audience_list_id: bigint | string | null;
  text: string;
  data: Record<string, unknown>;
  created_at: Date | string;
  deleted_at: Date | string | null;
}

const big = (v: bigint | string | null) => (v === null ? null : BigInt(v));
const date = (v: Date | string | null) => (v === null ? null : new Date(v));

function fromRaw(r: RawItem): ItemRow {
  return {
    tenantId: r.tenant_id,
    id: BigInt(r.id),
    actorId: BigInt(r.actor_id),
    verb: r.verb,
    objectId: big(r.object_id),
    targetId: big(r.target_id),
    audience: r.audience,
    audienceListId: big(r.audience_list_id),
    text: r.text,
    data: r.data,
    createdAt: new Date(r.created_at),
    deletedAt: date(r.deleted_at),
  };
}

/** What an event carries besides its type, text and audience (validated by the caller). */
export interface NewEvent {
  type: EventType;
  text: string;
  audience: Audience;
  listId?: bigint | null;
  objectId?: bigint | null;
  targetId?: bigint | null;
  data?: Record<string, unknown>;
}

/**
 * Writes one event on its actor's shard with its outbox record (one statement). Checks that
 * depend on other members (lists, objects, targets) are the caller's (origin/items/events.ts).
 */
export async function insertItem(ctx: OriginContext, tenant: Tenant, actor: bigint, event: NewEvent): Promise<ItemRow> {
  const id = ctx.ids.next(shardOfId(actor));
  const values: ItemValues = [
    tenant.id,
    id.toString(),
    actor.toString(),
    event.type,
    event.audience,
    event.text,
    new Date(timeOfId(id)).toISOString(), // the id's own time, so id order and created_at agree
    event.objectId?.toString() ?? null,
    event.targetId?.toString() ?? null,
    event.listId?.toString() ?? null,
    JSON.stringify(event.data ?? {}),
  ];
  for (let attempt = 1; ; attempt++) {
    const db = ctx.cluster.router.forMember(actor);
    const row = await insertGrouped<RawItem & { outbox_seq: string; outbox_created_at: string }>(db, values);
    if (row) {
      const payload = { itemId: id.toString() };
      ctx.dispatchOutbox(db, [
        {
          seq: row.outbox_seq,
          created_at: row.outbox_created_at,
          owner_id: actor.toString(),
          tenant_id: tenant.id,
          kind: 'fanout',
          payload,
        },
      ]);
      // Readers learn of the post now, not only when its fan-out job runs: a job lost with a
      // flushed queue must not leave a celebrity's post unpulled. Not awaited: off the write path.
      ctx.activity.notePosted(actor, timeOfId(id)).catch((err) => ctx.log.warn({ err }, 'activity bus publish failed'));
      return fromRaw(row);
    }
    // The author's shard is moving: the fence stopped the insert. Retry on the new database.
    if (attempt >= 100) throw new Error(`cannot write item for ${actor}: its shard stays fenced`);
    await retryPause(ctx.cluster, attempt);
  }
}

// Items by id ($2), bounded by the lowest and highest of them ($3, $4). Items are partitioned by
// id range (monthly), and Postgres prunes partitions of a prepared (generic) plan by the range,
// not by "= ANY": without it every lookup probed every month's partition, and the planner,
// rating that generic plan worse, planned the statement anew on every call (pg_prepared_statements:
// 10 custom plans of 10 executions; with the range, generic from the sixth). Items only, 4 ids:
// 140-220 µs of Postgres CPU per statement without the range, 50-70 µs with it.
const BY_IDS = 'tenant_id = $1 AND id = ANY($2::bigint[]) AND id BETWEEN $3 AND $4';

function idsParams(ids: bigint[]): [string[], string, string] {
  let lo = ids[0]!;
  let hi = lo;
  for (const id of ids) {
    if (id < lo) lo = id;
    if (id > hi) hi = id;
  }
  return [ids.map(String), lo.toString(), hi.toString()];
}

/** Loads items by id with one query per database that may hold them. Deleted items are returned too. */
export async function loadItems(ctx: OriginContext, tenantId: string, ids: bigint[]): Promise<Map<string, ItemRow>> {
  const found = new Map<string, ItemRow>();
  if (ids.length === 0) return found;
  // Raw and prepared, one text for any number of ids: see hydrateMembers.
  await Promise.all(
    [...ctx.cluster.router.groupItems(ids)].map(async ([db, list]) => {
      const rows = await db.rows<RawItem>(`SELECT * FROM items WHERE ${BY_IDS}`, [tenantId, ...idsParams(list)]);
      for (const row of rows) found.set(String(row.id), fromRaw(row));
    }),
  );
  return found;
}

// Fan-out's read: the items and, for each shared one, its actor's friends. An actor's items and
// friendships live on the actor's shard (and move together), so this is one query per database
// where loadItems and a friends query were two: fan-out is bound by statements per event
// (test/bench/fanout.ts).
const WITH_FRIENDS_SQL = `
WITH i AS (SELECT * FROM items WHERE ${BY_IDS}),
a AS (
  SELECT f.member_id AS actor_id, string_agg(f.friend_id::text, ',') AS friends, count(*)::int AS friend_count
  FROM friendships f
  WHERE f.tenant_id = $1
    AND f.member_id IN (SELECT actor_id FROM i WHERE audience <> 'only_me' AND deleted_at IS NULL)
  GROUP BY f.member_id
)
SELECT i.*, a.friends, a.friend_count FROM i LEFT JOIN a USING (actor_id)`;

/** An item and its actor's friends: their ids comma-separated, as fan-out passes them on (mri-list.ts). */
export interface ItemWithFriends {
  item: ItemRow;
  friendIds: string;
  friendCount: number;
}

/**
 * Items by id (deleted ones too) with their actors' friend ids: none for deleted and "only me"
 * items or an actor without friends.
 */
export async function loadItemsWithFriends(
  ctx: OriginContext,
  tenantId: string,
  ids: bigint[],
): Promise<Map<string, ItemWithFriends>> {
  const found = new Map<string, ItemWithFriends>();
  if (ids.length === 0) return found;
  await Promise.all(
    [...ctx.cluster.router.groupItems(ids)].map(async ([db, list]) => {
      const rows = await db.rows<RawItem & { friends: string | null; friend_count: number | null }>(WITH_FRIENDS_SQL, [
        tenantId,
        ...idsParams(list),
      ]);
      for (const row of rows)
        found.set(String(row.id), {
          item: fromRaw(row),
          friendIds: row.friends ?? '',
          friendCount: row.friends ? Number(row.friend_count) : 0,
        });
    }),
  );
  return found;
}

// The hydration cache of stream reads: the same items appear on many readers' pages. Items only
// change by deletion, restore and a new audience, which evict here and, over the activity bus,
// in every other process (itemChanged); should a message be lost, a copy lives ITEM_CACHE_TTL_MS.
// Writers and fan-out never read through it.
const ITEM_CACHE_TTL_MS = 5_000;
const itemCache = processCache<ItemRow>(200_000, ITEM_CACHE_TTL_MS);

export function forgetItem(ctx: OriginContext, tenantId: string, id: bigint): void {
  itemCache(ctx).delete(`${tenantId}:${id}`);
}

/** After an item changed: every process (this one first) forgets its cached copy. */
export async function itemChanged(ctx: OriginContext, tenantId: string, id: bigint): Promise<void> {
  forgetItem(ctx, tenantId, id);
  await ctx.activity.noteItemChanged(tenantId, id).catch((err) => ctx.log.warn({ err }, 'activity bus publish failed'));
}

/** loadItems through the hydration cache (stream reads only). */
export async function hydrateItems(ctx: OriginContext, tenantId: string, ids: bigint[]): Promise<Map<string, ItemRow>> {
  const cache = itemCache(ctx);
  const found = new Map<string, ItemRow>();
  const missing: bigint[] = [];
  for (const id of ids) {
    const hit = cache.get(`${tenantId}:${id}`);
    if (hit) found.set(id.toString(), hit);
    else missing.push(id);
  }
  for (const [id, item] of await loadItems(ctx, tenantId, missing)) {
    found.set(id, item);
    cache.set(`${tenantId}:${id}`, item);
  }
  return found;
}

/** A member's own items straight from their shard, newest first (the durable source of the ORI). */
export async function itemsByActor(
  ctx: OriginContext,
  tenantId: string,
  actor: bigint,
  opts: { olderThan: bigint | null; limit: number; audiences: Audience[] },
): Promise<ItemRow[]> {
  return ctx.cluster.router
    .forMember(actor)
    .db.select()
    .from(items)
    .where(
      and(
        eq(items.tenantId, tenantId),
        eq(items.actorId, actor),
        isNull(items.deletedAt),
        inArray(items.audience, opts.audiences),
        opts.olderThan === null ? undefined : lt(items.id, opts.olderThan),
      ),
    )
    .orderBy(desc(items.id))
    .limit(opts.limit);
}
