// The adapters each contract suite runs against: always the embedded/in-process one, plus the
// real service when the test environment names it.
import { randomBytes } from 'node:crypto';
import { MemoryNonces, type NonceStore, RedisNonces } from '../../origin/store/nonces/nonce-store.js';
import { BullmqQueue } from '../../origin/store/queue/bullmq-queue.js';
import { InProcessQueue } from '../../origin/store/queue/in-process-queue.js';
import type { JobQueue } from '../../origin/store/queue/job-queue.js';
import { openRedis } from '../../origin/store/redis.js';
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

export function timelineAdapters(maxLength: number): Adapter<TimelineStore>[] {
  const list: Adapter<TimelineStore>[] = [{ name: 'memory', open: async () => new MemoryTimelines(maxLength) }];
  if (redisUrl) list.push({ name: 'redis', open: async () => new RedisTimelines(openRedis(redisUrl), maxLength) });
  return list;
}

export function queueAdapters(): Adapter<JobQueue>[] {
  const list: Adapter<JobQueue>[] = [{ name: 'in-process', open: async () => new InProcessQueue() }];
  if (redisUrl) {
    list.push({
      name: 'bullmq',
      open: async () => new BullmqQueue(redisUrl, `contract-${randomBytes(4).toString('hex')}`),
    });
  }
  return list;
}

export function nonceAdapters(): Adapter<NonceStore>[] {
  const list: Adapter<NonceStore>[] = [{ name: 'memory', open: async () => new MemoryNonces() }];
  if (redisUrl) list.push({ name: 'redis', open: async () => new RedisNonces(openRedis(redisUrl)) });
  return list;
}

export function databaseAdapters(): Adapter<Database>[] {
  const list: Adapter<Database>[] = [{ name: 'pglite', open: () => openPglite({ name: 'contract-pglite' }) }];
  if (dbUrls)
    list.push({ name: 'postgres', open: async () => openPostgres({ name: 'contract-pg', url: dbUrls.shards[0]! }) });
  return list;
}

/** A tenant id no other test uses, so suites can share a real Redis or database. */
export const uniqueTenant = () => `c${randomBytes(6).toString('hex')}`;
