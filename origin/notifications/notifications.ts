// Notifications: one row per recipient on the recipient's shard (written by the action that
// causes it), read newest first with unseen/unread counts. Reads follow the usual steps:
// skeleton (rows) -> hydrate (actors) -> rules (deleted actors drop out) -> present.
import { and, count, desc, eq, isNull, lt } from 'drizzle-orm';
import type { NOTIFICATION_KINDS, Notification, NotificationPage, Tenant } from '../../shared/api.js';
import { shardOfId } from '../../shared/ids.js';
import type { OriginContext } from '../context.js';
import { notFound } from '../http/problem.js';
import { hydrateMembers } from '../members/members.js';
import { writeOnShard } from '../store/shards/fence.js';
import { notifications } from '../store/shards/schema-shard.js';
import { decodeCursor, encodeCursor } from '../streams/cursor.js';

type Kind = (typeof NOTIFICATION_KINDS)[number];

export async function notify(
  ctx: OriginContext,
  tenantId: string,
  recipient: bigint,
  kind: Kind,
  actor: bigint,
  itemId: bigint | null = null,
): Promise<void> {
  const id = ctx.ids.next(shardOfId(recipient));
  await writeOnShard(ctx.cluster, recipient, (tx) =>
    tx.insert(notifications).values({ tenantId, id, memberId: recipient, kind, actorId: actor, itemId }),
  );
}

export async function readNotifications(
  ctx: OriginContext,
  tenant: Tenant,
  me: bigint,
  cursor: string | undefined,
  limit: number,
): Promise<NotificationPage> {
  const olderThan = decodeCursor(tenant.id, cursor);
  const db = ctx.cluster.router.forMember(me).db;
  const mine = and(
    eq(notifications.tenantId, tenant.id),
    eq(notifications.memberId, me),
    isNull(notifications.deletedAt),
  );
  const [rows, [unseen], [unread]] = await Promise.all([
    db
      .select()
      .from(notifications)
      .where(and(mine, olderThan === null ? undefined : lt(notifications.id, olderThan)))
      .orderBy(desc(notifications.id))
      .limit(limit + 1),
    db
      .select({ n: count() })
      .from(notifications)
      .where(and(mine, isNull(notifications.seenAt))),
    db
      .select({ n: count() })
      .from(notifications)
      .where(and(mine, isNull(notifications.readAt))),
  ]);
  const page = rows.slice(0, limit);
  const actors = await hydrateMembers(
    ctx,
    tenant.id,
    page.map((r) => r.actorId),
  );
  const entries: Notification[] = [];
  for (const row of page) {
    const actor = actors.get(row.actorId.toString());
    if (!actor) continue; // the actor deleted their account
    entries.push({
      id: row.id.toString(),
      kind: row.kind as Kind,
      actor,
      createdAt: row.createdAt.toISOString(),
      seen: row.seenAt !== null,
      read: row.readAt !== null,
    });
  }
  const last = page[page.length - 1];
  return {
    entries,
    older: rows.length > limit && last ? encodeCursor(tenant.id, last.id) : null,
    unseen: Number(unseen?.n ?? 0),
    unread: Number(unread?.n ?? 0),
  };
}

/** The member looked at the list: everything in it counts as seen (the badge clears). */
export async function markAllSeen(ctx: OriginContext, tenant: Tenant, me: bigint): Promise<void> {
  await writeOnShard(ctx.cluster, me, (tx) =>
    tx
      .update(notifications)
      .set({ seenAt: new Date() })
      .where(and(eq(notifications.tenantId, tenant.id), eq(notifications.memberId, me), isNull(notifications.seenAt))),
  );
}

export async function markRead(ctx: OriginContext, tenant: Tenant, me: bigint, id: bigint): Promise<void> {
  const changed = await writeOnShard(ctx.cluster, me, (tx) =>
    tx
      .update(notifications)
      .set({ readAt: new Date(), seenAt: new Date() })
      .where(and(eq(notifications.tenantId, tenant.id), eq(notifications.memberId, me), eq(notifications.id, id)))
      .returning({ id: notifications.id }),
  );
  if (changed.length === 0) throw notFound(`you have no notification ${id}`);
}
