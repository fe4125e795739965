// The one explicit cross-shard read path. A query runs on every physical database at once, each
// with its own timeout; results are merged, sorted and cut to the limit, and the answer says
// which databases did not answer (partial) instead of failing or hanging the whole read.
import type { Database, QueryOptions } from './database.js';

export interface ScatterOptions<T> {
  /** Per-database timeout. */
  timeoutMs?: number;
  /** Sort order for the merged rows; omit to keep arrival order. */
  compare?: (a: T, b: T) => number;
  limit?: number;
  /** Read from each shard's replica where one is configured. */
  stale?: boolean;
}

export interface ScatterResult<T> {
  rows: T[];
  partial: boolean;
  /** Databases that failed or timed out, with the reason. */
  missing: { shard: string; reason: string }[];
}

/**
 * Runs `query` on every database at once. It gets the per-database timeout to pass to
 * Database.rows, which cancels the query on the server when the time is up: a shard that is
 * slow to answer must not keep working on a query nobody waits for any more.
 */
export async function scatterGather<T>(
  databases: readonly Database[],
  query: (db: Database, limits: QueryOptions) => Promise<T[]>,
  opts: ScatterOptions<T> = {},
): Promise<ScatterResult<T>> {
  const timeoutMs = opts.timeoutMs ?? 1000;
  const settled = await Promise.all(
    databases.map(async (db) => {
      let timer: NodeJS.Timeout | undefined;
      try {
        const rows = await Promise.race([
          query(opts.stale && db.replica ? db.replica : db, { timeoutMs }),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs);
          }),
        ]);
        return { db, rows };
      } catch (err) {
        return { db, error: (err as Error).message };
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  const missing = settled.filter((s) => 'error' in s).map((s) => ({ shard: s.db.name, reason: s.error! }));
  let rows = settled.flatMap((s) => ('rows' in s ? s.rows! : []));
  if (opts.compare) rows.sort(opts.compare);
  if (opts.limit !== undefined) rows = rows.slice(0, opts.limit);
  return { rows, partial: missing.length > 0, missing };
}
