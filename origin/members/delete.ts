// Account deletion is soft: the member disappears at once (every read drops deleted members and
// their items), can come back within the retention window by proving the password, and is purged
// for good afterwards (jobs/purge.ts).
import { and, eq, gt, isNotNull, isNull, sql } from 'drizzle-orm';
import type { LoginInput, SessionStart, Tenant } from '../../shared/api.js';
import type { OriginContext } from '../context.js';
import { notFound, unauthorized } from '../http/problem.js';
import { writeOnShard } from '../store/shards/fence.js';
import { members } from '../store/shards/schema-shard.js';
import { forgetMember, idForLogin, presentMember } from './members.js';
import { DECOY_HASH, verifyPassword } from './password.js';
import { beginSession, sessionsChanged } from './sessions.js';

export async function deleteAccount(ctx: OriginContext, tenant: Tenant, me: bigint): Promise<void> {
  const changed = await writeOnShard(ctx.cluster, me, (tx) =>
    tx
      .update(members)
      // Every session ends with the account (a restore starts a new one).
      .set({ deletedAt: new Date(), sessionVersion: sql`${members.sessionVersion} + 1`, endedSessions: [] })
      .where(and(eq(members.tenantId, tenant.id), eq(members.id, me), isNull(members.deletedAt)))
      .returning({ id: members.id }),
  );
  if (changed.length === 0) throw notFound('no such member');
  forgetMember(ctx, tenant.id, me);
  await sessionsChanged(ctx, tenant.id, me);
}

export async function restoreAccount(ctx: OriginContext, tenant: Tenant, input: LoginInput): Promise<SessionStart> {
  const id = await idForLogin(ctx, tenant.id, input.username);
  const windowStart = new Date(Date.now() - ctx.config.PURGE_AFTER_HOURS * 3_600_000);
  const [row] =
    id === null
      ? []
      : await ctx.cluster.router
          .forMember(id)
          .db.select()
          .from(members)
          .where(
            and(
              eq(members.tenantId, tenant.id),
              eq(members.id, id),
              isNotNull(members.deletedAt),
              gt(members.deletedAt, windowStart),
            ),
          );
  const ok = await verifyPassword(input.password, row?.passwordHash ?? (await DECOY_HASH));
  if (!row || !ok) throw unauthorized('no deleted account with that username and password can be restored');
  const [restored] = await writeOnShard(ctx.cluster, row.id, (tx) =>
    tx
      .update(members)
      .set({ deletedAt: sql`NULL` })
      .where(and(eq(members.tenantId, tenant.id), eq(members.id, row.id)))
      .returning(),
  );
  await sessionsChanged(ctx, tenant.id, row.id);
  return { ...presentMember(restored!), session: beginSession(restored!.sessionVersion) };
}
