// Blocks and mutes. A block is stored on both members' shards (like friend requests: 'out' on
// the blocker's, 'in' on the blocked member's) and ends any friendship; neither side then sees
// the other's events anywhere. A mute is one row on the muter's shard: the muted member's events
// stay out of the muter's streams, and nothing changes for the muted member.
import { and, eq } from 'drizzle-orm';
import type { Tenant } from '../../shared/api.js';
import type { OriginContext } from '../context.js';
import { badRequest } from '../http/problem.js';
import { getMember } from '../members/members.js';
import { writeOnShard } from '../store/shards/fence.js';
import { blocks, mutes } from '../store/shards/schema-shard.js';
import { endFriendship, relationOf } from './friends.js';

export async function block(ctx: OriginContext, tenant: Tenant, me: bigint, other: bigint): Promise<void> {
  if (me === other) throw badRequest('you cannot block yourself');
  await getMember(ctx, tenant.id, other);
  // The blocked side first: the blocker's own row is what their reads check, written last so a
  // failure leaves a retryable state rather than a half block the blocker believes complete.
  await writeOnShard(ctx.cluster, other, (tx) =>
    tx
      .insert(blocks)
      .values({ tenantId: tenant.id, ownerId: other, otherId: me, direction: 'in' })
      .onConflictDoNothing(),
  );
  await writeOnShard(ctx.cluster, me, (tx) =>
    tx
      .insert(blocks)
      .values({ tenantId: tenant.id, ownerId: me, otherId: other, direction: 'out' })
      .onConflictDoNothing(),
  );
  if ((await relationOf(ctx, tenant.id, me, other)) === 'friend') await endFriendship(ctx, tenant, me, other);
}

export async function unblock(ctx: OriginContext, tenant: Tenant, me: bigint, other: bigint): Promise<void> {
  for (const [owner, otherId, direction] of [
    [me, other, 'out'],
    [other, me, 'in'],
  ] as const) {
    await writeOnShard(ctx.cluster, owner, (tx) =>
      tx
        .delete(blocks)
        .where(
          and(
            eq(blocks.tenantId, tenant.id),
            eq(blocks.ownerId, owner),
            eq(blocks.otherId, otherId),
            eq(blocks.direction, direction),
          ),
        ),
    );
  }
}

export async function mute(ctx: OriginContext, tenant: Tenant, me: bigint, other: bigint): Promise<void> {
  if (me === other) throw badRequest('you cannot mute yourself');
  await getMember(ctx, tenant.id, other);
  await writeOnShard(ctx.cluster, me, (tx) =>
    tx.insert(mutes).values({ tenantId: tenant.id, ownerId: me, otherId: other }).onConflictDoNothing(),
  );
}

export async function unmute(ctx: OriginContext, tenant: Tenant, me: bigint, other: bigint): Promise<void> {
  await writeOnShard(ctx.cluster, me, (tx) =>
    tx.delete(mutes).where(and(eq(mutes.tenantId, tenant.id), eq(mutes.ownerId, me), eq(mutes.otherId, other))),
  );
}

/** Everyone `me` must not see: blocked either way, and muted. One query per table, on me's shard. */
export async function hiddenFrom(
  ctx: OriginContext,
  tenantId: string,
  me: bigint,
): Promise<{ blocked: Set<string>; muted: Set<string> }> {
  // One prepared statement for both: every stream read asks.
  const rows = await ctx.cluster.router.forMember(me).rows<{ k: string; id: string }>(
    `SELECT 'b' AS k, other_id::text AS id FROM blocks WHERE tenant_id = $1 AND owner_id = $2::bigint
     UNION ALL
     SELECT 'm' AS k, other_id::text AS id FROM mutes WHERE tenant_id = $1 AND owner_id = $2::bigint`,
    [tenantId, me.toString()],
  );
  const b = rows.filter((r) => r.k === 'b');
  const m = rows.filter((r) => r.k === 'm');
  return { blocked: new Set(b.map((r) => r.id)), muted: new Set(m.map((r) => r.id)) };
}

/**
 * A reader's friends and everyone hidden from them, in one statement on their shard: every
 * stream read needs all three, and a round trip costs more than the rows (test/bench/home.ts).
 */
export async function viewerGraph(
  ctx: OriginContext,
  tenantId: string,
  me: bigint,
): Promise<{ friends: bigint[]; blocked: Set<string>; muted: Set<string> }> {
  const rows = await ctx.cluster.router.forMember(me).rows<{ k: string; id: string }>(
    `SELECT 'f' AS k, friend_id::text AS id FROM friendships WHERE tenant_id = $1 AND member_id = $2::bigint
     UNION ALL
     SELECT 'b' AS k, other_id::text AS id FROM blocks WHERE tenant_id = $1 AND owner_id = $2::bigint
     UNION ALL
     SELECT 'm' AS k, other_id::text AS id FROM mutes WHERE tenant_id = $1 AND owner_id = $2::bigint`,
    [tenantId, me.toString()],
  );
  const friends: bigint[] = [];
  const blocked = new Set<string>();
  const muted = new Set<string>();
  for (const r of rows) {
    if (r.k === 'f') friends.push(BigInt(r.id));
    else (r.k === 'b' ? blocked : muted).add(r.id);
  }
  return { friends, blocked, muted };
}
