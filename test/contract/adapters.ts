// The adapters each contract suite runs against: always the embedded/in-process one, plus the
// real service when the test environment names it. The cluster project (test/cluster) points
// TEST_REDIS_URL at a Redis Cluster and runs the same suites on the Redis-backed adapters only.
import { randomBytes } from 'node:crypto';
import { MemoryNonces, type NonceStore, RedisNonces } from '../../origin/store/nonces/nonce-store.js';
import { BullmqQueue } from '../../origin/store/queue/bullmq-queue.js';
import { InProcessQueue } from '../../origin/store/queue/in-process-queue.js';
import type { JobQueue } from '../../origin/store/queue/job-queue.js';
import { isClusterUrl, openRedis } from '../../origin/store/redis.js';
import { type Database, openPglite, openPostgres } from '../../origin/store/shards/database.js';
import { MemoryTimelines } from '../../origin/store/timelines/memory-timelines.js';
import { RedisTimelines } from '../../origin/store/timelines/redis-timelines.js';
import type { TimelineStore } from '../../origin/store/timelines/timeline-store.js';
import { testDatabaseUrls, testRedisUrl } from '../support/services.js';

export interface Adapter<T> {
  name: string;
  open(): Promise<T>;
}

const redisUrl = testRedisUrl();
const dbUrls = testDatabaseUrls();
const EMBEDDED = new Set(['memory', 'in-process', 'pglite']);
const onRedisCluster = redisUrl !== null && isClusterUrl(redisUrl);

/** On a Redis Cluster (the cluster project) the embedded adapters were already covered by the origin project. */
function forProject<T>(list: Adapter<T>[]): Adapter<T>[] {
  return onRedisCluster ? list.filter((a) => !EMBEDDED.has(a.name)) : list;
}

export function timelineAdapters(maxLength: number, idleTtlMs = 3_600_000): Adapter<TimelineStore>[] {
  const list: Adapter<TimelineStore>[] = [
    { name: 'memory', open: async () => new MemoryTimelines({ maxLength, idleTtlMs }) },
  ];
  if (redisUrl)
    list.push({ name: 'redis', open: async () => new RedisTimelines(openRedis(redisUrl), { maxLength, idleTtlMs }) });
  return forProject(list);
}

/** Retries quickly and gives up early, so a test sees a job become a dead letter in moments. */
export const QUICK_RETRIES = { attempts: 3, retryDelay: () => 50 };

export function queueAdapters(retries?: typeof QUICK_RETRIES): Adapter<JobQueue>[] {
  const list: Adapter<JobQueue>[] = [{ name: 'in-process', open: async () => new InProcessQueue(retries) }];
  if (redisUrl) {
    list.push({
      name: 'bullmq',
      open: async () => new BullmqQueue(redisUrl, `contract-${randomBytes(4).toString('hex')}`, retries),
    });
  }
  return forProject(list);
}

export function nonceAdapters(): Adapter<NonceStore>[] {
  const list: Adapter<NonceStore>[] = [{ name: 'memory', open: async () => new MemoryNonces() }];
  if (redisUrl) list.push({ name: 'redis', open: async () => new RedisNonces(openRedis(redisUrl)) });
  return forProject(list);
}

export function databaseAdapters(): Adapter<Database>[] {
  const list: Adapter<Database>[] = [{ name: 'pglite', open: () => openPglite({ name: 'contract-pglite' }) }];
  if (dbUrls)
    list.push({ name: 'postgres', open: async () => openPostgres({ name: 'contract-pg', url: dbUrls.shards[0]! }) });
  return forProject(list);
}

/** A tenant id no other test uses, so suites can share a real Redis or database. */
export const uniqueTenant = () => `c${randomBytes(6).toString('hex')}`;
