// End-to-end timeline inserts per second: events committed through the write path (createEvent:
// item + outbox record on the author's shard), enqueued into BullMQ by the outbox relay (the
// writer hands it its records: jobs/outbox-relay.ts), fanned out by the fanout workers
// (startProcessors) and landed in the MRIs of the author's 150 friends, all against real
// PostgreSQL (8 shard databases) and Redis, in this one process. Timed from the first commit to
// the moment the last expected entry has landed (chorus_timeline_inserts_total, checked against
// the MRIs at the end). Beside it, in the same run:
//   - adapter: RedisTimelines.add alone, one call per event with its 150 MRIs as one list (as
//     fan-out passes them on from Postgres), from this process
//     (the Redis side of fan-out without Postgres, the outbox or the queue: this design's ceiling);
//   - raw: redis-benchmark, pipelined ZADD on random keys.
// Target: 150,000 inserts/s (1,000 events/s x 150 recipients) on this one machine.
//
// Readers' MRIs are full before the run (BENCH_PREFILL entries, default the timeline maximum), as
// an active reader's MRI is: sealed segments plus a head (redis-timeline-scripts.ts), so inserts
// pay the sealing and trimming a full timeline pays. BENCH_PREFILL=0 starts them empty.
//   BENCH_EVENTS (10000)      events measured (after BENCH_WARMUP, 500)
//   BENCH_CONCURRENCY (32)    createEvent calls in flight
//   BENCH_AUTHORS (1000)      authors, each with BENCH_FANOUT (150) friends among the readers
//   BENCH_READERS (3000)      readers, each with an MRI (rebuildTimeline) before the run
//   BENCH_PREFILL (max)       older entries in each MRI before the run (0 = empty MRIs)
//   BENCH_WORKER_CONCURRENCY  fanout worker concurrency (default: the origin's, processors.ts)
//   BENCH_WORKER_PROCESSES (0) run the workers in this many processes of their own
//                             (support-fanout-worker.ts) instead of this one, which then only
//                             writes and relays, like an origin serving posts beside worker hosts
//   BENCH_RAW_REQUESTS (1000000) requests of the redis-benchmark run
// Authors have no timelines of their own, so each event lands exactly BENCH_FANOUT entries.
// CPU per event: the origin's (this process and any worker processes; the commits, the relay and
// fan-out) and Redis's, which depend less on what else the machine runs than the rates do. The
// Redis figures (CPU, µs per LPUSHX: a timeline insert) are server-wide: other clients of the same Redis add to them.
import { type ChildProcess, fork, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createEvent } from '../../origin/items/events.js';
import { startProcessors } from '../../origin/jobs/processors.js';
import { openRedis } from '../../origin/store/redis.js';
import { mriListOf } from '../../origin/store/timelines/mri-list.js';
import { fanoutItems } from '../../origin/streams/fanout.js';
import { rebuildTimeline } from '../../origin/streams/timelines.js';
import type { EventInput } from '../../shared/api.js';
import { composeId, timeOfId } from '../../shared/ids.js';
import { BENCH_SHARDS, envNumber, insertMembers, processCpuMs, profiled } from './support.js';
import {
  BENCH_REDIS_URL,
  forEachLimit,
  insertFriendships,
  seeded,
  shuffle,
  startStreamsBench,
  unlinkMatching,
} from './support-streams.js';

const events = envNumber('BENCH_EVENTS', 10_000);
const warmup = envNumber('BENCH_WARMUP', 500);
const concurrency = envNumber('BENCH_CONCURRENCY', 32);
const authorCount = envNumber('BENCH_AUTHORS', 1000);
const readerCount = envNumber('BENCH_READERS', 3000);
const fanout = envNumber('BENCH_FANOUT', 150);
const rawRequests = envNumber('BENCH_RAW_REQUESTS', 1_000_000);
const workerConcurrency = process.env.BENCH_WORKER_CONCURRENCY ? envNumber('BENCH_WORKER_CONCURRENCY', 16) : null;
const workerProcesses = process.env.BENCH_WORKER_PROCESSES ? envNumber('BENCH_WORKER_PROCESSES', 1) : 0;
if (workerProcesses > 0 && workerConcurrency !== null)
  throw new Error('BENCH_WORKER_CONCURRENCY applies to in-process workers only');
const drainTimeoutMs = envNumber('BENCH_DRAIN_TIMEOUT_MS', 300_000);
if (fanout > readerCount) throw new Error('BENCH_FANOUT must not exceed BENCH_READERS');

const TENANT = 'bench-fanout';
console.log(`fanout: recreating ${BENCH_SHARDS} shard databases and a directory; Redis ${BENCH_REDIS_URL}`);
const bench = await startStreamsBench({ prefix: 'chorus_bench_fanout', tenantId: TENANT, shards: BENCH_SHARDS });
const { runtime, tenant, redis } = bench;
const { ctx } = runtime;
const maxLength = ctx.config.TIMELINE_MAX_LENGTH;
const prefill = Math.min(maxLength, process.env.BENCH_PREFILL === '0' ? 0 : envNumber('BENCH_PREFILL', maxLength));

// --- members, friendships, reader timelines ------------------------------------------------------
const random = seeded(42);
const members = await insertMembers(runtime, tenant.id, authorCount + readerCount);
const authors = members.slice(0, authorCount).map((m) => m.id);
const readers = members.slice(authorCount).map((m) => m.id);
const mriOf = (reader: bigint | string) => ({ tenant: tenant.id, kind: 'mri' as const, owner: reader.toString() });
const pairs: [bigint, bigint][] = [];
const friendsOfAuthor: string[][] = [];
const order = readers.map((_, i) => i);
for (const author of authors) {
  const friends: string[] = [];
  friendsOfAuthor.push(friends);
  // A random `fanout` of the readers (partial shuffle).
  for (let k = 0; k < fanout; k++) {
    const j = k + Math.floor(random() * (order.length - k));
    [order[k], order[j]] = [order[j]!, order[k]!];
    const reader = readers[order[k]!]!;
    pairs.push([author, reader]);
    friends.push(reader.toString());
  }
}
await insertFriendships(runtime, tenant.id, pairs);
const setupStarted = performance.now();
await forEachLimit(readers, 32, (reader) => rebuildTimeline(ctx, mriOf(reader)));
if (prefill > 0) {
  // Each MRI is rebuilt with `prefill` entries a day old (ids no item has), as a full MRI is
  // laid out: sealed segments and a head (redis-timeline-scripts.ts).
  const dayAgo = Date.now() - 86_400_000;
  const old = Array.from({ length: prefill }, (_, i) => ({
    ms: dayAgo + i,
    entry: { id: composeId(dayAgo + i, i % 1024, 63, 0).toString(), type: 'status' as const },
  }));
  await forEachLimit(readers, 16, async (r) => {
    const ref = { tenant: tenant.id, kind: 'mri' as const, owner: r.toString() };
    await ctx.timelines.clear(ref);
    await ctx.timelines.beginRebuild(ref);
    await ctx.timelines.completeRebuild(ref, old);
  });
  console.log(`fanout: every MRI prefilled with ${prefill} entries`);
}
console.log(
  `fanout: ${authors.length} authors x ${fanout} friends among ${readers.length} readers; ` +
    `${readers.length} MRIs ready in ${((performance.now() - setupStarted) / 1000).toFixed(1)} s`,
);

// --- the pipeline --------------------------------------------------------------------------------
const children: ChildProcess[] = [];
const childLanded: number[] = [];
const childCpuMs: number[] = [];
if (workerProcesses > 0) {
  const file = fileURLToPath(new URL('./support-fanout-worker.ts', import.meta.url));
  await Promise.all(
    Array.from({ length: workerProcesses }, (_, i) => {
      const child = fork(file, [], {
        execArgv: ['--import', 'tsx'],
        env: {
          ...process.env,
          BENCH_WORKER_CONFIG: JSON.stringify(bench.settings),
          BENCH_WORKER_NAMESPACE: bench.namespace,
        },
      });
      children.push(child);
      childLanded.push(0);
      childCpuMs.push(0);
      return new Promise<void>((resolve, reject) => {
        child.on('message', (m: { ready?: boolean; landed?: number; cpuMs?: number }) => {
          if (m.ready) resolve();
          if (m.landed !== undefined) childLanded[i] = m.landed;
          if (m.cpuMs !== undefined) childCpuMs[i] = m.cpuMs;
        });
        child.on('exit', (code) => (code ? reject(new Error(`worker process exited with ${code}`)) : undefined));
      });
    }),
  );
  console.log(`fanout: ${workerProcesses} worker processes started`);
} else if (workerConcurrency !== null) {
  // The handler startProcessors registers, at another concurrency (a what-if).
  ctx.queue.process('fanout', (data) => fanoutItems(ctx, data), { concurrency: workerConcurrency });
} else {
  startProcessors(ctx);
}
runtime.relay.start();

const KINDS: ((n: number) => EventInput)[] = [
  (n) => ({ type: 'status', text: `status update ${n}`, audience: 'friends' }),
  (n) => ({ type: 'status', text: `another status update ${n}`, audience: 'friends' }),
  (n) => ({
    type: 'photo',
    text: `photo ${n}`,
    audience: 'friends',
    images: [{ url: `https://img.example/${n}.jpg`, width: 1024, format: 'jpeg' }],
  }),
  (n) => ({ type: 'link', text: '', audience: 'friends', url: `https://example.com/${n}`, title: `Link ${n}` }),
  (n) => ({ type: 'checkin', text: '', audience: 'friends', place: `Cafe ${n % 50}` }),
];
let written = 0;
let firstItemMs = Number.POSITIVE_INFINITY;
const writeOne = async () => {
  const n = written++;
  const author = authors[Math.floor(random() * authors.length)]!;
  const item = await createEvent(ctx, tenant, author, KINDS[n % KINDS.length]!(n));
  firstItemMs = Math.min(firstItemMs, timeOfId(item.id));
};

const counter = async (c: typeof ctx.metrics.timelineInserts) => (await c.get()).values[0]?.value ?? 0;
const landedNow = async () => (await counter(ctx.metrics.timelineInserts)) + childLanded.reduce((a, b) => a + b, 0);

/** Where the missing entries are: still in the outbox, in the queue, or failed. */
async function explainStall() {
  for (const db of ctx.cluster.router.physical) {
    const [row] = await db.rows<{ pending: number; done: number; items: number }>(
      `select (select count(*)::int from outbox where dispatched_at is null) as pending,
              (select count(*)::int from outbox where dispatched_at is not null) as done,
              (select count(*)::int from items) as items`,
    );
    console.log(`  ${db.name}: items ${row!.items}, outbox pending ${row!.pending}, dispatched ${row!.done}`);
  }
  console.log('  queue', await ctx.queue.counts());
}

/** Server-wide Redis figures: CPU seconds used, and LPUSHX calls (timeline inserts) and their µs. */
async function redisStats() {
  const cpu = (await redis.info('cpu')) as string;
  const stats = (await redis.info('stats')) as string;
  const cmd = (await redis.info('commandstats')) as string;
  const num = (text: string, re: RegExp) => Number(re.exec(text)?.[1] ?? 0);
  const commands = new Map<string, { calls: number; usec: number }>();
  for (const m of cmd.matchAll(/cmdstat_([\w|-]+):calls=(\d+),usec=(\d+)/g))
    commands.set(m[1]!, { calls: Number(m[2]), usec: Number(m[3]) });
  return {
    cpuSeconds: num(cpu, /used_cpu_user:([\d.]+)/) + num(cpu, /used_cpu_sys:([\d.]+)/),
    bytesIn: num(stats, /total_net_input_bytes:(\d+)/),
    insertCalls: num(cmd, /cmdstat_lpushx:calls=(\d+)/),
    insertUsec: num(cmd, /cmdstat_lpushx:calls=\d+,usec=(\d+)/),
    commands,
  };
}

/** Where Redis spent its time between two snapshots: the top commands by µs, per event. */
function topCommands(before: Awaited<ReturnType<typeof redisStats>>, after: typeof before, events: number) {
  return [...after.commands]
    .map(([name, a]) => {
      const b = before.commands.get(name) ?? { calls: 0, usec: 0 };
      return { name, calls: a.calls - b.calls, usec: a.usec - b.usec };
    })
    .filter((c) => c.usec > 0)
    .sort((x, y) => y.usec - x.usec)
    .slice(0, 12)
    .map((c) => `${c.name} ${(c.usec / events).toFixed(1)} µs/event (${(c.calls / events).toFixed(1)} calls)`)
    .join(', ');
}

/** CPU milliseconds used by the origin's processes: this one and the worker processes. */
function originCpuMs(): number {
  const own = process.cpuUsage();
  return (own.user + own.system) / 1000 + childCpuMs.reduce((a, b) => a + b, 0);
}

/** Writes `count` events with `concurrency` in flight; returns once every entry has landed. */
async function run(count: number, label: string) {
  const landedBefore = await landedNow();
  const cpuBefore = originCpuMs();
  const relayedBefore = await counter(ctx.metrics.outboxDispatched);
  const redisBefore = await redisStats();
  const pgBefore = processCpuMs('postgres');
  const expected = count * fanout;
  const started = performance.now();
  let committed = 0;
  let committedAt = 0;
  let lastLanded = 0;
  const progress = setInterval(async () => {
    const landed = (await landedNow()) - landedBefore;
    const relayed = (await counter(ctx.metrics.outboxDispatched)) - relayedBefore;
    const q = await ctx.queue.counts().catch(() => ({ waiting: -1, active: -1, failed: -1 }));
    console.log(
      `  ${label}: committed ${committed}, relayed ${relayed}, landed ${landed} (+${landed - lastLanded}/s), ` +
        `queue waiting ${q.waiting} active ${q.active} failed ${q.failed}`,
    );
    lastLanded = landed;
  }, 1000);
  try {
    await forEachLimit(
      Array.from({ length: count }, (_, i) => i),
      concurrency,
      async () => {
        await writeOne();
        committed++;
      },
    );
    committedAt = performance.now();
    const deadline = committedAt + drainTimeoutMs;
    while ((await landedNow()) - landedBefore < expected) {
      if (performance.now() > deadline) {
        await explainStall();
        throw new Error(`${label}: not all entries landed ${drainTimeoutMs} ms after the last commit`);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    clearInterval(progress);
  }
  const seconds = (performance.now() - started) / 1000;
  const redisAfter = await redisStats();
  const pgAfter = processCpuMs('postgres');
  console.log(`  ${label}: Redis time by command: ${topCommands(redisBefore, redisAfter, count)}`);
  return {
    postgresCpuMsPerEvent: pgBefore === null || pgAfter === null ? null : (pgAfter - pgBefore) / count,
    seconds,
    originCpuMsPerEvent: (originCpuMs() - cpuBefore) / count,
    redisCpuMsPerEvent: ((redisAfter.cpuSeconds - redisBefore.cpuSeconds) * 1000) / count,
    commitSeconds: (committedAt - started) / 1000,
    landed: (await landedNow()) - landedBefore,
    redisCpuShare: (redisAfter.cpuSeconds - redisBefore.cpuSeconds) / seconds,
    redisBytesInPerEvent: (redisAfter.bytesIn - redisBefore.bytesIn) / count,
    insertUs:
      (redisAfter.insertUsec - redisBefore.insertUsec) / Math.max(1, redisAfter.insertCalls - redisBefore.insertCalls),
  };
}

await run(warmup, 'warm-up');
// As autovacuum keeps a live database: statistics that know the tables hold rows now (plans
// chosen for empty tables scan where they should look up), and a visibility map that lets the
// friends lookup read the friendships index alone (this machine's Postgres runs without
// autovacuum).
for (const db of ctx.cluster.router.physical) await db.rows('vacuum (analyze)');
const measured = await profiled(() => run(events, 'fanout'));
const insertsPerSec = measured.landed / measured.seconds;
const eventsPerSec = events / measured.seconds;
console.log(
  `fanout: ${events} events committed in ${measured.commitSeconds.toFixed(2)} s ` +
    `(${(events / measured.commitSeconds).toFixed(0)}/s), all ${measured.landed} entries landed after ` +
    `${measured.seconds.toFixed(2)} s = ${insertsPerSec.toFixed(0)} inserts/s, ${eventsPerSec.toFixed(0)} events/s; ` +
    `Redis busy ${(measured.redisCpuShare * 100).toFixed(0)}% of a core, ${measured.insertUs.toFixed(1)} µs per LPUSHX, ` +
    `${measured.redisBytesInPerEvent.toFixed(0)} bytes sent to it per event; ` +
    `CPU per event: origin ${measured.originCpuMsPerEvent.toFixed(2)} ms, Redis ${measured.redisCpuMsPerEvent.toFixed(2)} ms, ` +
    `PostgreSQL ${measured.postgresCpuMsPerEvent?.toFixed(2) ?? '?'} ms`,
);

// Every entry of this run is in its MRIs (those newer than the prefill; no MRI got past its maximum).
await ctx.queue.idle(60_000);
const counts = await Promise.all(
  readers.map(async (r) => (await ctx.timelines.page(mriOf(r), null, 10 * maxLength, firstItemMs)).entries.length),
);
const inMris = counts.reduce((a, b) => a + b, 0);
const totalExpected = (warmup + events) * fanout;
console.log(`fanout: MRIs hold ${inMris} entries of this run (expected ${totalExpected})`);
if (inMris !== totalExpected) console.log('fanout: WARNING: MRI contents differ from what fan-out reported');
const queueCounts = await ctx.queue.counts();
await Promise.all(
  children.map(
    (child) =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.send({ stop: true });
      }),
  ),
);

// --- the adapter alone ------------------------------------------------------------------------------
// RedisTimelines.add, one call per event with its 150 MRIs as one list (as fanoutItems passes
// them on from Postgres), as many calls in flight as the workers run jobs, into the same (full)
// timelines, newest entries.
const adapterEvents = Math.min(events, 5000);
const adapterConcurrency = workerConcurrency ?? 16;
const adapterBase = Date.now();
const adapterLists = friendsOfAuthor.map((friends) => mriListOf(tenant.id, shuffle([...friends], random)));
const adapterRedisBefore = await redisStats();
const adapterStarted = performance.now();
let adapterLanded = 0;
await forEachLimit(
  Array.from({ length: adapterEvents }, (_, i) => i),
  adapterConcurrency,
  async (i) => {
    const ms = adapterBase + i;
    const entry = { id: composeId(ms, i % 1024, 62, 0).toString(), type: 'status' as const };
    const mris = adapterLists[i % adapterLists.length]!;
    const landed = await ctx.timelines.add([{ entry, ms, timelines: [], mris }]);
    adapterLanded += landed;
  },
);
const adapterSeconds = (performance.now() - adapterStarted) / 1000;
const adapterRedisAfter = await redisStats();
const adapterInsertsPerSec = adapterLanded / adapterSeconds;
const adapterInsertUs =
  (adapterRedisAfter.insertUsec - adapterRedisBefore.insertUsec) /
  Math.max(1, adapterRedisAfter.insertCalls - adapterRedisBefore.insertCalls);
console.log(
  `fanout: adapter alone: ${adapterLanded} inserts in ${adapterSeconds.toFixed(2)} s = ` +
    `${adapterInsertsPerSec.toFixed(0)}/s; Redis busy ` +
    `${((100 * (adapterRedisAfter.cpuSeconds - adapterRedisBefore.cpuSeconds)) / adapterSeconds).toFixed(0)}% ` +
    `of a core, ${adapterInsertUs.toFixed(1)} µs per LPUSHX`,
);

await bench.close();

// --- raw ZADD -------------------------------------------------------------------------------------
const redisUrl = new URL(BENCH_REDIS_URL);
const dbnum = redisUrl.pathname.replace(/^\//, '') || '0';
const rawPrefix = 'chorus-bench-zadd:';
const raw = spawnSync(
  'redis-benchmark',
  [
    ...['-h', redisUrl.hostname, '-p', redisUrl.port || '6379', '--dbnum', dbnum],
    ...['-P', '64', '-n', String(rawRequests), '-r', '100000', '-q'],
    ...['zadd', `${rawPrefix}__rand_int__`, '__rand_int__', 'element:__rand_int__'],
  ],
  { encoding: 'utf8' },
);
if (raw.error || raw.status !== 0) throw new Error(`redis-benchmark failed: ${raw.error?.message ?? raw.stderr}`);
// Quiet mode rewrites one progress line with \r; the final figure is the last "N requests per second".
const rps = [...raw.stdout.matchAll(/([\d.]+) requests per second/g)].pop()?.[1];
if (!rps) throw new Error(`no requests per second in redis-benchmark output: ${raw.stdout}`);
const rawZaddPerSec = Number(rps);
const cleaner = openRedis(BENCH_REDIS_URL);
await unlinkMatching(cleaner, `${rawPrefix}*`);
cleaner.disconnect();
console.log(`fanout: redis-benchmark ZADD -P 64 on random keys: ${rawZaddPerSec.toFixed(0)}/s`);

console.log(
  JSON.stringify({
    insertsPerSec: Math.round(insertsPerSec),
    rawZaddPerSec: Math.round(rawZaddPerSec),
    ratio: Number((insertsPerSec / rawZaddPerSec).toFixed(3)),
    eventsPerSec: Math.round(eventsPerSec),
    commitPerSec: Math.round(events / measured.commitSeconds),
    adapterInsertsPerSec: Math.round(adapterInsertsPerSec),
    redisCpuShare: Number(measured.redisCpuShare.toFixed(2)),
    insertUs: Number(measured.insertUs.toFixed(1)),
    redisBytesInPerEvent: Math.round(measured.redisBytesInPerEvent),
    originCpuMsPerEvent: Number(measured.originCpuMsPerEvent.toFixed(2)),
    redisCpuMsPerEvent: Number(measured.redisCpuMsPerEvent.toFixed(2)),
    postgresCpuMsPerEvent:
      measured.postgresCpuMsPerEvent === null ? null : Number(measured.postgresCpuMsPerEvent.toFixed(2)),
    adapterInsertUs: Number(adapterInsertUs.toFixed(1)),
    prefill,
    recipients: fanout,
    events,
    shards: BENCH_SHARDS,
    concurrency,
    ...(workerConcurrency !== null ? { workerConcurrency } : {}),
    ...(workerProcesses > 0 ? { workerProcesses } : {}),
    ...(inMris !== totalExpected ? { mriMismatch: inMris - totalExpected } : {}),
    ...(queueCounts.failed ? { failedJobs: queueCounts.failed } : {}),
  }),
);
