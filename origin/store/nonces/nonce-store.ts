// Remembers signatures already seen so a captured origin request cannot be replayed within its
// validity window. Shared through Redis when there is more than one origin process.
import type { Cluster, Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import type { DependencyHealth } from '../dependency-health.js';

export interface NonceStore {
  /** True the first time a nonce is claimed within ttl; false for a replay. */
  claim(nonce: string, ttlMs: number): Promise<boolean>;
}

export class RedisNonces implements NonceStore {
  constructor(
    private readonly redis: Redis | Cluster,
    /** The deployment's key prefix with its colon (REDIS_KEY_PREFIX). */
    private readonly prefix = '',
  ) {}
  async claim(nonce: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(`${this.prefix}nonce:${nonce}`, '1', 'PX', ttlMs, 'NX')) === 'OK';
  }
}

export class MemoryNonces implements NonceStore {
  private readonly seen: LRUCache<string, true>;
  constructor(max = 1_000_000) {
    this.seen = new LRUCache<string, true>({ max, ttlAutopurge: false });
  }
  async claim(nonce: string, ttlMs: number): Promise<boolean> {
    if (this.seen.has(nonce)) return false;
    this.seen.set(nonce, true, { ttl: ttlMs });
    return true;
  }
}

/**
 * Claims in this process first (a replay to the same process never costs a Redis call), then in
 * Redis for every process. When Redis is down the process's own memory is all there is: a replay
 * is still refused by the process that saw the original, and every request still gets an answer
 * (reads and log-ins must not fail because the replay guard's store is away).
 */
export class SharedNonces implements NonceStore {
  private readonly local = new MemoryNonces(200_000);

  constructor(
    private readonly shared: NonceStore,
    private readonly health: DependencyHealth,
  ) {}

  async claim(nonce: string, ttlMs: number): Promise<boolean> {
    if (!(await this.local.claim(nonce, ttlMs))) return false;
    return this.health.call(
      'nonce',
      () => this.shared.claim(nonce, ttlMs),
      () => true,
    );
  }
}
