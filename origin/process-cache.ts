// A bounded in-process cache (an LRU with a time to live) per origin context: the process's
// hydration caches, its tenants, the session states and the empty topics it remembers. Keyed by
// context so tests that run several origins in one process keep them apart.
import { LRUCache } from 'lru-cache';
import type { OriginContext } from './context.js';

export function processCache<V extends {}>(max: number, ttlMs: number): (ctx: OriginContext) => LRUCache<string, V> {
  const caches = new WeakMap<OriginContext, LRUCache<string, V>>();
  return (ctx) => {
    let c = caches.get(ctx);
    if (!c) {
      c = new LRUCache<string, V>({ max, ttl: ttlMs });
      caches.set(ctx, c);
    }
    return c;
  };
}
