// A job that must happen even if Redis is down right now or loses its queue: written to the
// owner's outbox (behind their shard's write fence) and handed to the relay, which queues it now
// or when Redis is back, and again until the job reports back done (jobs/outbox-relay.ts).
import type { OriginContext } from '../context.js';
import { fenceKeys, retryPause } from '../store/shards/fence.js';
import type { OutboxRecord } from './outbox-relay.js';

const INSERT_SQL = `
WITH fence AS (SELECT 1 FROM shard_fences WHERE key = ANY($5::text[]))
INSERT INTO outbox (tenant_id, owner_id, kind, payload)
SELECT $1, $2::bigint, $3, $4::jsonb WHERE NOT EXISTS (SELECT 1 FROM fence)
RETURNING seq::text AS seq, created_at::text AS created_at, owner_id::text AS owner_id, tenant_id, kind, payload`;

/** Queues job `kind` with `payload` (plus the tenant) through `owner`'s outbox. */
export async function queueDurably(
  ctx: OriginContext,
  tenantId: string,
  owner: bigint,
  kind: string,
  payload: Record<string, string>,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const db = ctx.cluster.router.forMember(owner);
    const rows = await db.rows<OutboxRecord>(INSERT_SQL, [
      tenantId,
      owner.toString(),
      kind,
      JSON.stringify(payload),
      fenceKeys(owner),
    ]);
    if (rows.length > 0) {
      ctx.dispatchOutbox(db, rows);
      return;
    }
    // The owner's shard is moving: write where it moves to once the fence is up.
    if (attempt >= 100) throw new Error(`member ${owner}'s shard stays fenced`);
    await retryPause(ctx.cluster, attempt);
  }
}
