// Where the origin suites find their services: real PostgreSQL / Redis when TEST_DATABASE_URL /
// TEST_REDIS_URL are set (CI sets both), embedded PGlite and in-process adapters otherwise.
export const TEST_SHARDS = 4;

export interface TestDatabases {
  directory: string;
  shards: string[];
}

/**
 * The shared test databases (a directory and TEST_SHARDS shards), or, with `set`, a separate
 * group for tests that change the shard map or raise write fences (moves), so they cannot
 * disturb suites running in parallel.
 */
export function testDatabaseUrls(set?: { name: string; shards: number }): TestDatabases | null {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) return null;
  const url = new URL(base);
  const baseName = url.pathname.replace(/^\//, '') || 'chorus_test';
  const name = set ? `${baseName}_${set.name}` : baseName;
  const shardCount = set?.shards ?? TEST_SHARDS;
  const withDb = (db: string) => {
    const u = new URL(url);
    u.pathname = `/${db}`;
    return u.toString();
  };
  return {
    directory: withDb(name),
    shards: Array.from({ length: shardCount }, (_, i) => withDb(`${name}_shard_${i}`)),
  };
}

export function testRedisUrl(): string | null {
  return process.env.TEST_REDIS_URL || null;
}

/** Separate database groups some suites use; global setup creates them. */
export const ISOLATED_SETS = [
  { name: 'moves', shards: 3 },
  // Moves watched by two origin processes and made by the CLI (their relays take this set's outbox).
  { name: 'moves2', shards: 3 },
  // Origin processes the e2e tests stop (their relays take the outbox records of their databases).
  { name: 'processes', shards: 2 },
  // One shard taken away under the edge (test/e2e/hardening-through-the-edge.test.ts).
  { name: 'edgedown', shards: 4 },
  { name: 'down', shards: 4 },
  // 100,000 one-sided friendships: no other suite's relay or consistency check may meet them.
  { name: 'bigfanout', shards: 2 },
] as const;
