// Editing one's own profile. The change is also an event ("Ann updated her profile") so friends
// see it in their home streams.
import { and, eq, isNull } from 'drizzle-orm';
import type { Member, ProfileInput, Tenant } from '../../shared/api.js';
import type { OriginContext } from '../context.js';
import { notFound } from '../http/problem.js';
import { createSystemEvent } from '../items/events.js';
import { writeOnShard } from '../store/shards/fence.js';
import { members } from '../store/shards/schema-shard.js';
import { forgetMember, presentMember } from './members.js';

export async function updateProfile(
  ctx: OriginContext,
  tenant: Tenant,
  me: bigint,
  input: ProfileInput,
): Promise<Member> {
  const [row] = await writeOnShard(ctx.cluster, me, (tx) =>
    tx
      .update(members)
      .set({
        ...(input.displayName === undefined ? {} : { displayName: input.displayName }),
        ...(input.bio === undefined ? {} : { bio: input.bio }),
      })
      .where(and(eq(members.tenantId, tenant.id), eq(members.id, me), isNull(members.deletedAt)))
      .returning(),
  );
  if (!row) throw notFound('no such member');
  forgetMember(ctx, tenant.id, me);
  const changed = [input.displayName === undefined ? null : 'name', input.bio === undefined ? null : 'bio'].filter(
    (f): f is string => f !== null,
  );
  await createSystemEvent(ctx, tenant, me, 'profile-update', null, `updated their ${changed.join(' and ')}`);
  return presentMember(row);
}
