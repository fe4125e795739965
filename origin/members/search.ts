// Member search by name prefix: one of the reads that must ask every shard, so it goes through
// the scatter-gather layer (per-shard timeout, merge, limit, partial when a shard is silent).
import type { Member } from '../../shared/api.js';
import type { OriginContext } from '../context.js';
import { scatterGather } from '../store/shards/scatter.js';

interface Row extends Record<string, unknown> {
  id: bigint;
  username: string;
  display_name: string;
  bio: string;
  created_at: Date | string;
}

const SEARCH_SQL = `
SELECT id, username, display_name, bio, created_at FROM members
WHERE tenant_id = $1 AND deleted_at IS NULL
  AND (lower(display_name) LIKE $2 ESCAPE '\\' OR username LIKE $2 ESCAPE '\\')
ORDER BY lower(display_name), id
LIMIT $3`;

export async function searchMembers(
  ctx: OriginContext,
  tenantId: string,
  prefix: string,
  limit: number,
): Promise<{ members: Member[]; partial: boolean }> {
  const pattern = `${prefix.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
  const result = await scatterGather(
    ctx.cluster.router.physical,
    (db, limits) => db.rows<Row>(SEARCH_SQL, [tenantId, pattern, limit], limits),
    {
      timeoutMs: ctx.config.SHARD_TIMEOUT_MS,
      stale: true,
      limit,
      compare: (a, b) =>
        a.display_name.toLowerCase().localeCompare(b.display_name.toLowerCase()) || (a.id < b.id ? -1 : 1),
    },
  );
  return {
    members: result.rows.map((r) => ({
      id: String(r.id),
      username: r.username,
      displayName: r.display_name,
      bio: r.bio,
      createdAt: new Date(r.created_at).toISOString(),
    })),
    partial: result.partial,
  };
}
