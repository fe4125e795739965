// The item store: each event is written once, on its actor's shard, together with an outbox
// record in the same transaction. Fan-out happens later from the outbox (streams/fanout.ts).
import { and, desc, eq, inArray, isNull, lt } from 'drizzle-orm';
import type { Audience, PostInput, Tenant } from '../../shared/api.js';
import { shardOfId, timeOfId } from '../../shared/ids.js';
import type { OriginContext } from '../context.js';
import { items, outbox } from '../store/shards/schema-shard.js';
import { requireSwitch } from '../tenants/tenants.js';

export type ItemRow = typeof items.$inferSelect;

export async function createPost(
  ctx: OriginContext,
  tenant: Tenant,
  actor: bigint,
  input: PostInput,
): Promise<ItemRow> {
  requireSwitch(tenant, 'posting');
  const id = ctx.ids.next(shardOfId(actor));
  const row = await ctx.cluster.router.forId(actor).db.transaction(async (tx) => {
    const [item] = await tx
      .insert(items)
      .values({
        tenantId: tenant.id,
        id,
        actorId: actor,
        verb: 'status',
        audience: input.audience,
        text: input.text,
        createdAt: new Date(timeOfId(id)), // the id's own time, so id order and created_at agree
      })
      .returning();
    await tx.insert(outbox).values({ tenantId: tenant.id, kind: 'fanout', payload: { itemId: id.toString() } });
    return item!;
  });
  ctx.kickOutbox();
  return row;
}

/** Loads items by id with one query per physical shard. Deleted items are returned too. */
export async function loadItems(ctx: OriginContext, tenantId: string, ids: bigint[]): Promise<Map<string, ItemRow>> {
  const found = new Map<string, ItemRow>();
  await Promise.all(
    [...ctx.cluster.router.group(ids)].map(async ([db, list]) => {
      const rows = await db.db
        .select()
        .from(items)
        .where(and(eq(items.tenantId, tenantId), inArray(items.id, list)));
      for (const row of rows) found.set(row.id.toString(), row);
    }),
  );
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
    .forId(actor)
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
