// Remembers signatures already seen so a captured origin request cannot be replayed within its
// validity window. Shared through Redis when there is more than one origin process.
import type { Cluster, Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';

export interface NonceStore {
  /** True the first time a nonce is claimed within ttl; false for a replay. */
  claim(nonce: string, ttlMs: number): Promise<boolean>;
}

export class RedisNonces implements NonceStore {
  constructor(private readonly redis: Redis | Cluster) {}
  async claim(nonce: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(`nonce:${nonce}`, '1', 'PX', ttlMs, 'NX')) === 'OK';
  }
}

export class MemoryNonces implements NonceStore {
  private readonly seen = new LRUCache<string, true>({ max: 1_000_000, ttlAutopurge: false });
  async claim(nonce: string, ttlMs: number): Promise<boolean> {
    if (this.seen.has(nonce)) return false;
    this.seen.set(nonce, true, { ttl: ttlMs });
    return true;
  }
}
