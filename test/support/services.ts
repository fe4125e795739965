// Where the origin suites find their services: real PostgreSQL / Redis when TEST_DATABASE_URL /
// TEST_REDIS_URL are set (CI sets both), embedded PGlite and in-process adapters otherwise.
export const TEST_SHARDS = 4;

export function testDatabaseUrls(): { directory: string; shards: string[] } | null {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) return null;
  const url = new URL(base);
  const name = url.pathname.replace(/^\//, '') || 'chorus_test';
  const withDb = (db: string) => {
    const u = new URL(url);
    u.pathname = `/${db}`;
    return u.toString();
  };
  return {
    directory: withDb(name),
    shards: Array.from({ length: TEST_SHARDS }, (_, i) => withDb(`${name}_shard_${i}`)),
  };
}

export function testRedisUrl(): string | null {
  return process.env.TEST_REDIS_URL || null;
}
