import type { Cluster, Redis } from 'ioredis';
import { timeOfId } from '../../../shared/ids.js';
import {
  compareIdsDesc,
  type TimelineRef,
  type TimelineStore,
  type TimelineWrite,
  timelineKey,
} from './timeline-store.js';

/**
 * Keeps timelines in Redis's compact listpack encoding (about 20 bytes an entry instead of about
 * 120 in a skiplist; test/bench/filter.ts measures it) by raising the entry limit above the
 * timeline length. Managed Redis may forbid CONFIG; then timelines work, only bigger.
 */
export async function tuneForTimelines(redis: Redis | Cluster, maxLength: number): Promise<string | null> {
  try {
    const [, current] = (await redis.config('GET', 'zset-max-listpack-entries')) as [string, string];
    if (Number(current) < maxLength) await redis.config('SET', 'zset-max-listpack-entries', String(maxLength));
    return null;
  } catch (err) {
    return `could not raise zset-max-listpack-entries: ${(err as Error).message}`;
  }
}

export class RedisTimelines implements TimelineStore {
  constructor(
    private readonly redis: Redis | Cluster,
    private readonly maxLength: number,
  ) {}

  async add(writes: TimelineWrite[]): Promise<void> {
    if (writes.length === 0) return;
    // One pipeline per call: a fan-out batch costs one round trip, not one per recipient.
    const pipeline = this.redis.pipeline();
    const touched = new Set<string>();
    for (const w of writes) {
      const key = timelineKey(w.timeline);
      pipeline.zadd(key, w.ms, w.itemId);
      touched.add(key);
    }
    for (const key of touched) pipeline.zremrangebyrank(key, 0, -this.maxLength - 1);
    const results = await pipeline.exec();
    const failed = results?.find(([err]) => err);
    if (failed) throw failed[0];
  }

  async page(timeline: TimelineRef, olderThan: bigint | null, limit: number): Promise<string[]> {
    const key = timelineKey(timeline);
    if (olderThan === null) return this.redis.zrevrange(key, 0, limit - 1);
    // Scores are milliseconds; several ids can share one. Fetch from the cursor's millisecond
    // (inclusive) with headroom and drop those not strictly older than the cursor.
    const max = timeOfId(olderThan);
    const headroom = 64;
    const ids = await this.redis.zrevrangebyscore(key, max, '-inf', 'LIMIT', 0, limit + headroom);
    return ids
      .filter((id) => BigInt(id) < olderThan)
      .sort(compareIdsDesc)
      .slice(0, limit);
  }

  async remove(timeline: TimelineRef, itemIds: string[]): Promise<void> {
    if (itemIds.length > 0) await this.redis.zrem(timelineKey(timeline), ...itemIds);
  }

  async exists(timeline: TimelineRef): Promise<boolean> {
    return (await this.redis.exists(timelineKey(timeline))) === 1;
  }

  async clear(timeline: TimelineRef): Promise<void> {
    await this.redis.del(timelineKey(timeline));
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
