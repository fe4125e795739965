// Members: sign up, log in, look up. The username lives in the directory (lookups by name need
// it); the member row lives on the member's shard (lookups by id route without it).
import { and, eq, isNull, sql } from 'drizzle-orm';
import type {
  LoginInput,
  Member,
  PasswordChange,
  SessionInfo,
  SessionStart,
  SignupInput,
  Tenant,
} from '../../shared/api.js';
import { parseId, timeOfId } from '../../shared/ids.js';
import type { OriginContext } from '../context.js';
import { badRequest, conflict, notFound, unauthorized } from '../http/problem.js';
import { processCache } from '../process-cache.js';
import { isConnectionError } from '../store/shards/database.js';
import { writeOnShard } from '../store/shards/fence.js';
import { memberEmails, memberNames } from '../store/shards/schema-directory.js';
import { members } from '../store/shards/schema-shard.js';
import { requireSwitch } from '../tenants/tenants.js';
import { DECOY_HASH, hashPassword, needsRehash, verifyPassword } from './password.js';
import { beginSession, sessionsChanged } from './sessions.js';

type MemberRow = typeof members.$inferSelect;

export function presentMember(row: MemberRow): Member {
  return {
    id: row.id.toString(),
    username: row.username,
    displayName: row.displayName,
    bio: row.bio,
    createdAt: row.createdAt.toISOString(),
  };
}

export async function signup(ctx: OriginContext, tenant: Tenant, input: SignupInput): Promise<SessionStart> {
  requireSwitch(tenant, 'signup');
  const passwordHash = await hashPassword(input.password);
  // A new member can live on any shard: if the database drawn is down, draw from the others.
  const router = ctx.cluster.router;
  const down = new Set<string>();
  for (let attempt = 1; ; attempt++) {
    let logical = router.randomLogicalShard();
    for (let draw = 0; draw < 64 && down.has(router.forLogical(logical).name); draw++) {
      logical = router.randomLogicalShard();
    }
    const id = ctx.ids.next(logical);
    try {
      return await createMember(ctx, tenant, input, id, passwordHash);
    } catch (err) {
      if (attempt >= 3 || !isConnectionError(err)) throw err;
      down.add(router.forLogical(logical).name);
    }
  }
}

async function createMember(
  ctx: OriginContext,
  tenant: Tenant,
  input: SignupInput,
  id: bigint,
  passwordHash: string,
): Promise<SessionStart> {
  // Claim the name in the directory first: the primary key makes the claim atomic.
  const claimed = await ctx.cluster.directory.db
    .insert(memberNames)
    .values({ tenantId: tenant.id, username: input.username, memberId: id })
    .onConflictDoNothing()
    .returning({ memberId: memberNames.memberId });
  if (claimed.length === 0) throw conflict(`the username "${input.username}" is taken`);
  const releaseName = () =>
    ctx.cluster.directory.db
      .delete(memberNames)
      .where(and(eq(memberNames.tenantId, tenant.id), eq(memberNames.username, input.username)));
  if (input.email) {
    const email = await ctx.cluster.directory.db
      .insert(memberEmails)
      .values({ tenantId: tenant.id, email: input.email, memberId: id })
      .onConflictDoNothing()
      .returning({ memberId: memberEmails.memberId });
    if (email.length === 0) {
      await releaseName();
      throw conflict('that email address belongs to another member');
    }
  }
  try {
    const [row] = await writeOnShard(ctx.cluster, id, (tx) =>
      tx
        .insert(members)
        .values({ tenantId: tenant.id, id, username: input.username, displayName: input.displayName, passwordHash })
        .returning(),
    );
    return { ...presentMember(row!), session: beginSession(row!.sessionVersion) };
  } catch (err) {
    // Give the name (and email) back so a failed signup can be retried.
    await releaseName();
    if (input.email) {
      await ctx.cluster.directory.db
        .delete(memberEmails)
        .where(and(eq(memberEmails.tenantId, tenant.id), eq(memberEmails.email, input.email)));
    }
    throw err;
  }
}

export async function idForUsername(ctx: OriginContext, tenantId: string, username: string): Promise<bigint | null> {
  const [row] = await ctx.cluster.directory.db
    .select({ memberId: memberNames.memberId })
    .from(memberNames)
    .where(and(eq(memberNames.tenantId, tenantId), eq(memberNames.username, username.toLowerCase())));
  return row?.memberId ?? null;
}

export async function idForEmail(ctx: OriginContext, tenantId: string, email: string): Promise<bigint | null> {
  const [row] = await ctx.cluster.directory.db
    .select({ memberId: memberEmails.memberId })
    .from(memberEmails)
    .where(and(eq(memberEmails.tenantId, tenantId), eq(memberEmails.email, email.toLowerCase())));
  return row?.memberId ?? null;
}

/** The member named by a username or an email address (directory lookups). */
export function idForLogin(ctx: OriginContext, tenantId: string, login: string): Promise<bigint | null> {
  return login.includes('@') ? idForEmail(ctx, tenantId, login) : idForUsername(ctx, tenantId, login);
}

export async function login(ctx: OriginContext, tenant: Tenant, input: LoginInput): Promise<SessionStart> {
  const id = await idForLogin(ctx, tenant.id, input.username);
  const row = id === null ? undefined : await memberRow(ctx, tenant.id, id);
  // Same work whether or not the member exists, so timing does not reveal usernames.
  const ok = await verifyPassword(input.password, row?.passwordHash ?? (await DECOY_HASH));
  if (!row || !ok) throw unauthorized('wrong username or password');
  if (needsRehash(row.passwordHash)) await rehash(ctx, row, input.password);
  return { ...presentMember(row), session: beginSession(row.sessionVersion) };
}

/** The password is known right now: store it at today's cost (the stored hash is weaker). */
async function rehash(ctx: OriginContext, row: MemberRow, password: string): Promise<void> {
  const passwordHash = await hashPassword(password);
  await writeOnShard(ctx.cluster, row.id, (tx) =>
    tx
      .update(members)
      .set({ passwordHash })
      // Only the hash just verified: a password changed meanwhile stays changed.
      .where(
        and(eq(members.tenantId, row.tenantId), eq(members.id, row.id), eq(members.passwordHash, row.passwordHash)),
      ),
  ).catch((err) => ctx.log.warn({ err }, 'password re-hash failed; kept the old hash'));
}

/** A new password (the current one proven): every other session ends, this device gets a new one. */
export async function changePassword(
  ctx: OriginContext,
  tenant: Tenant,
  me: bigint,
  input: PasswordChange,
): Promise<SessionInfo> {
  const row = await memberRow(ctx, tenant.id, me);
  if (!row) throw notFound('no such member');
  if (!(await verifyPassword(input.current, row.passwordHash)))
    throw badRequest('the current password is not right', [{ path: 'current', message: 'this is not your password' }]);
  const passwordHash = await hashPassword(input.next);
  const [changed] = await writeOnShard(ctx.cluster, me, (tx) =>
    tx
      .update(members)
      .set({ passwordHash, sessionVersion: sql`${members.sessionVersion} + 1`, endedSessions: [] })
      .where(and(eq(members.tenantId, tenant.id), eq(members.id, me), isNull(members.deletedAt)))
      .returning({ version: members.sessionVersion }),
  );
  if (!changed) throw notFound('no such member');
  await sessionsChanged(ctx, tenant.id, me);
  return beginSession(changed.version);
}

async function memberRow(ctx: OriginContext, tenantId: string, id: bigint): Promise<MemberRow | undefined> {
  const read = async () =>
    (
      await ctx.cluster.router
        .forMember(id)
        .db.select()
        .from(members)
        .where(and(eq(members.tenantId, tenantId), eq(members.id, id), isNull(members.deletedAt)))
    )[0];
  const row = await read();
  // Not where this process's map says: the member may just have moved. Ask the map again before
  // answering "no such member" or "wrong password".
  if (!row && (await ctx.cluster.router.recheck())) return read();
  return row;
}

/** Parses a member id from a URL or body; malformed ids are a 404 like unknown ones. */
export function parseMemberId(text: string): bigint {
  const id = parseId(text);
  // An id stamped in the future was never minted here.
  if (id === null || timeOfId(id) > Date.now() + 86_400_000) throw notFound(`no member with id "${text.slice(0, 40)}"`);
  return id;
}

export async function getMember(ctx: OriginContext, tenantId: string, id: bigint): Promise<Member> {
  const row = await memberRow(ctx, tenantId, id);
  if (!row) throw notFound(`no member with id ${id}`);
  return presentMember(row);
}

// Hydration cache: every stream page hydrates its actors, and the same few hundred members
// appear on most pages. A few seconds of staleness (a new display name) is fine; profile
// changes and account deletion in this process evict at once.
const MEMBER_CACHE_TTL_MS = 5_000;
const memberCache = processCache<Member>(100_000, MEMBER_CACHE_TTL_MS);

export function forgetMember(ctx: OriginContext, tenantId: string, id: bigint): void {
  memberCache(ctx).delete(`${tenantId}:${id}`);
}

/** Loads many members: from the cache, then one query per physical shard for the rest. */
export async function hydrateMembers(
  ctx: OriginContext,
  tenantId: string,
  ids: Iterable<bigint>,
): Promise<Map<string, Member>> {
  const found = new Map<string, Member>();
  const cache = memberCache(ctx);
  const missing: bigint[] = [];
  for (const id of new Set(ids)) {
    const hit = cache.get(`${tenantId}:${id}`);
    if (hit) found.set(hit.id, hit);
    else missing.push(id);
  }
  if (missing.length === 0) return found;
  const groups = ctx.cluster.router.group(missing);
  // Raw and prepared: one statement text for any number of ids (drizzle's inArray builds and
  // Postgres plans a new text per list length; test/bench/home.ts measured it as the read's cost).
  await Promise.all(
    [...groups].map(async ([db, list]) => {
      const rows = await db.rows<{
        id: string;
        username: string;
        display_name: string;
        bio: string;
        created_at: Date | string;
      }>(
        `SELECT id::text, username, display_name, bio, created_at FROM members
         WHERE tenant_id = $1 AND id = ANY($2::bigint[]) AND deleted_at IS NULL`,
        [tenantId, list.map(String)],
      );
      for (const row of rows) {
        const member: Member = {
          id: row.id,
          username: row.username,
          displayName: row.display_name,
          bio: row.bio,
          createdAt: new Date(row.created_at).toISOString(),
        };
        found.set(member.id, member);
        cache.set(`${tenantId}:${member.id}`, member);
      }
    }),
  );
  return found;
}
