// Publishing an event: checks that involve other members and items (the audience list holds only
// friends, the liked item is visible to the liker, the e-card goes to a friend), then one insert
// of item + outbox record on the actor's shard (items.ts). Fan-out follows from the outbox.
import { and, eq, isNull } from 'drizzle-orm';
import type { EventInput, PostInput, Tenant } from '../../shared/api.js';
import { type EventType, hashtagsOf, placeSlug } from '../../shared/events.js';
import type { OriginContext } from '../context.js';
import { getList, requireFriends } from '../graph/friend-lists.js';
import { friendIds } from '../graph/friends.js';
import { conflict, unprocessable } from '../http/problem.js';
import { items } from '../store/shards/schema-shard.js';
import { canSee, loadListsFor, loadViewer } from '../streams/rules.js';
import { requireSwitch } from '../tenants/tenants.js';
import { type ItemRow, insertItem, loadItems } from './items.js';

export async function createEvent(
  ctx: OriginContext,
  tenant: Tenant,
  actor: bigint,
  input: EventInput,
): Promise<ItemRow> {
  requireSwitch(tenant, 'posting');
  const listId = input.listId ? BigInt(input.listId) : null;
  if (listId !== null) {
    const list = await getList(ctx, tenant.id, actor, listId);
    await requireFriends(ctx, tenant.id, actor, list.memberIds);
  }
  let objectId: bigint | null = null;
  if (input.object) {
    objectId = BigInt(input.object);
    const object = (await loadItems(ctx, tenant.id, [objectId])).get(objectId.toString());
    const viewer = await loadViewer(ctx, tenant.id, actor);
    if (object) await loadListsFor(ctx, tenant.id, viewer, [object]);
    if (!canSee(viewer, object)) throw unprocessable(`there is no item ${input.object} you can see`);
    if (input.type === 'like' && (await alreadyLiked(ctx, tenant.id, actor, objectId)))
      throw conflict('you like this already');
  }
  let targetId: bigint | null = null;
  if (input.target) {
    targetId = BigInt(input.target);
    const friends = await friendIds(ctx, tenant.id, actor);
    if (!friends.includes(targetId)) throw unprocessable(`member ${input.target} is not your friend`);
  }
  const data: Record<string, unknown> = {};
  for (const key of ['images', 'url', 'title', 'game', 'group', 'design'] as const) {
    if (input[key] !== undefined) data[key] = input[key];
  }
  if (input.place) {
    data.place = input.place;
    data.placeSlug = placeSlug(input.place);
  }
  const tags = hashtagsOf(`${input.title ?? ''} ${input.text}`);
  if (tags.length > 0) data.tags = tags;
  return insertItem(ctx, tenant, actor, {
    type: input.type,
    text: input.text,
    audience: input.audience,
    listId,
    objectId,
    targetId,
    data,
  });
}

/** A status update (the pages' post form). */
export function createPost(ctx: OriginContext, tenant: Tenant, actor: bigint, input: PostInput): Promise<ItemRow> {
  return createEvent(ctx, tenant, actor, {
    type: 'status',
    text: input.text,
    audience: input.audience,
    listId: input.listId,
  });
}

/** Events Chorus writes itself (a new friendship, a profile change). */
export function createSystemEvent(
  ctx: OriginContext,
  tenant: Tenant,
  actor: bigint,
  type: Extract<EventType, 'friendship' | 'profile-update'>,
  targetId: bigint | null,
  text = '',
): Promise<ItemRow> {
  return insertItem(ctx, tenant, actor, { type, text, audience: 'friends', targetId });
}

async function alreadyLiked(ctx: OriginContext, tenantId: string, actor: bigint, objectId: bigint): Promise<boolean> {
  const [row] = await ctx.cluster.router
    .forMember(actor)
    .db.select({ id: items.id })
    .from(items)
    .where(
      and(
        eq(items.tenantId, tenantId),
        eq(items.actorId, actor),
        eq(items.verb, 'like'),
        eq(items.objectId, objectId),
        isNull(items.deletedAt),
      ),
    )
    .limit(1);
  return row !== undefined;
}
