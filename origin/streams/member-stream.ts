// A member's own stream (profile page), read from their shard: skeleton and hydrate in one
// query, with the audience rule applied in SQL (strangers and anonymous visitors see public only).
import type { Audience, StreamPage, Tenant } from '../../shared/api.js';
import type { OriginContext } from '../context.js';
import { relationOf } from '../graph/friends.js';
import { itemsByActor } from '../items/items.js';
import { getMember } from '../members/members.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { presentEntry } from './present.js';

export async function readMemberStream(
  ctx: OriginContext,
  tenant: Tenant,
  viewer: bigint | null,
  memberId: bigint,
  cursor: string | undefined,
  limit: number,
): Promise<StreamPage> {
  const olderThan = decodeCursor(tenant.id, cursor);
  const actor = await getMember(ctx, tenant.id, memberId);
  const relation = await relationOf(ctx, tenant.id, viewer, memberId);
  const audiences: Audience[] =
    relation === 'self' ? ['public', 'friends', 'only_me'] : relation === 'friend' ? ['public', 'friends'] : ['public'];
  const rows = await itemsByActor(ctx, tenant.id, memberId, { olderThan, limit: limit + 1, audiences });
  const entries = rows.slice(0, limit).map((row) => presentEntry(row, actor));
  const last = entries[entries.length - 1];
  return { entries, older: rows.length > limit && last ? encodeCursor(tenant.id, BigInt(last.id)) : null };
}
