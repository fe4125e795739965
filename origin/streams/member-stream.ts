// A member's own stream (profile page): their ORI, with each event's audience checked for the
// viewer (strangers and anonymous visitors see public events only; blocked viewers nothing).
import type { StreamPage, Tenant } from '../../shared/api.js';
import type { EventType } from '../../shared/events.js';
import type { OriginContext } from '../context.js';
import { getMember } from '../members/members.js';
import type { TimelineRef } from '../store/timelines/timeline-store.js';
import { decodeCursor } from './cursor.js';
import { prefetchFirstPage, readPage, timelineSkeleton } from './page.js';
import { postedRecently } from './recent.js';
import { canSee, loadViewer } from './rules.js';
import { oriSource } from './timelines.js';

export async function readMemberStream(
  ctx: OriginContext,
  tenant: Tenant,
  viewerId: bigint | null,
  memberId: bigint,
  cursor: string | undefined,
  limit: number,
  types?: EventType[],
): Promise<StreamPage> {
  const olderThan = decodeCursor(tenant.id, cursor);
  await getMember(ctx, tenant.id, memberId); // 404 for unknown members
  const ori: TimelineRef = { tenant: tenant.id, kind: 'ori', owner: memberId.toString() };
  // Someone who just posted: the first page from their shard, so the post is on it at once.
  const fresh = olderThan === null && postedRecently(ctx, memberId);
  const first = fresh ? undefined : prefetchFirstPage(ctx, ori, olderThan, limit); // beside the viewer's queries
  const viewer = await loadViewer(ctx, tenant.id, viewerId);
  return readPage(ctx, {
    tenantId: tenant.id,
    viewer,
    olderThan,
    limit,
    types,
    rule: canSee,
    skeleton: fresh
      ? async (position, want) => {
          const entries = await oriSource(ctx, tenant.id, memberId)(position, want);
          return { entries, exhausted: entries.length < want };
        }
      : timelineSkeleton(ctx, ori, oriSource(ctx, tenant.id, memberId), first),
  });
}
