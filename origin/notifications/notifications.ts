// Notifications: one row per recipient on the recipient's shard (written by the action that
// causes it), read newest first with unseen/unread counts. Reads follow the usual steps:
// skeleton (rows) -> hydrate (actors) -> rules (deleted actors drop out) -> present.
import { and, count, desc, eq, isNull, lt } from 'drizzle-orm';
import type { NOTIFICATION_KINDS, Notification, NotificationPage, Tenant } from '../../shared/api.js';
import type { EventType } from '../../shared/events.js';
import { shardOfId } from '../../shared/ids.js';
import type { OriginContext } from '../context.js';
import { notFound } from '../http/problem.js';
import { loadItems } from '../items/items.js';
import { hydrateMembers } from '../members/members.js';
import { writeOnShard } from '../store/shards/fence.js';
import { notifications } from '../store/shards/schema-shard.js';
import { AGGREGATION_WINDOW_MS } from '../streams/aggregate.js';
import { decodeCursor, encodeCursor } from '../streams/cursor.js';

type Kind = (typeof NOTIFICATION_KINDS)[number];

export async function notify(
  ctx: OriginContext,
  tenantId: string,
  recipient: bigint,
  kind: Kind,
  actor: bigint,
  /** `id`: a fixed id makes the write idempotent (fan-out jobs pass the event's own id). */
  opts: { id?: bigint; itemId?: bigint | null } = {},
): Promise<void> {
  const id = opts.id ?? ctx.ids.next(shardOfId(recipient));
  await writeOnShard(ctx.cluster, recipient, (tx) =>
    tx
      .insert(notifications)
      .values({ tenantId, id, memberId: recipient, kind, actorId: actor, itemId: opts.itemId ?? null })
      .onConflictDoNothing(),
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
  const [actors, items] = await Promise.all([
    hydrateMembers(
      ctx,
      tenant.id,
      page.map((r) => r.actorId),
    ),
    loadItems(
      ctx,
      tenant.id,
      page.filter((r) => r.itemId !== null).map((r) => r.itemId!),
    ),
  ]);
  // Aggregation: likes/comments on the same item within the window fold into the newest one.
  const entries: Notification[] = [];
  const open = new Map<string, Notification>();
  for (const row of page) {
    const actor = actors.get(row.actorId.toString());
    if (!actor) continue; // the actor deleted their account
    const item = row.itemId === null ? undefined : items.get(row.itemId.toString());
    if (row.itemId !== null && (!item || item.deletedAt)) continue; // about something deleted
    const key = row.kind === 'like' || row.kind === 'comment' ? `${row.kind}:${row.itemId}` : null;
    const group = key === null ? undefined : open.get(key);
    if (group && Date.parse(group.createdAt) - row.createdAt.getTime() <= AGGREGATION_WINDOW_MS) {
      group.ids.push(row.id.toString());
      if (actor.id !== group.actor.id && !group.others.some((o) => o.id === actor.id)) {
        group.actorCount++;
        if (group.others.length < 3) group.others.push(actor);
      }
      group.seen &&= row.seenAt !== null;
      group.read &&= row.readAt !== null;
      continue;
    }
    const n: Notification = {
      id: row.id.toString(),
      kind: row.kind as Kind,
      actor,
      item: item ? { id: item.id.toString(), type: item.verb as EventType, text: item.text } : null,
      createdAt: row.createdAt.toISOString(),
      seen: row.seenAt !== null,
      read: row.readAt !== null,
      others: [],
      actorCount: 1,
      ids: [row.id.toString()],
    };
    entries.push(n);
    if (key !== null) open.set(key, n);
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

/** Marks one notification read, and with it every like/comment about the same item (aggregated). */
export async function markRead(ctx: OriginContext, tenant: Tenant, me: bigint, id: bigint): Promise<void> {
  const changed = await writeOnShard(ctx.cluster, me, async (tx) => {
    const mine = and(eq(notifications.tenantId, tenant.id), eq(notifications.memberId, me));
    const [row] = await tx
      .select({ kind: notifications.kind, itemId: notifications.itemId })
      .from(notifications)
      .where(and(mine, eq(notifications.id, id)));
    if (!row) return 0;
    const folded =
      (row.kind === 'like' || row.kind === 'comment') && row.itemId !== null
        ? and(mine, eq(notifications.kind, row.kind), eq(notifications.itemId, row.itemId))
        : and(mine, eq(notifications.id, id));
    await tx
      .update(notifications)
      .set({ readAt: new Date(), seenAt: new Date() })
      .where(and(folded, isNull(notifications.readAt)));
    return 1;
  });
  if (changed === 0) throw notFound(`you have no notification ${id}`);
}
