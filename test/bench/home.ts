// Home stream latency at the origin for a page of 50 hydrated entries, against real PostgreSQL (8
// shard databases) and Redis:
//   - readers with 150 pushed friends and 20 celebrity friends (pulled from their ORIs at read
//     time), p50/p99 of readHome;
//   - a reader with 1,000 (pushed) friends, p99 of readHome;
//   - the same readers through the signed HTTP route (GET /v1/streams/home?limit=50 on
//     createApp(ctx), each request signed just before it is sent, off the clock), p50/p99;
//   - the next page (with the first page's cursor), p99;
//   - the origin's CPU per read (this process, reads one at a time): close to the latency means
//     the read is bound by the origin's own work rather than by the databases.
// Every author has posted a mix of event types (status, public status, photo, album, link,
// video, blog post, check-in, game score, group join, likes and comments on popular public items)
// through createEvent, fanned out by the workers into the readers' MRIs (BullMQ), so pages are
// full and reactions aggregate. Reads run one at a time, after a warm-up.
// Target: p99 <= 10 ms for both readers.
//   BENCH_RUNS (500)          measured reads per figure
//   BENCH_READERS (10)        readers with 150 pushed + 20 celebrity friends (reads rotate over them)
//   BENCH_POSTS (6)           events per pushed author (celebrities post 3x as many)
//   BENCH_CELEBRITY_LIMIT     the tenant's limit (default: the origin's, 500); celebrities get
//                             limit + 1 friends
import { randomUUID } from 'node:crypto';
import { recomputeCelebrities } from '../../origin/activity/rebuild.js';
import { createApp } from '../../origin/app.js';
import { createEvent } from '../../origin/items/events.js';
import { startProcessors } from '../../origin/jobs/processors.js';
import { readHome } from '../../origin/streams/home.js';
import type { EventInput, StreamPage } from '../../shared/api.js';
import { signedHeaders } from '../../shared/signing.js';
import { BENCH_SHARDS, envNumber, insertMembers, percentile, profiled } from './support.js';
import { forEachLimit, insertFriendships, seeded, shuffle, startStreamsBench } from './support-streams.js';

const runs = envNumber('BENCH_RUNS', 500);
const readerCount = envNumber('BENCH_READERS', 10);
const posts = envNumber('BENCH_POSTS', 6);
const PAGE = 50;
const PUSHED_FRIENDS = 150;
const CELEBRITIES = 20;
const AUTHORS = 1000; // the big reader's friends; the other readers' 150 are drawn from them
const WARMUP = 30;

console.log(`home: recreating ${BENCH_SHARDS} shard databases and a directory`);
const bench = await startStreamsBench({
  prefix: 'chorus_bench_home',
  tenantId: 'bench-home',
  shards: BENCH_SHARDS,
  ...(process.env.BENCH_CELEBRITY_LIMIT ? { celebrityLimit: envNumber('BENCH_CELEBRITY_LIMIT', 500) } : {}),
});
const { runtime, tenant } = bench;
const { ctx } = runtime;
const limit = tenant.celebrityLimit;
if (PUSHED_FRIENDS > limit) throw new Error(`the celebrity limit (${limit}) must be at least ${PUSHED_FRIENDS}`);

// --- members and friendships ---------------------------------------------------------------------
const random = seeded(7);
const fanCount = limit + 1; // every celebrity's friends besides the readers: enough to pass the limit
const all = await insertMembers(runtime, tenant.id, readerCount + 1 + AUTHORS + CELEBRITIES + fanCount);
const ids = all.map((m) => m.id);
const readers = ids.slice(0, readerCount);
const bigReader = ids[readerCount]!;
const authors = ids.slice(readerCount + 1, readerCount + 1 + AUTHORS);
const celebrities = ids.slice(readerCount + 1 + AUTHORS, readerCount + 1 + AUTHORS + CELEBRITIES);
const fans = ids.slice(readerCount + 1 + AUTHORS + CELEBRITIES);
const pairs: [bigint, bigint][] = [];
for (const reader of readers) {
  for (const author of shuffle([...authors], random).slice(0, PUSHED_FRIENDS)) pairs.push([reader, author]);
  for (const celebrity of celebrities) pairs.push([reader, celebrity]);
}
for (const author of authors) pairs.push([bigReader, author]);
for (const celebrity of celebrities) for (const fan of fans) pairs.push([celebrity, fan]);
await insertFriendships(runtime, tenant.id, pairs);
await recomputeCelebrities(ctx, tenant);
// The 20, and the big reader when 1,000 is above the limit (its own events, not read here, are pulled).
const expectedCelebrities = [...celebrities, ...(AUTHORS > limit ? [bigReader] : [])].map(String).sort();
if (ctx.activity.celebritiesOf(tenant.id).sort().join() !== expectedCelebrities.join())
  throw new Error(`the activity index has other celebrities: ${ctx.activity.celebritiesOf(tenant.id).length}`);

// Readers read once before anything is posted (their MRIs exist, so fan-out lands in them).
startProcessors(ctx);
runtime.relay.start();
for (const reader of [...readers, bigReader]) await readHome(ctx, tenant, reader, undefined, PAGE);
console.log(
  `home: ${readers.length} readers with ${PUSHED_FRIENDS} pushed + ${CELEBRITIES} celebrity friends ` +
    `(limit ${limit}), a reader with ${authors.length} friends; ${pairs.length} friendships`,
);

// --- events ----------------------------------------------------------------------------------------
// Popular public items that likes and comments are about (visible to everyone: no friendship needed).
const popular: string[] = [];
const image = (n: number) => [{ url: `https://img.example/${n}.jpg`, width: 1024, format: 'jpeg' as const }];
const statusUpdate = (n: number): EventInput => ({
  type: 'status',
  text: `status update ${n} #bench`,
  audience: 'friends',
});
const KINDS: ((n: number) => EventInput | null)[] = [
  statusUpdate,
  (n) => ({ type: 'status', text: `public status ${n}`, audience: 'public' }),
  (n) => ({ type: 'photo', text: `photo ${n}`, audience: 'friends', images: image(n) }),
  (n) => ({
    type: 'album',
    text: '',
    audience: 'friends',
    title: `Album ${n}`,
    images: [...image(n), ...image(n + 1)],
  }),
  (n) => ({ type: 'link', text: 'look', audience: 'friends', url: `https://example.com/${n}`, title: `Link ${n}` }),
  (n) => ({ type: 'video', text: '', audience: 'friends', url: `https://video.example/${n}` }),
  (n) => ({ type: 'blog-post', text: `a longer text ${n} `.repeat(10), audience: 'friends', title: `Post ${n}` }),
  (n) => ({ type: 'checkin', text: '', audience: 'friends', place: `Cafe ${n % 40}` }),
  (n) => ({ type: 'game-score', text: '', audience: 'friends', game: { name: 'Tetris', score: n } }),
  (n) => ({ type: 'group-join', text: '', audience: 'friends', group: `Group ${n % 30}` }),
  (n) => (popular.length ? { type: 'like', text: '', audience: 'friends', object: pick(popular, n) } : null),
  (n) =>
    popular.length ? { type: 'comment', text: `nice ${n}`, audience: 'friends', object: pick(popular, n) } : null,
];
function pick(list: string[], n: number): string {
  return list[list.length - 1 - (n % Math.min(list.length, 60))]!;
}
// Interleaved in time: a random order of (author, post number), so every page mixes authors.
const jobs: bigint[] = [];
for (let k = 0; k < posts; k++) jobs.push(...authors);
for (let k = 0; k < posts * 3; k++) jobs.push(...celebrities);
shuffle(jobs, random);
const liked = new Set<string>();
let n = 0;
const postStarted = performance.now();
await forEachLimit(jobs, 16, async (actor) => {
  const i = n++;
  let input = KINDS[i % KINDS.length]!(i);
  if (input?.type === 'like') {
    // One like per member and item.
    const key = `${actor}:${input.object}`;
    if (liked.has(key)) input = null;
    else liked.add(key);
  }
  const item = await createEvent(ctx, tenant, actor, input ?? statusUpdate(i));
  if (item.audience === 'public' && item.verb === 'status') popular.push(item.id.toString());
});
await runtime.relay.drainAll();
await ctx.queue.idle(300_000);
console.log(
  `home: ${jobs.length} events posted and fanned out in ${((performance.now() - postStarted) / 1000).toFixed(1)} s`,
);

// --- reads -------------------------------------------------------------------------------------------
const celebritySet = new Set(celebrities.map(String));
let pulledEntries = 0;
let pages = 0;
function check(page: StreamPage, who: string) {
  if (page.entries.length !== PAGE) throw new Error(`${who}: a page of ${page.entries.length}, not ${PAGE}`);
  pages++;
  pulledEntries += page.entries.filter((e) => celebritySet.has(e.actor.id)).length;
}

/** Reads one at a time: WARMUP unmeasured, then `count` timed; `prepare` runs outside the clock. */
async function measure<T>(
  label: string,
  count: number,
  read: (i: number, prepared: T) => Promise<StreamPage>,
  prepare: (i: number) => Promise<T> | T = () => undefined as T,
) {
  for (let i = 0; i < WARMUP; i++) await read(i, await prepare(i));
  const times: number[] = [];
  const cpuBefore = process.cpuUsage();
  for (let i = 0; i < count; i++) {
    const prepared = await prepare(i);
    const started = performance.now();
    const page = await read(i, prepared);
    times.push(performance.now() - started);
    check(page, label);
  }
  const cpu = process.cpuUsage(cpuBefore);
  // Includes `prepare` (signing, for the HTTP route): CPU of this process per read.
  const cpuMs = (cpu.user + cpu.system) / 1000 / count;
  times.sort((a, b) => a - b);
  const p50 = percentile(times, 50);
  const p99 = percentile(times, 99);
  console.log(
    `home: ${label}: p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms, max ${times.at(-1)!.toFixed(2)} ms; ` +
      `origin CPU ${cpuMs.toFixed(2)} ms per read`,
  );
  return { p50, p99, cpuMs };
}

const reader = (i: number) => readers[i % readers.length]!;
const small = await profiled(() =>
  measure('150 pushed + 20 pulled', runs, (i) => readHome(ctx, tenant, reader(i), undefined, PAGE)),
);
const pulledPerPage = pulledEntries / pages;
const big = await measure('1,000 friends', runs, () => readHome(ctx, tenant, bigReader, undefined, PAGE));
const cursors = await Promise.all(readers.map(async (r) => (await readHome(ctx, tenant, r, undefined, PAGE)).older!));
const next = await measure('next page, 150 + 20', runs, (i) =>
  readHome(ctx, tenant, reader(i), cursors[i % readers.length]!, PAGE),
);

// The HTTP route: signed as the edge signs, each request just before it is sent (off the clock).
const app = createApp(ctx);
const path = `/v1/streams/home?limit=${PAGE}`;
const signed = async (member: bigint) =>
  signedHeaders(ctx.config.ORIGIN_SECRET, {
    method: 'GET',
    pathWithQuery: path,
    body: '',
    tenant: tenant.id,
    member: member.toString(),
    requestId: randomUUID(),
  });
const http = await measure(
  'HTTP route, 150 + 20',
  runs,
  async (_, headers: Record<string, string>) => {
    const res = await app.request(path, { headers });
    if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as StreamPage;
  },
  (i) => signed(reader(i)),
);

await bench.close();
console.log(
  JSON.stringify({
    p50Ms: Number(small.p50.toFixed(2)),
    p99Ms: Number(small.p99.toFixed(2)),
    bigReaderP50Ms: Number(big.p50.toFixed(2)),
    bigReaderP99Ms: Number(big.p99.toFixed(2)),
    nextPageP99Ms: Number(next.p99.toFixed(2)),
    httpP50Ms: Number(http.p50.toFixed(2)),
    httpP99Ms: Number(http.p99.toFixed(2)),
    cpuMsPerRead: Number(small.cpuMs.toFixed(2)),
    bigReaderCpuMsPerRead: Number(big.cpuMs.toFixed(2)),
    pulledPerPage: Number(pulledPerPage.toFixed(1)),
    page: PAGE,
    runs,
    events: jobs.length,
    shards: BENCH_SHARDS,
  }),
);
