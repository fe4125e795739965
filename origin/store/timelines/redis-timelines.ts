import calculateSlot from 'cluster-key-slot';
import { Cluster, type Redis } from 'ioredis';
import { EVENT_TYPES } from '../../../shared/events.js';
import { timeOfId } from '../../../shared/ids.js';
import { pingRedis } from '../redis.js';
import {
  entryOfScore,
  entryScore,
  MARKER_BUILDING,
  MARKER_READY,
  scoreCeiling,
  type TimelineEntry,
  type TimelineOptions,
  type TimelineRef,
  type TimelineState,
  type TimelineStore,
  type TimelineWrite,
  timelineKey,
} from './timeline-store.js';

/**
 * Keeps timelines in Redis's compact listpack encoding (about 20 bytes an entry instead of about
 * 120 in a skiplist; test/bench/filter.ts measures it) by raising the entry limit above the
 * timeline length. Managed Redis may forbid CONFIG; then timelines work, only bigger.
 */
export async function tuneForTimelines(
  redis: Redis | Cluster,
  maxLength: number,
  compact = true,
): Promise<string | null> {
  try {
    const nodes = redis instanceof Cluster ? redis.nodes('master') : [redis];
    for (const node of nodes) {
      const [, current] = (await node.config('GET', 'zset-max-listpack-entries')) as [string, string];
      // Headroom above the length: a batch adds before it trims, and one entry past the limit
      // would turn the timeline into a skiplist for good (about 6x the memory).
      const wanted = compact ? maxLength + LISTPACK_HEADROOM : REDIS_DEFAULT_LISTPACK_ENTRIES;
      if (compact ? Number(current) < wanted : Number(current) !== wanted)
        await node.config('SET', 'zset-max-listpack-entries', String(wanted));
    }
    return null;
  } catch (err) {
    return `could not raise zset-max-listpack-entries: ${(err as Error).message}`;
  }
}

// One script call adds a batch to many timelines (a fan-out batch is one round trip and one
// command, not one per recipient), skipping timelines that do not exist. On a cluster, keys
// must share a slot per call, so batches are split by slot and auto-pipelined per node.
// ARGV: maxLength, idle ttl; then per key: count, then count × (score, member).
const ADD_SCRIPT = `
local max = tonumber(ARGV[1])
local pos = 3
local landed = 0
for i = 1, #KEYS do
  local n = tonumber(ARGV[pos])
  pos = pos + 1
  if redis.call('EXISTS', KEYS[i]) == 1 then
    for j = 1, n do
      redis.call('ZADD', KEYS[i], ARGV[pos], ARGV[pos + 1])
      pos = pos + 2
    end
    redis.call('ZREMRANGEBYRANK', KEYS[i], 1, -(max + 1))
    landed = landed + n
  else
    pos = pos + 2 * n
  end
end
return landed`;

const STATE_SCRIPT = `
local state = 0
if redis.call('ZSCORE', KEYS[1], '${MARKER_READY}') then state = 2
elseif redis.call('ZSCORE', KEYS[1], '${MARKER_BUILDING}') then state = 1 end
if state > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return state`;

const BEGIN_SCRIPT = `
if not redis.call('ZSCORE', KEYS[1], '${MARKER_READY}') then
  redis.call('ZADD', KEYS[1], 0, '${MARKER_BUILDING}')
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return 0`;

type Scripted = {
  timelineAdd(numKeys: number, ...args: (string | number)[]): Promise<number>;
  timelineState(key: string, ttl: number): Promise<number>;
  timelineBegin(key: string, ttl: number): Promise<number>;
};

const REDIS_DEFAULT_LISTPACK_ENTRIES = 128;

/** Entries a timeline may briefly hold above its length (within one add, before the trim). */
const LISTPACK_HEADROOM = 256;

/** Keys per script call on a single Redis: bounds how long one call holds the server. */
const KEYS_PER_CALL = 500;

export class RedisTimelines implements TimelineStore {
  private readonly redis: (Redis | Cluster) & Scripted;
  private readonly isCluster: boolean;

  constructor(
    redis: Redis | Cluster,
    private readonly opts: TimelineOptions,
  ) {
    redis.defineCommand('timelineAdd', { lua: ADD_SCRIPT });
    redis.defineCommand('timelineState', { lua: STATE_SCRIPT, numberOfKeys: 1 });
    redis.defineCommand('timelineBegin', { lua: BEGIN_SCRIPT, numberOfKeys: 1 });
    this.redis = redis as (Redis | Cluster) & Scripted;
    this.isCluster = redis instanceof Cluster;
  }

  async add(writes: TimelineWrite[]): Promise<number> {
    if (writes.length === 0) return 0;
    const perKey = new Map<string, (string | number)[]>();
    for (const w of writes) {
      const key = timelineKey(w.timeline);
      let list = perKey.get(key);
      if (!list) {
        list = [];
        perKey.set(key, list);
      }
      list.push(entryScore(w.ms, w.entry.type), w.entry.id);
    }
    const groups: string[][] = [];
    if (this.isCluster) {
      const bySlot = new Map<number, string[]>();
      for (const key of perKey.keys()) {
        const slot = calculateSlot(key);
        const g = bySlot.get(slot);
        if (g) g.push(key);
        else bySlot.set(slot, [key]);
      }
      groups.push(...bySlot.values());
    } else {
      const keys = [...perKey.keys()];
      for (let i = 0; i < keys.length; i += KEYS_PER_CALL) groups.push(keys.slice(i, i + KEYS_PER_CALL));
    }
    const landed = await Promise.all(
      groups.map((keys) => {
        const args: (string | number)[] = [this.opts.maxLength, this.opts.idleTtlMs];
        for (const key of keys) {
          const pairs = perKey.get(key)!;
          args.push(pairs.length / 2, ...pairs);
        }
        return this.redis.timelineAdd(keys.length, ...keys, ...args);
      }),
    );
    return landed.reduce((a, b) => a + Number(b), 0);
  }

  async page(
    timeline: TimelineRef,
    olderThan: bigint | null,
    limit: number,
    sinceMs?: number,
  ): Promise<TimelineEntry[]> {
    // Scores order by millisecond then type, not by id within one millisecond: fetch with
    // headroom from the cursor's millisecond (inclusive), order by id, keep those strictly older.
    const max = olderThan === null ? '+inf' : scoreCeiling(timeOfId(olderThan));
    const headroom = 64;
    const min = sinceMs === undefined || sinceMs <= 0 ? '(0' : entryScore(sinceMs, EVENT_TYPES[0]!);
    const reply = await this.redis.zrevrangebyscore(
      key(timeline),
      max,
      min,
      'WITHSCORES',
      'LIMIT',
      0,
      limit + headroom,
    );
    const found: { entry: TimelineEntry; id: bigint }[] = [];
    for (let i = 0; i < reply.length; i += 2) {
      const entry = entryOfScore(reply[i]!, Number(reply[i + 1]));
      if (!entry) continue;
      const id = BigInt(entry.id);
      if (olderThan === null || id < olderThan) found.push({ entry, id });
    }
    found.sort((a, b) => (a.id > b.id ? -1 : a.id < b.id ? 1 : 0));
    return found.slice(0, limit).map((f) => f.entry);
  }

  async remove(timeline: TimelineRef, entries: TimelineEntry[]): Promise<void> {
    if (entries.length > 0) await this.redis.zrem(timelineKey(timeline), ...entries.map((e) => e.id));
  }

  async state(timeline: TimelineRef): Promise<TimelineState> {
    const s = await this.redis.timelineState(timelineKey(timeline), this.opts.idleTtlMs);
    return s === 2 ? 'ready' : s === 1 ? 'building' : 'missing';
  }

  async beginRebuild(timeline: TimelineRef): Promise<void> {
    await this.redis.timelineBegin(timelineKey(timeline), this.opts.idleTtlMs);
  }

  async completeRebuild(timeline: TimelineRef, writes: Omit<TimelineWrite, 'timeline'>[]): Promise<void> {
    const key = timelineKey(timeline);
    // One key, so one slot: a MULTI is fine on a cluster too.
    const tx = this.redis.multi();
    const newest = [...writes].sort((a, b) => b.ms - a.ms).slice(0, this.opts.maxLength);
    for (let i = 0; i < newest.length; i += 500) {
      const args: (string | number)[] = [];
      for (const w of newest.slice(i, i + 500)) args.push(entryScore(w.ms, w.entry.type), w.entry.id);
      tx.zadd(key, ...args);
    }
    tx.zadd(key, 0, MARKER_READY);
    tx.zrem(key, MARKER_BUILDING);
    tx.zremrangebyrank(key, 1, -(this.opts.maxLength + 1));
    tx.pexpire(key, this.opts.idleTtlMs);
    const results = await tx.exec();
    const failed = results?.find(([err]) => err);
    if (failed) throw failed[0];
  }

  async clear(timeline: TimelineRef): Promise<void> {
    await this.redis.del(timelineKey(timeline));
  }

  /** Every master of a cluster must answer: each holds a share of the timelines. */
  async ping(): Promise<void> {
    await pingRedis(this.redis);
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}

const key = timelineKey;
