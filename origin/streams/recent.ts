// Read-your-writes: fan-out is asynchronous, so a post may not be in its timelines for a moment
// (or, with a backlog, for longer). A member who posted within RECENT_MS — the activity index
// knows, in the process that wrote the post at once and in every other over the bus — has their
// newest posts read from their shard where a stream must show them: their own home page, and any
// profile page of theirs. Everyone else costs nothing extra.
import { timeOfId } from '../../shared/ids.js';
import type { OriginContext } from '../context.js';
import type { TimelineEntry } from '../store/timelines/timeline-store.js';
import { oriSource } from './timelines.js';

const RECENT_MS = 120_000;

export function postedRecently(ctx: OriginContext, member: bigint): boolean {
  return ctx.activity.activeSince([member], Date.now() - RECENT_MS).length > 0;
}

/** The member's own posts of the last RECENT_MS, newest first (none when they posted nothing since). */
export async function ownRecentEntries(
  ctx: OriginContext,
  tenantId: string,
  member: bigint,
  limit: number,
): Promise<TimelineEntry[]> {
  if (!postedRecently(ctx, member)) return [];
  const since = Date.now() - RECENT_MS;
  const entries = await oriSource(ctx, tenantId, member)(null, limit);
  return entries.filter((e) => timeOfId(BigInt(e.id)) >= since);
}
