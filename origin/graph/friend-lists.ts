// Custom friend lists ("close friends", "family"): an audience for events. Stored on the owner's
// shard. Every member of a list must be the owner's friend when the list is written; an
// unfriended member silently loses access (streams re-check friendship when read).
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { FriendList, FriendListInput } from '../../shared/api.js';
import { shardOfId } from '../../shared/ids.js';
import type { OriginContext } from '../context.js';
import { notFound, unprocessable } from '../http/problem.js';
import { writeOnShard } from '../store/shards/fence.js';
import { friendLists } from '../store/shards/schema-shard.js';
import { friendIds } from './friends.js';

/** Throws 422 naming every id in `members` that is not a friend of `owner`. */
export async function requireFriends(ctx: OriginContext, tenantId: string, owner: bigint, members: string[]) {
  const friends = new Set((await friendIds(ctx, tenantId, owner)).map(String));
  const strangers = members.filter((m) => !friends.has(m));
  if (strangers.length > 0)
    throw unprocessable(
      'an audience list may only hold your friends',
      strangers.slice(0, 20).map((id) => ({ path: 'members', message: `member ${id} is not your friend` })),
    );
}

export async function createList(
  ctx: OriginContext,
  tenantId: string,
  owner: bigint,
  input: FriendListInput,
): Promise<FriendList> {
  const members = [...new Set(input.members)];
  await requireFriends(ctx, tenantId, owner, members);
  const id = ctx.ids.next(shardOfId(owner));
  await writeOnShard(ctx.cluster, owner, (tx) =>
    tx.insert(friendLists).values({ tenantId, id, ownerId: owner, name: input.name, memberIds: members }),
  );
  return { id: id.toString(), name: input.name, members };
}

export async function updateList(
  ctx: OriginContext,
  tenantId: string,
  owner: bigint,
  listId: bigint,
  input: FriendListInput,
): Promise<FriendList> {
  const members = [...new Set(input.members)];
  await requireFriends(ctx, tenantId, owner, members);
  const changed = await writeOnShard(ctx.cluster, owner, (tx) =>
    tx
      .update(friendLists)
      .set({ name: input.name, memberIds: members })
      .where(mine(tenantId, owner, listId))
      .returning({ id: friendLists.id }),
  );
  if (changed.length === 0) throw notFound(`you have no friend list ${listId}`);
  return { id: listId.toString(), name: input.name, members };
}

export async function listLists(ctx: OriginContext, tenantId: string, owner: bigint): Promise<FriendList[]> {
  const rows = await ctx.cluster.router
    .forMember(owner)
    .db.select()
    .from(friendLists)
    .where(and(eq(friendLists.tenantId, tenantId), eq(friendLists.ownerId, owner), isNull(friendLists.deletedAt)))
    .orderBy(friendLists.name);
  return rows.map((r) => ({ id: r.id.toString(), name: r.name, members: r.memberIds }));
}

export async function getList(ctx: OriginContext, tenantId: string, owner: bigint, listId: bigint) {
  const [row] = await ctx.cluster.router
    .forMember(owner)
    .db.select()
    .from(friendLists)
    .where(mine(tenantId, owner, listId));
  if (!row) throw unprocessable(`you have no friend list ${listId}`);
  return row;
}

/** Members of the given lists, keyed by list id; lists are read from their owners' shards. */
export async function listMembers(
  ctx: OriginContext,
  tenantId: string,
  lists: { owner: bigint; listId: bigint }[],
): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  const byDb = new Map<ReturnType<typeof ctx.cluster.router.forMember>, bigint[]>();
  for (const l of lists) {
    const db = ctx.cluster.router.forMember(l.owner);
    byDb.set(db, [...(byDb.get(db) ?? []), l.listId]);
  }
  await Promise.all(
    [...byDb].map(async ([db, ids]) => {
      const rows = await db.db
        .select({ id: friendLists.id, members: friendLists.memberIds })
        .from(friendLists)
        .where(and(eq(friendLists.tenantId, tenantId), inArray(friendLists.id, ids), isNull(friendLists.deletedAt)));
      for (const r of rows) out.set(r.id.toString(), new Set(r.members));
    }),
  );
  return out;
}

const mine = (tenantId: string, owner: bigint, listId: bigint) =>
  and(
    eq(friendLists.tenantId, tenantId),
    eq(friendLists.ownerId, owner),
    eq(friendLists.id, listId),
    isNull(friendLists.deletedAt),
  );
