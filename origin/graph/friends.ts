// Friend requests and friendships. Every edge is stored on both members' shards so each side
// reads its own lists locally. The two writes are not one transaction when the members live on
// different databases: each is idempotent, done in an order that leaves a retryable state, and
// the consistency checker repairs one-sided edges.
import { and, eq, sql } from 'drizzle-orm';
import type { FriendRequests, Member, Relation, Tenant } from '../../shared/api.js';
import type { OriginContext } from '../context.js';
import { badRequest, conflict, forbidden, notFound } from '../http/problem.js';
import { createSystemEvent } from '../items/events.js';
import { queueDurably } from '../jobs/queue-durably.js';
import { getMember, hydrateMembers } from '../members/members.js';
import { notify } from '../notifications/notifications.js';
import { writeOnShard } from '../store/shards/fence.js';
import { friendRequests, friendships, members } from '../store/shards/schema-shard.js';
import { requireSwitch } from '../tenants/tenants.js';
import { hiddenFrom } from './blocks-and-mutes.js';

function shardDb(ctx: OriginContext, id: bigint) {
  return ctx.cluster.router.forMember(id).db;
}

/**
 * Adds or removes one side of a friendship and keeps that member's friend counter in step.
 * Returns the new count, or null when nothing changed.
 */
export async function setFriendshipSide(
  ctx: OriginContext,
  tenantId: string,
  memberId: bigint,
  friendId: bigint,
  on: boolean,
): Promise<number | null> {
  return writeOnShard(ctx.cluster, memberId, async (tx) => {
    const changed = on
      ? await tx.insert(friendships).values({ tenantId, memberId, friendId }).onConflictDoNothing().returning()
      : await tx
          .delete(friendships)
          .where(
            and(
              eq(friendships.tenantId, tenantId),
              eq(friendships.memberId, memberId),
              eq(friendships.friendId, friendId),
            ),
          )
          .returning();
    if (changed.length === 0) return null;
    const [row] = await tx
      .update(members)
      .set({ friendCount: sql`${members.friendCount} + ${on ? 1 : -1}` })
      .where(and(eq(members.tenantId, tenantId), eq(members.id, memberId)))
      .returning({ n: members.friendCount });
    return row?.n ?? null;
  });
}

export async function friendIds(ctx: OriginContext, tenantId: string, memberId: bigint): Promise<bigint[]> {
  // Raw and prepared: every home read and every fan-out asks this (drizzle's query building cost
  // more than the query; test/bench/home.ts).
  const rows = await ctx.cluster.router
    .forMember(memberId)
    .rows<{ id: string }>(
      'SELECT friend_id::text AS id FROM friendships WHERE tenant_id = $1 AND member_id = $2::bigint',
      [tenantId, memberId.toString()],
    );
  return rows.map((r) => BigInt(r.id));
}

/** A member's friends with ids in [from, to], ascending (one part of a very large fan-out). */
export async function friendIdsInRange(
  ctx: OriginContext,
  tenantId: string,
  memberId: bigint,
  from: string,
  to: string,
): Promise<string[]> {
  const rows = await ctx.cluster.router.forMember(memberId).rows<{ f: string }>(
    `SELECT friend_id::text AS f FROM friendships
       WHERE tenant_id = $1 AND member_id = $2::bigint AND friend_id BETWEEN $3::bigint AND $4::bigint
       ORDER BY friend_id`,
    [tenantId, memberId.toString(), from, to],
  );
  return rows.map((r) => r.f);
}

/** The member's friend counter (denormalised; the consistency checker keeps it honest). */
export async function friendCount(ctx: OriginContext, tenantId: string, memberId: bigint): Promise<number> {
  const [row] = await shardDb(ctx, memberId)
    .select({ n: members.friendCount })
    .from(members)
    .where(and(eq(members.tenantId, tenantId), eq(members.id, memberId)));
  return row?.n ?? 0;
}

export async function relationOf(
  ctx: OriginContext,
  tenantId: string,
  viewer: bigint | null,
  other: bigint,
): Promise<Relation> {
  if (viewer === null) return 'none';
  if (viewer === other) return 'self';
  const db = shardDb(ctx, viewer);
  const [friend] = await db
    .select({ id: friendships.friendId })
    .from(friendships)
    .where(and(eq(friendships.tenantId, tenantId), eq(friendships.memberId, viewer), eq(friendships.friendId, other)));
  if (friend) return 'friend';
  const [request] = await db
    .select({ direction: friendRequests.direction })
    .from(friendRequests)
    .where(
      and(eq(friendRequests.tenantId, tenantId), eq(friendRequests.ownerId, viewer), eq(friendRequests.otherId, other)),
    );
  if (!request) return 'none';
  return request.direction === 'out' ? 'request-sent' : 'request-received';
}

/** Sends a request; if the other member already asked us, this accepts theirs instead. */
export async function sendRequest(ctx: OriginContext, tenant: Tenant, from: bigint, to: bigint): Promise<Relation> {
  requireSwitch(tenant, 'friending');
  if (from === to) throw badRequest('you cannot befriend yourself');
  await getMember(ctx, tenant.id, to); // 404 for unknown members
  const relation = await relationOf(ctx, tenant.id, from, to);
  if (relation === 'friend') throw conflict('you are friends already');
  if ((await hiddenFrom(ctx, tenant.id, from)).blocked.has(to.toString()))
    throw forbidden('you cannot send a friend request to this member');
  if (relation === 'request-received') {
    await accept(ctx, tenant, from, to);
    return 'friend';
  }
  // Recipient's copy first: if the second write fails, a retry completes it.
  await writeOnShard(ctx.cluster, to, (tx) =>
    tx
      .insert(friendRequests)
      .values({ tenantId: tenant.id, ownerId: to, otherId: from, direction: 'in' })
      .onConflictDoNothing(),
  );
  await writeOnShard(ctx.cluster, from, (tx) =>
    tx
      .insert(friendRequests)
      .values({ tenantId: tenant.id, ownerId: from, otherId: to, direction: 'out' })
      .onConflictDoNothing(),
  );
  await notify(ctx, tenant.id, to, 'friend-request', from);
  return 'request-sent';
}

async function deleteRequestPair(ctx: OriginContext, tenantId: string, a: bigint, b: bigint): Promise<void> {
  for (const [owner, other] of [
    [a, b],
    [b, a],
  ] as const) {
    await shardDb(ctx, owner)
      .delete(friendRequests)
      .where(
        and(
          eq(friendRequests.tenantId, tenantId),
          eq(friendRequests.ownerId, owner),
          eq(friendRequests.otherId, other),
        ),
      );
  }
}

/** `me` accepts the pending request from `other`. */
export async function accept(ctx: OriginContext, tenant: Tenant, me: bigint, other: bigint): Promise<void> {
  requireSwitch(tenant, 'friending');
  if ((await relationOf(ctx, tenant.id, me, other)) !== 'request-received') {
    throw notFound('there is no friend request from this member');
  }
  const countMe = await setFriendshipSide(ctx, tenant.id, me, other, true);
  const countOther = await setFriendshipSide(ctx, tenant.id, other, me, true);
  await deleteRequestPair(ctx, tenant.id, me, other);
  if (countMe !== null) await noteFriendCount(ctx, tenant, me, countMe);
  if (countOther !== null) await noteFriendCount(ctx, tenant, other, countOther);
  await notify(ctx, tenant.id, other, 'friend-accepted', me);
  // "Ann and Bob are now friends": an event in both members' friends' streams. Its fan-out also
  // brings each new friend's recent posts into the other's home stream (streams/fanout.ts).
  await createSystemEvent(ctx, tenant, me, 'friendship', other);
}

export async function decline(ctx: OriginContext, tenant: Tenant, me: bigint, other: bigint): Promise<void> {
  if ((await relationOf(ctx, tenant.id, me, other)) !== 'request-received') {
    throw notFound('there is no friend request from this member');
  }
  await deleteRequestPair(ctx, tenant.id, me, other);
}

export async function unfriend(ctx: OriginContext, tenant: Tenant, me: bigint, other: bigint): Promise<void> {
  if ((await relationOf(ctx, tenant.id, me, other)) !== 'friend') throw notFound('you are not friends');
  await endFriendship(ctx, tenant, me, other);
}

/** Removes both sides of a friendship (unfriend, block). Streams re-check friendship at read time. */
export async function endFriendship(ctx: OriginContext, tenant: Tenant, a: bigint, b: bigint): Promise<void> {
  const countA = await setFriendshipSide(ctx, tenant.id, a, b, false);
  const countB = await setFriendshipSide(ctx, tenant.id, b, a, false);
  if (countA !== null) await noteFriendCount(ctx, tenant, a, countA);
  if (countB !== null) await noteFriendCount(ctx, tenant, b, countB);
}

/**
 * Keeps the celebrity set in step with friend counts. Crossing above the tenant's limit, the
 * member's new events stop being pushed (readers pull them); dropping back, their recent events
 * are pushed into every friend's home stream, since readers stop pulling them.
 */
export async function noteFriendCount(ctx: OriginContext, tenant: Tenant, member: bigint, count: number) {
  const above = count > tenant.celebrityLimit;
  if (above === ctx.activity.isCelebrity(tenant.id, member)) return;
  await ctx.activity
    .setCelebrity(tenant.id, member, above)
    .catch((err) => ctx.log.warn({ err }, 'activity bus publish failed; other processes learn at their next rebuild'));
  // Readers stop pulling this member: push their recent events, even if Redis is away right now.
  if (!above) await queueDurably(ctx, tenant.id, member, 'backfill-friends', { author: member.toString() });
}

export async function listFriends(ctx: OriginContext, tenantId: string, memberId: bigint): Promise<Member[]> {
  const ids = await friendIds(ctx, tenantId, memberId);
  const found = await hydrateMembers(ctx, tenantId, ids);
  return [...found.values()].sort((a, b) => a.displayName.localeCompare(b.displayName));
}

export async function listRequests(ctx: OriginContext, tenantId: string, me: bigint): Promise<FriendRequests> {
  const rows = await shardDb(ctx, me)
    .select()
    .from(friendRequests)
    .where(and(eq(friendRequests.tenantId, tenantId), eq(friendRequests.ownerId, me)))
    .orderBy(friendRequests.createdAt);
  const found = await hydrateMembers(
    ctx,
    tenantId,
    rows.map((r) => r.otherId),
  );
  const pick = (direction: 'in' | 'out') =>
    rows
      .filter((r) => r.direction === direction)
      .map((r) => found.get(r.otherId.toString()))
      .filter((m): m is Member => m !== undefined);
  return { incoming: pick('in'), outgoing: pick('out') };
}
