// Every write to a member's rows goes through writeOnShard: the transaction first checks the
// shard's write fence. While a logical shard (or one member) moves to another database the mover
// raises the fence, waits for transactions that began before it, copies the last changes and
// flips the map; a writer that meets the fence reloads the map and retries on the new database.
import { inArray } from 'drizzle-orm';
import { SHARD_BITS, SHARD_SHIFT, shardOfId } from '../../../shared/ids.js';
import type { Cluster } from './cluster.js';
import type { Database, Db } from './database.js';
import { shardFences } from './schema-shard.js';

export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export class ShardMovedError extends Error {}

/** Fence keys that stop writes for a member: its whole logical shard, or the member alone. */
export function fenceKeys(memberId: bigint): string[] {
  return [`L:${shardOfId(memberId)}`, `M:${memberId}`];
}

/** fenceKeys in SQL: a condition on `key` that matches either fence key of the member in `column`. */
export function fenceKeysMatchSql(key: string, column: string): string {
  const logicalShard = `((${column} >> ${SHARD_SHIFT}) & ${(1n << SHARD_BITS) - 1n})`;
  return `(${key} = 'L:' || ${logicalShard} OR ${key} = 'M:' || ${column})`;
}

const MAX_ATTEMPTS = 100;

export async function writeOnShard<T>(
  cluster: Pick<Cluster, 'router'>,
  ownerId: bigint,
  fn: (tx: Tx, db: Database) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const db = cluster.router.forMember(ownerId);
    try {
      return await db.db.transaction(async (tx) => {
        const fenced = await tx
          .select({ key: shardFences.key })
          .from(shardFences)
          .where(inArray(shardFences.key, fenceKeys(ownerId)));
        if (fenced.length > 0) throw new ShardMovedError(`rows of member ${ownerId} are moving off ${db.name}`);
        return fn(tx, db);
      });
    } catch (err) {
      if (!(err instanceof ShardMovedError) || attempt >= MAX_ATTEMPTS) throw err;
      await retryPause(cluster, attempt);
    }
  }
}

/** Between attempts: wait a little (the mover is finishing) and reload the shard map. */
export async function retryPause(cluster: Pick<Cluster, 'router'>, attempt: number): Promise<void> {
  await new Promise((r) => setTimeout(r, Math.min(10 * attempt, 100)));
  await cluster.router.load();
}
