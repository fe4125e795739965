// Notifications: one row per recipient on the recipient's shard (written by the action that
// causes it, withdrawn when that is deleted), read newest first with unseen/unread counts. Reads
// follow the usual steps: skeleton (rows) -> hydrate (actors, items) -> rules (blocked and muted
// members, deleted actors, items and reactions drop out) -> aggregate -> present.
import { and, desc, eq, isNotNull, isNull, lt } from 'drizzle-orm';
import type { NOTIFICATION_KINDS, Notification, NotificationPage, Tenant } from '../../shared/api.js';
import type { EventType } from '../../shared/events.js';
import { shardOfId } from '../../shared/ids.js';
import type { OriginContext } from '../context.js';
import { hiddenFrom } from '../graph/blocks-and-mutes.js';
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
  // Written again for the same event (its restore after a delete): it comes back.
  await writeOnShard(ctx.cluster, recipient, (tx) =>
    tx
      .insert(notifications)
      .values({ tenantId, id, memberId: recipient, kind, actorId: actor, itemId: opts.itemId ?? null })
      .onConflictDoUpdate({
        target: [notifications.tenantId, notifications.memberId, notifications.id],
        set: { deletedAt: null },
        where: isNotNull(notifications.deletedAt),
      }),
  );
}

/** The event behind a notification was deleted (an unliked photo, a withdrawn comment): it goes. */
export async function withdraw(ctx: OriginContext, tenantId: string, recipient: bigint, id: bigint): Promise<void> {
  await writeOnShard(ctx.cluster, recipient, (tx) =>
    tx
      .update(notifications)
      .set({ deletedAt: new Date() })
      .where(
        and(
          eq(notifications.tenantId, tenantId),
          eq(notifications.memberId, recipient),
          eq(notifications.id, id),
          isNull(notifications.deletedAt),
        ),
      ),
  );
}

/** Likes and comments of one item fold into one entry; everything else stands alone. */
const isFolded = (kind: string) => kind === 'like' || kind === 'comment';

// Unseen and unread entries, counted as the list shows them: folded likes and comments count
// once, members the reader blocked (either way) or muted and reactions to deleted items not at
// all. The item a like or comment is about is the reader's own, so it is on this shard.
const COUNTS_SQL = `
SELECT count(DISTINCT CASE WHEN n.kind IN ('like', 'comment') THEN n.kind || ':' || n.item_id ELSE n.id::text END)
         FILTER (WHERE n.seen_at IS NULL) AS unseen,
       count(DISTINCT CASE WHEN n.kind IN ('like', 'comment') THEN n.kind || ':' || n.item_id ELSE n.id::text END)
         FILTER (WHERE n.read_at IS NULL) AS unread
FROM notifications n
LEFT JOIN items i ON i.tenant_id = n.tenant_id AND i.id = n.item_id AND n.kind IN ('like', 'comment')
WHERE n.tenant_id = $1 AND n.member_id = $2::bigint AND n.deleted_at IS NULL
  AND NOT (n.actor_id = ANY($3::bigint[]))
  AND (n.kind NOT IN ('like', 'comment') OR (i.id IS NOT NULL AND i.deleted_at IS NULL))`;

export async function readNotifications(
  ctx: OriginContext,
  tenant: Tenant,
  me: bigint,
  cursor: string | undefined,
  limit: number,
): Promise<NotificationPage> {
  const olderThan = decodeCursor(tenant.id, cursor);
  const shard = ctx.cluster.router.forMember(me);
  const hidden = await hiddenFrom(ctx, tenant.id, me);
  const hiddenActors = new Set([...hidden.blocked, ...hidden.muted]);
  // Rules drop some rows: read with headroom so a page is usually full.
  const fetch = limit * 2 + 1;
  const [rows, [counts]] = await Promise.all([
    shard.db
      .select()
      .from(notifications)
      .where(
        and(
          eq(notifications.tenantId, tenant.id),
          eq(notifications.memberId, me),
          isNull(notifications.deletedAt),
          olderThan === null ? undefined : lt(notifications.id, olderThan),
        ),
      )
      .orderBy(desc(notifications.id))
      .limit(fetch),
    shard.rows<{ unseen: string; unread: string }>(COUNTS_SQL, [tenant.id, me.toString(), [...hiddenActors]]),
  ]);
  const visible = rows.filter((r) => !hiddenActors.has(r.actorId.toString()));
  // Hydrate: the actors, the items notifications are about, and the reactions themselves (a
  // like's notification has the like's own id).
  const [actors, items] = await Promise.all([
    hydrateMembers(
      ctx,
      tenant.id,
      visible.map((r) => r.actorId),
    ),
    loadItems(ctx, tenant.id, [
      ...visible.filter((r) => r.itemId !== null).map((r) => r.itemId!),
      ...visible.filter((r) => isFolded(r.kind)).map((r) => r.id),
    ]),
  ]);
  const gone = (id: bigint) => {
    const item = items.get(id.toString());
    return !item || item.deletedAt !== null;
  };
  // Aggregation: likes/comments on the same item within the window fold into the newest one.
  const entries: Notification[] = [];
  const open = new Map<string, Notification>();
  let lastConsumed: bigint | null = null;
  let full = false;
  for (const row of rows) {
    const key = isFolded(row.kind) ? `${row.kind}:${row.itemId}` : null;
    const group = key === null ? undefined : open.get(key);
    const folds = group !== undefined && Date.parse(group.createdAt) - row.createdAt.getTime() <= AGGREGATION_WINDOW_MS;
    // A full page stops before the next entry, so the cursor never splits one.
    if (entries.length === limit && !folds) {
      full = true;
      break;
    }
    lastConsumed = row.id;
    if (hiddenActors.has(row.actorId.toString())) continue;
    const actor = actors.get(row.actorId.toString());
    if (!actor) continue; // the actor deleted their account
    if (row.itemId !== null && gone(row.itemId)) continue; // about something deleted
    if (isFolded(row.kind) && gone(row.id)) continue; // the like or comment itself was deleted
    const item = row.itemId === null ? undefined : items.get(row.itemId.toString());
    if (group && folds) {
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
  const more = full || rows.length === fetch;
  return {
    entries,
    older: more && lastConsumed !== null ? encodeCursor(tenant.id, lastConsumed) : null,
    unseen: Number(counts?.unseen ?? 0),
    unread: Number(counts?.unread ?? 0),
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
