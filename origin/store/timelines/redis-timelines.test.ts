// The Redis layout behind the timeline contract (test/contract/timelines.test.ts), as
// redis-timeline-scripts.ts describes it. Fan-out-like traffic (one entry per call, many
// timelines per call, some missing, with retries and late entries mixed in) must seal every head
// at its size, keep the bounds and counts the index claims, lose nothing above the truncation
// floor, read back the newest entries in order, and leave nothing behind for missing timelines.
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { composeId, ID_EPOCH_MS, timeOfId } from '../../../shared/ids.js';
import { testRedisUrl } from '../../../test/support/services.js';
import { isClusterUrl, openRedis } from '../redis.js';
import { HEAD_SENTINEL, SEGMENT_ENTRIES } from './redis-timeline-scripts.js';
import { RedisTimelines } from './redis-timelines.js';
import { type TimelineRef, timelineKey } from './timeline-store.js';

const url = testRedisUrl();
const MAX = 800;

/** Ids of a list of (id, type) pairs, the head's sentinel left out. */
function idsOf(list: string[]): bigint[] {
  const ids: bigint[] = [];
  for (let i = 0; i + 1 < list.length; i += 2) ids.push(BigInt(list[i]!));
  return ids;
}

describe.skipIf(url === null || isClusterUrl(url))('Redis timeline layout', () => {
  const redis = openRedis(url!) as Redis;
  afterAll(() => redis.disconnect());

  it('fan-out inserts seal every head in time, keep the index true and lose nothing above the floor; missing timelines stay missing', async () => {
    const store = new RedisTimelines(openRedis(url!), { maxLength: MAX, idleTtlMs: 3_600_000 });
    const tenant = `l${randomBytes(5).toString('hex')}`;
    const refs: TimelineRef[] = Array.from({ length: 20 }, (_, i) => ({ tenant, kind: 'mri', owner: String(i + 1) }));
    for (const ref of refs.slice(0, 10)) {
      await store.beginRebuild(ref);
      await store.completeRebuild(ref, []);
    }
    const inserts = 2_000;
    const idAt = (n: number) => composeId(ID_EPOCH_MS + 1_000_000 + n * 2, 3, 1, 0).toString();
    let biggestHead = 0;
    let newestId = 0n;
    const inserted = new Set<bigint>();
    for (let n = 0; n < inserts; n++) {
      // Mostly the newest; every 10th a late entry (a backfill) and every 15th a retry of a recent one.
      const id = n % 10 === 9 ? idAt(n - 150).replace(/.$/, '1') : n % 15 === 14 ? idAt(n - 3) : idAt(n);
      const ms = ID_EPOCH_MS + 1_000_000 + n * 2;
      if (BigInt(id) > newestId) newestId = BigInt(id);
      inserted.add(BigInt(id));
      const landed = await store.add([{ entry: { id, type: 'photo' }, ms, timelines: refs }]);
      expect(landed).toBe(10);
      biggestHead = Math.max(biggestHead, await redis.llen(timelineKey(refs[0]!)));
    }
    for (const ref of refs.slice(10)) {
      const key = timelineKey(ref);
      expect(await redis.exists(key, `${key}:s`, `${key}:1`)).toBe(0);
    }

    const head = timelineKey(refs[0]!);
    expect(biggestHead).toBeLessThanOrEqual(2 * SEGMENT_ENTRIES + 1); // entries and the sentinel
    expect(await redis.lindex(head, -1)).toBe(HEAD_SENTINEL);
    const meta = await redis.hgetall(`${head}:s`);
    const n = Number(meta.n);
    const o = Number(meta.o);
    // Sealed every SEGMENT_ENTRIES inserts or so: well over a dozen seals, several kept.
    expect(n).toBeGreaterThanOrEqual(Math.floor(inserts / (SEGMENT_ENTRIES + 4)));
    expect(n - o + 1).toBeGreaterThanOrEqual(Math.floor(MAX / (SEGMENT_ENTRIES + 4)));
    const held = new Set<bigint>(idsOf(await redis.lrange(head, 0, -1)));
    let fresh = 0;
    let ceiling = 0n;
    for (let k = o; k <= n; k++) {
      const ids = idsOf(await redis.lrange(`${head}:${k}`, 0, -1));
      expect(new Set(ids).size).toBe(ids.length); // each entry once within a segment
      expect(ids.length).toBeLessThanOrEqual(SEGMENT_ENTRIES + 1);
      // The index's bounds hold: newest, lowest, and at least its fresh count above older segments.
      const newestFirst = [...ids].sort((a, b) => (b > a ? 1 : -1));
      expect(newestFirst[0]).toBe(BigInt(meta[String(k)]!));
      expect(newestFirst.at(-1)).toBe(BigInt(meta[`${k}l`]!));
      expect(ids.filter((id) => id > ceiling).length).toBeGreaterThanOrEqual(Number(meta[`${k}c`]));
      fresh += Number(meta[`${k}c`]);
      for (const id of ids) held.add(id);
      if (BigInt(meta[String(k)]!) > ceiling) ceiling = BigInt(meta[String(k)]!);
    }
    // Trimmed whole segments at a time: at least the maximum fresh, less without the oldest segment.
    expect(fresh).toBeGreaterThanOrEqual(MAX);
    expect(fresh - Number(meta[`${o}c`])).toBeLessThan(MAX);
    // Nothing above the truncation floor is missing.
    const floor = BigInt(meta.t!);
    for (const id of inserted) if (id > floor) expect(held.has(id)).toBe(true);

    // Every timeline that exists reads back its newest entries, newest first, each once.
    const { entries: page, truncatedAtMs } = await store.page(refs[3]!, null, MAX);
    expect(truncatedAtMs).toBe(timeOfId(meta.t!));
    expect(page.length).toBe(MAX);
    expect(page[0]!.id).toBe(newestId.toString());
    const newest = [...inserted].sort((a, b) => (b > a ? 1 : -1)).slice(0, MAX);
    expect(page.map((e) => BigInt(e.id))).toEqual(newest);
    expect(page.every((e) => e.type === 'photo')).toBe(true);
    await store.close();
  });
});
