// Opens the directory and every physical shard, applies migrations, and hands out the router.
// Real PostgreSQL when URLs are configured; otherwise one embedded PGlite database that holds
// the directory and all logical shards (the bare-machine default for `npm start`).
import { fileURLToPath } from 'node:url';
import { type Database, openPglite, openPostgres } from './database.js';
import { ensurePartitions } from './partitions.js';
import { ShardRouter } from './router.js';

const MIGRATIONS = fileURLToPath(new URL('../migrations/', import.meta.url));

export interface ClusterConfig {
  directoryUrl?: string;
  shardUrls?: string[];
  /** Read replica per shard, aligned with shardUrls; empty entries mean none. */
  replicaUrls?: string[];
  /** Embedded mode: where PGlite keeps its files; undefined = in memory. */
  dataDir?: string;
  maxConnectionsPerShard?: number;
  /** statement_timeout on every connection, and how long rows() waits (database.ts). */
  statementTimeoutMs?: number;
  queryTimeoutMs?: number;
  onShardError?: (shard: Database, err: unknown) => void;
  /** Reloading the shard map failed (the directory did not answer); the old map stays in use. */
  onMapError?: (err: unknown) => void;
}

export interface Cluster {
  directory: Database;
  router: ShardRouter;
  /** Every distinct database (directory may be one of the shards). */
  all(): Database[];
  close(): Promise<void>;
}

export async function openCluster(config: ClusterConfig): Promise<Cluster> {
  let directory: Database;
  let shards: Database[];
  if (config.shardUrls && config.shardUrls.length > 0) {
    const timeouts = { statementTimeoutMs: config.statementTimeoutMs, queryTimeoutMs: config.queryTimeoutMs };
    shards = config.shardUrls.map((url, i) =>
      openPostgres({
        name: `shard-${i}`,
        url,
        maxConnections: config.maxConnectionsPerShard,
        replicaUrl: config.replicaUrls?.[i] || undefined,
        ...timeouts,
      }),
    );
    directory = config.directoryUrl
      ? openPostgres({ name: 'directory', url: config.directoryUrl, ...timeouts })
      : shards[0]!;
  } else {
    const embedded = await openPglite({ name: 'embedded', dataDir: config.dataDir });
    directory = embedded;
    shards = [embedded];
  }
  await migrateCluster(directory, shards, config.onShardError);
  const router = new ShardRouter(shards, directory);
  await router.load();
  await router.watch((err) => config.onMapError?.(err));
  const all = [...new Set([directory, ...shards])];
  return {
    directory,
    router,
    all: () => all,
    async close() {
      await router.unwatch();
      await Promise.all(all.map((db) => db.close()));
    },
  };
}

/** Applies versioned migrations to the directory and every shard; safe to run again. */
export async function migrateCluster(
  directory: Database,
  shards: Database[],
  onShardError?: (shard: Database, err: unknown) => void,
): Promise<void> {
  await directory.migrate(`${MIGRATIONS}directory`, '__chorus_directory_migrations');
  for (const shard of shards) {
    try {
      await shard.migrate(`${MIGRATIONS}shard`, '__chorus_shard_migrations');
      // Partitions for this month and the next few exist before the first write.
      await ensurePartitions(shard);
    } catch (err) {
      // One database down must not stop the others from serving; /readyz names it and its
      // members get 503 until it is back (migrations run again at the next start).
      if (shards.length === 1) throw err;
      onShardError?.(shard, err);
    }
  }
}
