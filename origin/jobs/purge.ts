// Removes for good what members deleted longer ago than PURGE_AFTER_HOURS: items (with their
// comments, likes and timeline entries), accounts (every row they own, the other half of their
// friendships, requests and blocks, their directory names and timelines), and deleted messages,
// notifications and comments. Scheduled through the queue; safe to run again after a crash.
import { and, eq, sql } from 'drizzle-orm';
import type { OriginContext } from '../context.js';
import { friendIds, setFriendshipSide } from '../graph/friends.js';
import type { Database } from '../store/shards/database.js';
import { writeOnShard } from '../store/shards/fence.js';
import { memberEmails, memberNames } from '../store/shards/schema-directory.js';
import { blocks, friendRequests, OWNED_TABLES } from '../store/shards/schema-shard.js';
import { entryOf, removeEverywhere, sharedTimelinesOf } from '../streams/fanout.js';

export interface PurgeReport {
  items: number;
  members: number;
  other: number;
}

const BATCH = 500;

export async function purgeDeleted(ctx: OriginContext, now = Date.now()): Promise<PurgeReport> {
  const cutoff = new Date(now - ctx.config.PURGE_AFTER_HOURS * 3_600_000).toISOString();
  const report: PurgeReport = { items: 0, members: 0, other: 0 };
  for (const db of ctx.cluster.router.physical) {
    report.items += await purgeItems(ctx, db, cutoff);
    const gone = await db.rows<{ tenant_id: string; id: bigint }>(
      'SELECT tenant_id, id FROM members WHERE deleted_at < $1::timestamptz',
      [cutoff],
    );
    for (const m of gone) await purgeMember(ctx, m.tenant_id, BigInt(m.id));
    report.members += gone.length;
    for (const table of ['comments', 'messages', 'notifications', 'conversations', 'friend_lists']) {
      const [row] = await db.rows<{ n: number }>(
        `WITH d AS (DELETE FROM ${table} WHERE deleted_at < $1::timestamptz RETURNING 1) SELECT count(*)::int AS n FROM d`,
        [cutoff],
      );
      report.other += row?.n ?? 0;
    }
  }
  return report;
}

async function purgeItems(ctx: OriginContext, db: Database, cutoff: string): Promise<number> {
  let purged = 0;
  for (;;) {
    const batch = await db.rows<{
      tenant_id: string;
      id: bigint;
      actor_id: bigint;
      verb: string;
      data: Record<string, unknown>;
    }>(
      'SELECT tenant_id, id, actor_id, verb, data FROM items WHERE deleted_at < $1::timestamptz ORDER BY id LIMIT $2',
      [cutoff, BATCH],
    );
    if (batch.length === 0) return purged;
    // Derived data first: if the process dies here, the rows are still there for the next run.
    const byActor = new Map<
      string,
      { tenant: string; items: { id: bigint; verb: string; data: Record<string, unknown> }[] }
    >();
    for (const item of batch) {
      const key = `${item.tenant_id}:${item.actor_id}`;
      const entry = byActor.get(key) ?? { tenant: item.tenant_id, items: [] };
      entry.items.push({ id: BigInt(item.id), verb: item.verb, data: item.data });
      byActor.set(key, entry);
    }
    for (const [key, { tenant, items }] of byActor) {
      await removeEverywhere(ctx, tenant, BigInt(key.split(':')[1]!), items);
    }
    const keys = [batch.map((i) => i.tenant_id), batch.map((i) => String(i.id))];
    const pairs = '(tenant_id, $ID) IN (SELECT unnest($1::text[]), unnest($2::bigint[]))';
    await db.transaction(async (rows) => {
      await rows(`DELETE FROM comments WHERE ${pairs.replace('$ID', 'item_id')}`, keys);
      await rows(`DELETE FROM likes WHERE ${pairs.replace('$ID', 'item_id')}`, keys);
      await rows(`DELETE FROM items WHERE ${pairs.replace('$ID', 'id')}`, keys);
    });
    purged += batch.length;
  }
}

/** Erases one member: the other halves of their edges on other shards, their rows, their names. */
export async function purgeMember(ctx: OriginContext, tenantId: string, memberId: bigint): Promise<void> {
  const friends = await friendIds(ctx, tenantId, memberId);
  const ownDb = ctx.cluster.router.forMember(memberId);
  const pending = await ownDb.db
    .select({ other: friendRequests.otherId })
    .from(friendRequests)
    .where(and(eq(friendRequests.tenantId, tenantId), eq(friendRequests.ownerId, memberId)));
  const blocked = await ownDb.db
    .select({ other: blocks.otherId })
    .from(blocks)
    .where(and(eq(blocks.tenantId, tenantId), eq(blocks.ownerId, memberId)));
  const others = new Set([...friends, ...pending.map((p) => p.other), ...blocked.map((b) => b.other)]);
  for (const other of others) {
    await setFriendshipSide(ctx, tenantId, other, memberId, false);
    await writeOnShard(ctx.cluster, other, async (tx) => {
      await tx
        .delete(friendRequests)
        .where(
          and(
            eq(friendRequests.tenantId, tenantId),
            eq(friendRequests.ownerId, other),
            eq(friendRequests.otherId, memberId),
          ),
        );
      await tx
        .delete(blocks)
        .where(and(eq(blocks.tenantId, tenantId), eq(blocks.ownerId, other), eq(blocks.otherId, memberId)));
    });
  }
  const own = await ownDb.rows<{ id: bigint; verb: string; data: Record<string, unknown> }>(
    'SELECT id, verb, data FROM items WHERE tenant_id = $1 AND actor_id = $2::bigint',
    [tenantId, memberId.toString()],
  );
  for (const item of own)
    await ctx.timelines.remove(sharedTimelinesOf(tenantId, item), [entryOf({ ...item, id: BigInt(item.id) })]);
  await ctx.timelines.clear({ tenant: tenantId, kind: 'mri', owner: memberId.toString() });
  await ctx.timelines.clear({ tenant: tenantId, kind: 'ori', owner: memberId.toString() });
  await writeOnShard(ctx.cluster, memberId, async (tx) => {
    for (const t of OWNED_TABLES) {
      await tx.execute(
        sql.raw(
          `DELETE FROM ${t.table} WHERE tenant_id = '${tenantId.replace(/'/g, "''")}' AND ${t.owner} = ${memberId}`,
        ),
      );
    }
  });
  const directory = ctx.cluster.directory.db;
  await directory
    .delete(memberNames)
    .where(and(eq(memberNames.tenantId, tenantId), eq(memberNames.memberId, memberId)));
  await directory
    .delete(memberEmails)
    .where(and(eq(memberEmails.tenantId, tenantId), eq(memberEmails.memberId, memberId)));
}
