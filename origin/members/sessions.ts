// Sessions the origin can end. The edge keeps a member's session in a signed cookie or URL token
// (stateless, so any edge isolate checks it without a lookup); what makes it endable is here:
// every member row has a session version and a short list of sessions ended one by one. A
// session is `<id>.<version>`, sent signed on every request (x-chorus-session); it is live while
// its version is the member's current one and its id is not on the list. Log out ends one
// session; log out everywhere, a new password and account deletion raise the version.
//
// Checking costs one Map lookup: each process keeps a member's session state for STATE_TTL_MS,
// and every change is announced over the activity bus, so other processes drop theirs at once
// (should a message be lost, within STATE_TTL_MS).
import { randomBytes } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { SessionInfo } from '../../shared/api.js';
import type { OriginContext } from '../context.js';
import { notFound } from '../http/problem.js';
import { processCache } from '../process-cache.js';
import { writeOnShard } from '../store/shards/fence.js';
import { members } from '../store/shards/schema-shard.js';

const STATE_TTL_MS = 10_000;
/** Sessions ended one by one that a member row remembers; past it, every session ends instead. */
const MAX_ENDED = 100;
/** Edge sessions last 30 days at most (edge/session/session-cookie.ts): older entries are moot. */
const ENDED_KEPT_MS = 31 * 86_400_000;
const SESSION_HEADER = /^([0-9a-f]{16})\.([0-9]{1,9})$/;

interface SessionState {
  version: number;
  ended: Set<string>;
}

/** 'gone': the member does not exist (or was deleted), so no session of theirs is live. */
const stateCache = processCache<SessionState | 'gone'>(200_000, STATE_TTL_MS);

export function newSessionId(): string {
  return randomBytes(8).toString('hex');
}

/** A new session for a member whose row (and so current version) was just read. */
export function beginSession(version: number): SessionInfo {
  return { id: newSessionId(), version };
}

/** This process forgets what it knew of a member's sessions (another process changed them). */
export function forgetSessions(ctx: OriginContext, tenantId: string, member: bigint): void {
  stateCache(ctx).delete(`${tenantId}:${member}`);
}

async function loadState(ctx: OriginContext, tenantId: string, member: bigint): Promise<SessionState | 'gone'> {
  const key = `${tenantId}:${member}`;
  const hit = stateCache(ctx).get(key);
  if (hit) return hit;
  const [row] = await ctx.cluster.router
    .forMember(member)
    .rows<{ session_version: number; ended_sessions: [string, number][] }>(
      `SELECT session_version, ended_sessions FROM members
       WHERE tenant_id = $1 AND id = $2 AND deleted_at IS NULL`,
      [tenantId, member.toString()],
    );
  const state: SessionState | 'gone' = row
    ? { version: row.session_version, ended: new Set(row.ended_sessions.map(([id]) => id)) }
    : 'gone';
  stateCache(ctx).set(key, state);
  return state;
}

/** Whether the session a request names is still live (malformed values are not). */
export async function isSessionLive(
  ctx: OriginContext,
  tenantId: string,
  member: bigint,
  header: string,
): Promise<boolean> {
  const match = SESSION_HEADER.exec(header);
  if (!match) return false;
  const state = await loadState(ctx, tenantId, member);
  return state !== 'gone' && state.version === Number(match[2]) && !state.ended.has(match[1]!);
}

/** Whether the member exists and was not deleted (a request naming no session: trusted callers). */
export async function isMemberLive(ctx: OriginContext, tenantId: string, member: bigint): Promise<boolean> {
  return (await loadState(ctx, tenantId, member)) !== 'gone';
}

/** The session id in a header value, or null when it is malformed. */
export function sessionIdOf(header: string): string | null {
  return SESSION_HEADER.exec(header)?.[1] ?? null;
}

/** Ends one session (a log-out). */
export async function endSession(ctx: OriginContext, tenantId: string, member: bigint, sessionId: string) {
  const now = Date.now();
  await writeOnShard(ctx.cluster, member, async (tx) => {
    const [row] = await tx
      .select({ ended: members.endedSessions })
      .from(members)
      .where(and(eq(members.tenantId, tenantId), eq(members.id, member)))
      .for('update');
    if (!row) throw notFound('no such member');
    const kept = row.ended.filter(([id, at]) => id !== sessionId && now - at < ENDED_KEPT_MS);
    if (kept.length >= MAX_ENDED) {
      // Remembering every log-out for a month would grow the row without bound: end them all.
      await tx
        .update(members)
        .set({ sessionVersion: sql`${members.sessionVersion} + 1`, endedSessions: [] })
        .where(and(eq(members.tenantId, tenantId), eq(members.id, member)));
      return;
    }
    await tx
      .update(members)
      .set({ endedSessions: [...kept, [sessionId, now]] })
      .where(and(eq(members.tenantId, tenantId), eq(members.id, member)));
  });
  await sessionsChanged(ctx, tenantId, member);
}

/**
 * Ends every session of the member (log out everywhere, a new password, deletion) and returns the
 * new version, for the session that may begin now (after a password change, this device's).
 */
export async function endAllSessions(ctx: OriginContext, tenantId: string, member: bigint): Promise<number> {
  const [row] = await writeOnShard(ctx.cluster, member, (tx) =>
    tx
      .update(members)
      .set({ sessionVersion: sql`${members.sessionVersion} + 1`, endedSessions: [] })
      .where(and(eq(members.tenantId, tenantId), eq(members.id, member), isNull(members.deletedAt)))
      .returning({ version: members.sessionVersion }),
  );
  if (!row) throw notFound('no such member');
  await sessionsChanged(ctx, tenantId, member);
  return row.version;
}

/** This process at once, every other one over the bus (a lost message costs up to STATE_TTL_MS). */
export async function sessionsChanged(ctx: OriginContext, tenantId: string, member: bigint): Promise<void> {
  forgetSessions(ctx, tenantId, member);
  await ctx.activity
    .noteMemberChanged(tenantId, member)
    .catch((err) => ctx.log.warn({ err }, 'activity bus publish failed'));
}
