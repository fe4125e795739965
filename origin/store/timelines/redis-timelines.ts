import calculateSlot from 'cluster-key-slot';
import { Cluster, type Redis } from 'ioredis';
import { timeOfId } from '../../../shared/ids.js';
import { pingRedis } from '../redis.js';
import {
  compareIdsDesc,
  decodeEntry,
  encodeEntry,
  MARKER_BUILDING,
  MARKER_READY,
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
export async function tuneForTimelines(redis: Redis | Cluster, maxLength: number): Promise<string | null> {
  try {
    const nodes = redis instanceof Cluster ? redis.nodes('master') : [redis];
    for (const node of nodes) {
      const [, current] = (await node.config('GET', 'zset-max-listpack-entries')) as [string, string];
      if (Number(current) < maxLength + 1) await node.config('SET', 'zset-max-listpack-entries', String(maxLength + 1));
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
      list.push(w.ms, encodeEntry(w.entry));
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

  async page(timeline: TimelineRef, olderThan: bigint | null, limit: number): Promise<TimelineEntry[]> {
    const key = timelineKey(timeline);
    if (olderThan === null) {
      const members = await this.redis.zrevrangebyscore(key, '+inf', '(0', 'LIMIT', 0, limit);
      return decodeAll(members);
    }
    // Scores are milliseconds; several ids can share one. Fetch from the cursor's millisecond
    // (inclusive) with headroom and drop those not strictly older than the cursor.
    const max = timeOfId(olderThan);
    const headroom = 64;
    const members = await this.redis.zrevrangebyscore(key, max, '(0', 'LIMIT', 0, limit + headroom);
    return decodeAll(members)
      .filter((e) => BigInt(e.id) < olderThan)
      .sort((a, b) => compareIdsDesc(a.id, b.id))
      .slice(0, limit);
  }

  async remove(timeline: TimelineRef, entries: TimelineEntry[]): Promise<void> {
    if (entries.length > 0) await this.redis.zrem(timelineKey(timeline), ...entries.map(encodeEntry));
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
      for (const w of newest.slice(i, i + 500)) args.push(w.ms, encodeEntry(w.entry));
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

function decodeAll(members: string[]): TimelineEntry[] {
  const out: TimelineEntry[] = [];
  for (const m of members) {
    const e = decodeEntry(m);
    if (e) out.push(e);
  }
  return out;
}
