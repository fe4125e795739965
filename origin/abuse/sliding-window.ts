// Sliding-window counters for rate limits, kept where every origin process sees them (Redis), with
// an in-process copy for when Redis is away. The window is the two-bucket approximation Cloudflare
// describes: this window's count plus the previous window's, weighted by how much of it still
// overlaps the last `window` — one INCR and one GET, where an exact log would keep every hit.
// Written here rather than taken from a library because the ones for Node (rate-limiter-flexible)
// count fixed windows, which let twice the limit through around a window's edge.
import type { Cluster, Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';

export interface WindowDecision {
  allowed: boolean;
  /** Seconds until a hit would be allowed again (0 when allowed). */
  retryAfterSeconds: number;
}

export interface SlidingWindow {
  /** Counts a hit on `key` and says whether it stays within `limit` per `windowMs`. */
  hit(key: string, limit: number, windowMs: number): Promise<WindowDecision>;
}

/** The weighted count and the decision, the same in Lua and in memory. */
function decide(current: number, previous: number, limit: number, windowMs: number, elapsedMs: number) {
  const estimate = previous * ((windowMs - elapsedMs) / windowMs) + current;
  if (estimate <= limit) return { allowed: true, retryAfterSeconds: 0 };
  // Over: wait at least until this window ends (the previous one stops counting in full).
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((windowMs - elapsedMs) / 1000)) };
}

const HIT_SCRIPT = `
local c = redis.call('INCR', KEYS[1])
if c == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1] * 2) end
local p = tonumber(redis.call('GET', KEYS[2]) or '0')
return {c, p}`;

type Scripted = { slidingHit(current: string, previous: string, windowMs: number): Promise<[number, number]> };

export class RedisSlidingWindow implements SlidingWindow {
  private readonly redis: (Redis | Cluster) & Scripted;

  constructor(
    redis: Redis | Cluster,
    /** The deployment's key prefix with its colon (REDIS_KEY_PREFIX). */
    private readonly prefix = '',
    private readonly now: () => number = Date.now,
  ) {
    redis.defineCommand('slidingHit', { numberOfKeys: 2, lua: HIT_SCRIPT });
    this.redis = redis as (Redis | Cluster) & Scripted;
  }

  async hit(key: string, limit: number, windowMs: number): Promise<WindowDecision> {
    const now = this.now();
    const window = Math.floor(now / windowMs);
    // One hash tag for both buckets: a cluster keeps them in one slot for the script.
    const base = `${this.prefix}rl:{${key}}:`;
    const [current, previous] = await this.redis.slidingHit(`${base}${window}`, `${base}${window - 1}`, windowMs);
    return decide(Number(current), Number(previous), limit, windowMs, now - window * windowMs);
  }
}

export class MemorySlidingWindow implements SlidingWindow {
  private readonly counts = new LRUCache<string, number>({ max: 200_000, ttlAutopurge: false });

  constructor(private readonly now: () => number = Date.now) {}

  async hit(key: string, limit: number, windowMs: number): Promise<WindowDecision> {
    const now = this.now();
    const window = Math.floor(now / windowMs);
    const currentKey = `${key}:${window}`;
    const current = (this.counts.get(currentKey) ?? 0) + 1;
    this.counts.set(currentKey, current, { ttl: windowMs * 2 });
    const previous = this.counts.get(`${key}:${window - 1}`) ?? 0;
    return decide(current, previous, limit, windowMs, now - window * windowMs);
  }
}
