// Shared setup of the activity-stream benchmarks (fanout, home): the origin runtime over fresh
// benchmark shard databases AND a real Redis (timelines, activity bus, BullMQ queue), a tenant of
// the benchmark's own, friendships inserted in bulk (both sides, counters in step), and removal
// of everything the run left in Redis.
//   BENCH_REDIS_URL (redis://127.0.0.1:6379/9)  the Redis; a database number of its own keeps
//                                               the keys away from the test suites' db 0
import { randomBytes } from 'node:crypto';
import { createRuntime, type Runtime } from '../../origin/adapters.js';
import { ConfigSchema } from '../../origin/config.js';
import { openRedis, type RedisClient } from '../../origin/store/redis.js';
import type { Database } from '../../origin/store/shards/database.js';
import { TIMELINE_KEY_PREFIX } from '../../origin/store/timelines/timeline-store.js';
import { ensureTenant } from '../../origin/tenants/tenants.js';
import type { Tenant } from '../../shared/api.js';
import { type BenchDatabases, benchDatabaseUrls, recreateDatabases } from './support.js';

export const BENCH_REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/9';

export interface StreamsBench {
  runtime: Runtime;
  tenant: Tenant;
  urls: BenchDatabases;
  /** BullMQ namespace of this run (its keys are `{namespace}:...`). */
  namespace: string;
  /** The origin settings the runtime was started with (for further processes on the same stores). */
  settings: Record<string, string>;
  /** A connection of the benchmark's own, for checks and clean-up. */
  redis: RedisClient;
  /** Closes the runtime and removes this run's timelines and queue keys from Redis. */
  close(): Promise<void>;
}

/**
 * Recreates `shards` benchmark shard databases and a directory named after `prefix`, and starts
 * the origin runtime on them with REDIS_URL set (no processors, relay not started: the caller
 * decides). `config` adds environment settings (e.g. TIMELINE_MAX_LENGTH).
 */
export async function startStreamsBench(opts: {
  prefix: string;
  tenantId: string;
  shards: number;
  celebrityLimit?: number;
  config?: Record<string, string>;
}): Promise<StreamsBench> {
  const urls = benchDatabaseUrls(opts.prefix, opts.shards);
  await recreateDatabases(urls);
  const redis = openRedis(BENCH_REDIS_URL);
  // Timelines of an earlier run of this benchmark (same tenant) must not be taken as present.
  await unlinkMatching(redis, `${TIMELINE_KEY_PREFIX}{${opts.tenantId}*`);
  const namespace = `${opts.prefix}-${randomBytes(4).toString('hex')}`;
  const settings: Record<string, string> = {
    DATABASE_URL: urls.directory,
    DATABASE_URLS: urls.shards.join(','),
    REDIS_URL: BENCH_REDIS_URL,
    ORIGIN_SECRET: randomBytes(16).toString('hex'),
    LOG_LEVEL: 'silent',
    DEMO_SEED: 'false',
    ...(process.env.DATABASE_POOL_SIZE ? { DATABASE_POOL_SIZE: process.env.DATABASE_POOL_SIZE } : {}),
    ...opts.config,
  };
  const config = ConfigSchema.parse(settings);
  const runtime = await createRuntime(config, { inMemory: true, queueNamespace: namespace });
  const tenant = await ensureTenant(runtime.ctx, {
    id: opts.tenantId,
    slug: opts.tenantId,
    name: opts.tenantId,
    hosts: [`${opts.tenantId}.test`],
    ...(opts.celebrityLimit === undefined ? {} : { celebrityLimit: opts.celebrityLimit }),
  });
  return {
    runtime,
    tenant,
    urls,
    namespace,
    settings,
    redis,
    async close() {
      await runtime.close();
      await unlinkMatching(redis, `${TIMELINE_KEY_PREFIX}{${opts.tenantId}*`);
      await unlinkMatching(redis, `{${namespace}}:*`);
      redis.disconnect();
    },
  };
}

/** Deletes the keys matching a SCAN pattern (on one Redis). */
export async function unlinkMatching(redis: RedisClient, pattern: string): Promise<number> {
  let cursor = '0';
  let removed = 0;
  do {
    const [next, keys] = (await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 5000)) as [string, string[]];
    cursor = next;
    if (keys.length > 0) removed += await redis.unlink(...keys);
  } while (cursor !== '0');
  return removed;
}

/**
 * Inserts friendships straight into the shards: each pair on both members' databases (one
 * multi-row INSERT per database and batch), then sets every member's friend_count from the rows,
 * as setFriendshipSide keeps it. Pairs must be distinct and never a member with itself.
 */
export async function insertFriendships(
  runtime: Runtime,
  tenantId: string,
  pairs: readonly (readonly [bigint, bigint])[],
): Promise<void> {
  const { router } = runtime.ctx.cluster;
  const byDb = new Map<Database, { member: string[]; friend: string[] }>();
  const add = (member: bigint, friend: bigint) => {
    const db = router.forMember(member);
    let sides = byDb.get(db);
    if (!sides) {
      sides = { member: [], friend: [] };
      byDb.set(db, sides);
    }
    sides.member.push(member.toString());
    sides.friend.push(friend.toString());
  };
  for (const [a, b] of pairs) {
    add(a, b);
    add(b, a);
  }
  const BATCH = 20_000;
  await Promise.all(
    [...byDb].map(async ([db, sides]) => {
      for (let at = 0; at < sides.member.length; at += BATCH) {
        await db.rows(
          `insert into friendships (tenant_id, member_id, friend_id)
           select $1, unnest($2::bigint[]), unnest($3::bigint[]) on conflict do nothing`,
          [tenantId, sides.member.slice(at, at + BATCH), sides.friend.slice(at, at + BATCH)],
        );
      }
      await db.rows(
        `update members m set friend_count = c.n
         from (select member_id, count(*)::int as n from friendships where tenant_id = $1 group by member_id) c
         where m.tenant_id = $1 and m.id = c.member_id`,
        [tenantId],
      );
      // As autovacuum leaves an insert-only table: all-visible, so friend lists are index-only scans.
      await db.rows('vacuum analyze friendships');
      await db.rows('analyze members');
    }),
  );
}

/** Runs `task` over `items` with at most `concurrency` in flight. */
export async function forEachLimit<T>(
  items: readonly T[],
  concurrency: number,
  task: (item: T, index: number) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await task(items[i]!, i);
      }
    }),
  );
}

/** Shuffles in place with a seeded generator (runs stay comparable). */
export function shuffle<T>(list: T[], random: () => number): T[] {
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [list[i], list[j]] = [list[j]!, list[i]!];
  }
  return list;
}

/** A small seeded PRNG (mulberry32). */
export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
