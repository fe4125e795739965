// One place that opens Redis connections, so every adapter shares settings (and tests can
// point them all at TEST_REDIS_URL).
import { Redis } from 'ioredis';

export function openRedis(url: string, opts: { forBullmq?: boolean } = {}): Redis {
  return new Redis(url, {
    lazyConnect: false,
    enableAutoPipelining: !opts.forBullmq,
    // BullMQ workers block on Redis and require this to be null; elsewhere fail fast.
    maxRetriesPerRequest: opts.forBullmq ? null : 2,
    connectTimeout: 3000,
  });
}
