// Activity filter: time to answer "which of these 1,000 originators posted after T" and memory
// for 16 million members. Redis bytes per timeline entry are measured with MEMORY USAGE when
// REDIS_URL (or the local Redis) answers. Target: <= 24 B per entry.

import { ActivityFilter } from '../../origin/activity/activity-filter.js';
import { ConfigSchema } from '../../origin/config.js';
import { openRedis } from '../../origin/store/redis.js';
import { RedisTimelines } from '../../origin/store/timelines/redis-timelines.js';
import { type TimelineRef, timelineKey } from '../../origin/store/timelines/timeline-store.js';
import { EVENT_TYPES } from '../../shared/events.js';
import { composeId } from '../../shared/ids.js';

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 16_000_000);
const now = Date.now();
const filter = new ActivityFilter(MEMBERS);
const heapBefore = process.memoryUsage().arrayBuffers;
const started = performance.now();
const idOf = (i: number) =>
  composeId(now - 86_400_000 * 30 + (i % 2_000_000_000), i % 1024, (i >>> 10) % 64, (i >>> 16) % 64);
for (let i = 0; i < MEMBERS; i++) filter.record(idOf(i), now - ((i * 7919) % 86_400_000));
console.log(`filled ${MEMBERS} members in ${((performance.now() - started) / 1000).toFixed(1)} s`);

const queries = 2000;
const times: number[] = [];
for (let q = 0; q < queries; q++) {
  const originators = Array.from({ length: 1000 }, (_, k) => idOf((q * 1000 + k * 15_485_863) % MEMBERS));
  const t = performance.now();
  filter.activeSince(originators, now - 3_600_000);
  times.push(performance.now() - t);
}
times.sort((a, b) => a - b);
const p = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;

// Redis bytes per timeline entry, written through the real adapter (RedisTimelines: a head and
// sealed segments, lists of id and type index; redis-timeline-scripts.ts), with the origin's
// maximum length. MEMORY USAGE of every key of the timeline (head, segments, segment index) over
// the entries it holds:
//   redisBytesPerEntry          after fan-out inserted 3 x the maximum, one entry a call (as a
//                               reader's MRI fills: sealed segments, the oldest trimmed)
//   redisBytesPerEntryRebuilt   a full timeline as a rebuild lays it out
const redisFigures: Record<string, number | string | null> = { redisBytesPerEntry: null };
try {
  const redis = openRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const config = ConfigSchema.parse({ ORIGIN_SECRET: 'x'.repeat(16) });
  const maxLength = config.TIMELINE_MAX_LENGTH;
  const timelines = new RedisTimelines(redis, { maxLength, idleTtlMs: 3_600_000 });
  const ref: TimelineRef = { tenant: 'bench-filter', kind: 'mri', owner: 'filter' };
  const entryAt = (i: number) => {
    const ms = now - 86_400_000 + i * 1000;
    return { ms, entry: { id: composeId(ms, i % 1024, 1, 0).toString(), type: EVENT_TYPES[i % EVENT_TYPES.length]! } };
  };
  const measure = async () => {
    const keys = await redis.keys(`${timelineKey(ref)}*`);
    let bytes = 0;
    let entries = 0;
    const encodings = new Set<string>();
    for (const k of keys) {
      bytes += Number(await redis.memory('USAGE', k, 'SAMPLES', 0));
      if ((await redis.type(k)) !== 'list') continue;
      entries += Math.floor((await redis.llen(k)) / 2); // id and type; the head's sentinel
      encodings.add((await redis.object('ENCODING', k)) as string);
    }
    return {
      perEntry: Math.round((bytes / entries) * 10) / 10,
      entries,
      keys: keys.length,
      encodings: [...encodings].join(','),
    };
  };
  await timelines.clear(ref);
  await timelines.beginRebuild(ref);
  await timelines.completeRebuild(ref, []);
  for (let i = 0; i < 3 * maxLength; i++) await timelines.add([{ timelines: [ref], ...entryAt(i) }]);
  const filled = await measure();
  redisFigures.redisBytesPerEntry = filled.perEntry;
  redisFigures.entries = filled.entries;
  redisFigures.keys = filled.keys;
  redisFigures.encoding = filled.encodings;
  await timelines.clear(ref);
  await timelines.beginRebuild(ref);
  await timelines.completeRebuild(
    ref,
    Array.from({ length: maxLength }, (_, i) => entryAt(i)),
  );
  const rebuilt = await measure();
  redisFigures.redisBytesPerEntryRebuilt = rebuilt.perEntry;
  await timelines.clear(ref);
  redis.disconnect();
} catch (err) {
  console.log(`redis not measured: ${(err as Error).message}`);
}
console.log(`redis: ${JSON.stringify(redisFigures)}`);

console.log(
  JSON.stringify({
    queryMs: Math.round(p(0.5) * 1000) / 1000,
    queryP99Ms: Math.round(p(0.99) * 1000) / 1000,
    bytesFor16M: Math.round((filter.bytes * 16_000_000) / MEMBERS),
    filterBytes: filter.bytes,
    arrayBuffersDelta: process.memoryUsage().arrayBuffers - heapBefore,
    members: MEMBERS,
    ...redisFigures,
  }),
);
