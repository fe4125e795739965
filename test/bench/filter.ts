// Activity filter: time to answer "which of these 1,000 originators posted after T" and memory
// for 16 million members. Redis bytes per timeline entry are measured with MEMORY USAGE when
// REDIS_URL (or the local Redis) answers.

import { ActivityFilter } from '../../origin/activity/activity-filter.js';
import { openRedis } from '../../origin/store/redis.js';
import { tuneForTimelines } from '../../origin/store/timelines/redis-timelines.js';
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

let redisBytesPerEntry: number | null = null;
try {
  const redis = openRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  await tuneForTimelines(redis, 800); // as the origin does at start
  const key = 'bench:{filter}:mri';
  await redis.del(key);
  const entries = 800;
  const pipeline = redis.pipeline();
  for (let i = 0; i < entries; i++) {
    const id = composeId(now - i * 60_000, i % 1024, 1, 0);
    pipeline.zadd(key, now - i * 60_000, id.toString());
  }
  await pipeline.exec();
  const usage = Number(await redis.memory('USAGE', key, 'SAMPLES', 0));
  redisBytesPerEntry = Math.round((usage / entries) * 10) / 10;
  await redis.del(key);
  redis.disconnect();
} catch (err) {
  console.log(`redis not measured: ${(err as Error).message}`);
}

console.log(
  JSON.stringify({
    queryMs: Math.round(p(0.5) * 1000) / 1000,
    queryP99Ms: Math.round(p(0.99) * 1000) / 1000,
    bytesFor16M: Math.round((filter.bytes * 16_000_000) / MEMBERS),
    filterBytes: filter.bytes,
    arrayBuffersDelta: process.memoryUsage().arrayBuffers - heapBefore,
    members: MEMBERS,
    redisBytesPerEntry,
  }),
);
