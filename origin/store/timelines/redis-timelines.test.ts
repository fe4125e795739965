// The Redis layout behind the timeline contract (test/contract/timelines.test.ts): what keeps
// entries at ~20 bytes is that every set of a timeline stays a listpack, which holds only while
// heads are sealed in time (redis-timeline-scripts.ts). Fan-out-like traffic (one entry per call,
// many timelines per call, some of them missing) must seal every head at its size and leave
// nothing behind for the missing timelines.
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { composeId, ID_EPOCH_MS } from '../../../shared/ids.js';
import { testRedisUrl } from '../../../test/support/services.js';
import { isClusterUrl, openRedis } from '../redis.js';
import { SEGMENT_ENTRIES } from './redis-timeline-scripts.js';
import { RedisTimelines } from './redis-timelines.js';
import { type TimelineRef, timelineKey } from './timeline-store.js';

const url = testRedisUrl();
const MAX = 800;

describe.skipIf(url === null || isClusterUrl(url))('Redis timeline layout', () => {
  const redis = openRedis(url!) as Redis;
  afterAll(() => redis.disconnect());

  it('single-entry inserts into many timelines seal every head in time; missing timelines stay missing', async () => {
    const store = new RedisTimelines(openRedis(url!), { maxLength: MAX, idleTtlMs: 3_600_000 });
    const tenant = `l${randomBytes(5).toString('hex')}`;
    const refs: TimelineRef[] = Array.from({ length: 20 }, (_, i) => ({ tenant, kind: 'mri', owner: String(i + 1) }));
    for (const ref of refs.slice(0, 10)) {
      await store.beginRebuild(ref);
      await store.completeRebuild(ref, []);
    }
    const inserts = 2_000;
    let biggestHead = 0;
    for (let n = 0; n < inserts; n++) {
      const ms = ID_EPOCH_MS + 1_000_000 + n;
      const landed = await store.add([
        { entry: { id: composeId(ms, 3, 1, 0).toString(), type: 'status' }, ms, timelines: refs },
      ]);
      expect(landed).toBe(10);
      biggestHead = Math.max(biggestHead, await redis.zcard(timelineKey(refs[0]!)));
    }
    for (const ref of refs.slice(10)) expect(await redis.exists(timelineKey(ref))).toBe(0);

    const head = timelineKey(refs[0]!);
    const meta = await redis.hgetall(`${head}:s`);
    const segments = Array.from(
      { length: Number(meta.n) - Number(meta.o) + 1 },
      (_, k) => `${head}:${Number(meta.o) + k}`,
    );
    // Sealed every SEGMENT_ENTRIES inserts or so: well over a dozen seals, several kept.
    expect(Number(meta.n)).toBeGreaterThanOrEqual(Math.floor(inserts / (SEGMENT_ENTRIES + 4)));
    expect(segments.length).toBeGreaterThanOrEqual(Math.floor(MAX / (SEGMENT_ENTRIES + 4)));
    for (const key of [head, ...segments]) expect(await redis.object('ENCODING', key)).toBe('listpack');
    expect(biggestHead).toBeLessThanOrEqual(SEGMENT_ENTRIES + 4); // entries and markers
    const cards = await Promise.all(segments.map((key) => redis.zcard(key)));
    const mean = cards.slice(1).reduce((a, b) => a + b, 0) / Math.max(1, cards.length - 1);
    expect(mean).toBeGreaterThanOrEqual(SEGMENT_ENTRIES - 2);
    expect(mean).toBeLessThanOrEqual(SEGMENT_ENTRIES + 2);

    // Every timeline that exists reads back its newest entries, newest first.
    const { entries } = await store.page(refs[3]!, null, MAX);
    expect(entries.length).toBe(MAX);
    expect(entries[0]!.id).toBe(composeId(ID_EPOCH_MS + 1_000_000 + inserts - 1, 3, 1, 0).toString());
    expect(entries.map((e) => BigInt(e.id))).toEqual(
      [...entries.map((e) => BigInt(e.id))].sort((a, b) => (b > a ? 1 : -1)),
    );
    await store.close();
  });
});
