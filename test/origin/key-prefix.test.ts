// Two deployments on one Redis: each keeps its keys, queues and channels under its own
// REDIS_KEY_PREFIX, so neither reads, fans out into nor relays the other's.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TimelineRef } from '../../origin/store/timelines/timeline-store.js';
import { type Harness, signupMember, startHarness } from '../support/origin-harness.js';
import { testRedisUrl } from '../support/services.js';

const redisUrl = testRedisUrl();

describe.skipIf(!redisUrl)('REDIS_KEY_PREFIX', () => {
  let blue: Harness;
  let green: Harness;
  let redis: Redis;
  const suffix = Math.random().toString(36).slice(2, 8);
  beforeAll(async () => {
    blue = await startHarness({ env: { REDIS_KEY_PREFIX: `blue${suffix}` } });
    green = await startHarness({
      tenantId: blue.tenantId,
      processors: false,
      relay: false,
      env: { REDIS_KEY_PREFIX: `green${suffix}` },
    });
    redis = new Redis(redisUrl!);
  });
  afterAll(async () => {
    redis?.disconnect();
    await green?.close();
    await blue?.close();
  });

  it("keeps one deployment's timelines out of the other's sight", async () => {
    const ann = await signupMember(blue, 'ann_prefix');
    await blue.call('GET', '/v1/streams/home', { member: ann });
    await blue.settle();
    const mri: TimelineRef = { tenant: blue.tenantId, kind: 'mri', owner: ann };
    expect(await blue.runtime.ctx.timelines.state(mri)).toBe('ready');
    expect(await green.runtime.ctx.timelines.state(mri)).toBe('missing');
    const keys = await redis.keys(`*${blue.tenantId}:${ann}*`);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.every((k) => k.startsWith(`blue${suffix}:`))).toBe(true);
  });
});
