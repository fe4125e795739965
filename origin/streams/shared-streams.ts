// Streams everyone may read: the tenant's public stream (front page), hashtag streams and place
// streams. Each is one timeline per tenant (per tag, per place) holding public events; its
// durable source (and rebuild) is every shard (scatter-gather).
import type { StreamPage, Tenant } from '../../shared/api.js';
import type { EventType } from '../../shared/events.js';
import type { OriginContext } from '../context.js';
import type { TimelineRef } from '../store/timelines/timeline-store.js';
import { decodeCursor } from './cursor.js';
import { prefetchFirstPage, readPage, timelineSkeleton } from './page.js';
import { belongsInShared, loadViewer } from './rules.js';
import { sharedSource } from './timelines.js';

export async function readShared(
  ctx: OriginContext,
  tenant: Tenant,
  ref: TimelineRef,
  viewerId: bigint | null,
  cursor: string | undefined,
  limit: number,
  types?: EventType[],
): Promise<StreamPage> {
  const olderThan = decodeCursor(tenant.id, cursor);
  const first = prefetchFirstPage(ctx, ref, olderThan, limit); // beside the viewer's queries
  const viewer = await loadViewer(ctx, tenant.id, viewerId);
  return readPage(ctx, {
    tenantId: tenant.id,
    viewer,
    olderThan,
    limit,
    types,
    rule: belongsInShared,
    skeleton: timelineSkeleton(ctx, ref, sharedSource(ctx, ref, { partialOk: true }), first),
  });
}
