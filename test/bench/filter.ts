// Activity filter: time to answer "which of these 1,000 originators posted after T" and memory
// for 16 million members. Redis bytes per timeline entry are measured with MEMORY USAGE when
// REDIS_URL (or the local Redis) answers. Target: <= 24 B per entry.

import { ActivityFilter } from '../../origin/activity/activity-filter.js';
import { ConfigSchema } from '../../origin/config.js';
import { openRedis } from '../../origin/store/redis.js';
import { RedisTimelines, tuneForTimelines } from '../../origin/store/timelines/redis-timelines.js';
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

// Redis bytes per timeline entry, written through the real adapter (RedisTimelines: bare-id
// members, the type in the score, the READY marker `~r` at score 0), with the origin's listpack
// tuning and maximum length:
//   redisBytesPerEntry          a full timeline as a rebuild leaves it (maximum entries + marker)
//   redisBytesPerEntryFull      the same timeline after one more fan-out insert (ADD_SCRIPT: ZADD,
//                               then trim back to the maximum): what a full timeline costs from then on
const redisFigures: Record<string, number | string | null> = { redisBytesPerEntry: null };
try {
  const redis = openRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const config = ConfigSchema.parse({ ORIGIN_SECRET: 'x'.repeat(16) });
  const maxLength = config.TIMELINE_MAX_LENGTH;
  await tuneForTimelines(redis, maxLength); // as the origin does at start
  const timelines = new RedisTimelines(redis, {
    maxLength,
    idleTtlMs: 3_600_000,
  });
  const ref: TimelineRef = { tenant: 'bench-filter', kind: 'mri', owner: 'filter' };
  const key = timelineKey(ref);
  const entryAt = (i: number) => {
    const ms = now - i * 60_000;
    return { ms, entry: { id: composeId(ms, i % 1024, 1, 0).toString(), type: EVENT_TYPES[i % EVENT_TYPES.length]! } };
  };
  const perEntry = async (k: string) =>
    Math.round((Number(await redis.memory('USAGE', k, 'SAMPLES', 0)) / maxLength) * 10) / 10;
  await redis.del(key);
  const writes = Array.from({ length: maxLength }, (_, i) => entryAt(i + 1));
  await timelines.completeRebuild(ref, writes);
  redisFigures.redisBytesPerEntry = await perEntry(key);
  redisFigures.encoding = (await redis.object('ENCODING', key)) as string;
  await timelines.add([{ timeline: ref, ...entryAt(0) }]);
  redisFigures.redisBytesPerEntryFull = await perEntry(key);
  redisFigures.encodingFull = (await redis.object('ENCODING', key)) as string;
  await redis.del(key);
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
