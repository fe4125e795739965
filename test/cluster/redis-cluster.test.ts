// The cluster plumbing itself: the URL form, the client openRedis builds for it, readiness, and
// the hash tags that keep a BullMQ queue (and a nonce) in one slot.
import { randomBytes } from 'node:crypto';
import { Cluster } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../origin/config.js';
import { BullmqQueue } from '../../origin/store/queue/bullmq-queue.js';
import { isClusterUrl, openRedis, parseClusterUrl, pingRedis, redisServers } from '../../origin/store/redis.js';
import { type Harness, startHarness } from '../support/origin-harness.js';
import { testRedisUrl } from '../support/services.js';

const url = testRedisUrl()!;
const redis = openRedis(url);
afterAll(() => redis.disconnect());

describe('redis-cluster:// URLs', () => {
  it('are accepted by the configuration and parsed into nodes, credentials and TLS', () => {
    const base = { ORIGIN_SECRET: 'x'.repeat(16) };
    expect(ConfigSchema.parse({ ...base, REDIS_URL: url }).REDIS_URL).toBe(url);
    expect(ConfigSchema.safeParse({ ...base, REDIS_URL: 'redis-cluster://' }).success).toBe(false);
    expect(ConfigSchema.safeParse({ ...base, REDIS_URL: 'redis-cluster://a:1,,b:2' }).success).toBe(false);
    expect(isClusterUrl(url)).toBe(true);
    expect(isClusterUrl('redis://127.0.0.1:6379')).toBe(false);
    expect(parseClusterUrl('rediss-cluster://u:p%40ss@10.0.0.1:7000,redis-b:7001,redis-c')).toEqual({
      nodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: 'redis-b', port: 7001 },
        { host: 'redis-c', port: 6379 },
      ],
      username: 'u',
      password: 'p@ss',
      tls: true,
    });
  });

  it('open a Cluster client that sees three masters and is ready', async () => {
    expect(redis).toBeInstanceOf(Cluster);
    await pingRedis(redis);
    expect(await redisServers(redis)).toHaveLength(3);
  });
});

describe('auto-pipelining', () => {
  it('sends scripts whose key count comes first to the node owning their keys', async () => {
    const client = openRedis(url) as Cluster & { keyCount(n: number, ...keys: string[]): Promise<number> };
    try {
      client.defineCommand('keyCount', { lua: 'return #KEYS' });
      // Keys on every node, with plain commands mixed in, all issued in one tick.
      const keys = Array.from({ length: 12 }, (_, i) => `probe:{${randomBytes(4).toString('hex')}-${i}}`);
      const results = await Promise.all(keys.flatMap((k) => [client.keyCount(1, k), client.exists(k)]));
      expect(results).toEqual(keys.flatMap(() => [1, 0]));
    } finally {
      client.disconnect();
    }
  });
});

describe('hash tags', () => {
  it("keep every key of a namespace's BullMQ queues in one slot", async () => {
    const namespace = `slots-${randomBytes(4).toString('hex')}`;
    const queue = new BullmqQueue(url, namespace);
    try {
      await queue.add('one', { n: '1' });
      await queue.add('two', { n: '2' }, { jobId: 'fixed' });
      await queue.schedule('three', 60_000);
      const keys: string[] = [];
      for (const node of await redisServers(redis)) keys.push(...(await node.keys(`{${namespace}}:*`)));
      expect(keys.length).toBeGreaterThan(3);
      const slots = new Set(await Promise.all(keys.map((k) => redis.cluster('KEYSLOT', k))));
      expect(slots.size).toBe(1);
      await queue.ping();
    } finally {
      await queue.close();
    }
  });

  it('refuse a queue namespace that would break the tag', () => {
    expect(() => new BullmqQueue(url, 'a}b')).toThrow(/braces/);
  });
});

describe('the origin on a cluster', () => {
  let h: Harness | undefined;
  afterAll(() => h?.close());

  it('reports Redis ready on /admin/readyz', async () => {
    const adminToken = 'cluster-admin-token-0123456789';
    h = await startHarness({ processors: false, adminToken });
    const res = await h.app.request('/admin/readyz', { headers: { authorization: `Bearer ${adminToken}` } });
    const body = (await res.json()) as { checks: Record<string, string> };
    expect(body.checks).toMatchObject({ 'timelines (redis)': 'ok', 'queue (redis)': 'ok' });
    expect(res.status).toBe(200);
  });
});
