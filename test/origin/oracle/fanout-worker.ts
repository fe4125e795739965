// Child process of test/origin/streams-oracle.test.ts (not a test itself): an origin worker
// process. It runs the origin's own job handlers (jobs/processors.ts startProcessors) on BullMQ
// workers, with a short lock and stalled-check interval so that the jobs of a killed worker are
// taken over within seconds rather than the default 30 s (the recovery mechanism is BullMQ's, the
// timing is the test's).
//
// IPC with the test:
//   -> { ready: true }                 workers are connected and consuming
//   <- { arm: memberId }               hang the next fan-out job of an item by that member...
//   -> { armed: memberId }
//   -> { midJob: itemId, landed }      ...after its second timeline batch has landed: it then
//                                      waits forever, holding its lock, until the test kills us
// Environment: ORACLE_DATABASE_URL, ORACLE_SHARD_URLS (comma-separated), ORACLE_REDIS_URL,
// ORACLE_QUEUE_NAMESPACE, ORACLE_FANOUT_BATCH, ORACLE_LOCK_MS, ORACLE_STALLED_MS, optional
// ORACLE_TIMELINE_MAX_LENGTH.
import { AsyncLocalStorage } from 'node:async_hooks';
import { Worker } from 'bullmq';
import { createRuntime } from '../../../origin/adapters.js';
import { ConfigSchema } from '../../../origin/config.js';
import type { OriginContext } from '../../../origin/context.js';
import { startProcessors } from '../../../origin/jobs/processors.js';
import { workerSettings } from '../../../origin/store/queue/bullmq-queue.js';
import type { JobQueue } from '../../../origin/store/queue/job-queue.js';
import { openRedis } from '../../../origin/store/redis.js';
import type { TimelineStore } from '../../../origin/store/timelines/timeline-store.js';

function env(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is required`);
  return v;
}

const redisUrl = env('ORACLE_REDIS_URL');
const namespace = env('ORACLE_QUEUE_NAMESPACE');
const lockMs = Number(env('ORACLE_LOCK_MS'));
const stalledMs = Number(env('ORACLE_STALLED_MS'));

const config = ConfigSchema.parse({
  ORIGIN_SECRET: 'oracle-worker-secret-0123456789',
  LOG_LEVEL: 'silent',
  DEMO_SEED: 'false',
  DATABASE_URL: env('ORACLE_DATABASE_URL'),
  DATABASE_URLS: env('ORACLE_SHARD_URLS'),
  REDIS_URL: redisUrl,
  FANOUT_BATCH: env('ORACLE_FANOUT_BATCH'),
  ...(process.env.ORACLE_TIMELINE_MAX_LENGTH ? { TIMELINE_MAX_LENGTH: process.env.ORACLE_TIMELINE_MAX_LENGTH } : {}),
  DATABASE_POOL_SIZE: '3',
});
const runtime = await createRuntime(config, { inMemory: true, queueNamespace: namespace });
const real = runtime.ctx;

/** The job each handler call belongs to, so the timeline wrapper knows where it is. */
const currentJob = new AsyncLocalStorage<{ name: string; adds: number; armed: boolean }>();
let armedFor: string | null = null;

const timelines: TimelineStore = {
  async add(writes) {
    const job = currentJob.getStore();
    const first = writes[0];
    // Fan-out writes the actor's ORI (and MRI) first: the first batch names the item's author.
    if (job && job.name === 'fanout' && job.adds === 0 && first?.timelines[0]?.kind === 'ori') {
      job.armed = armedFor !== null && first.timelines[0]!.owner === armedFor;
    }
    const landed = await real.timelines.add(writes);
    if (!job) return landed;
    job.adds++;
    if (job.armed && job.adds === 2 && armedFor !== null) {
      armedFor = null;
      process.send?.({ midJob: first!.entry.id, landed });
      await new Promise(() => {}); // never returns: the test SIGKILLs this process now
    }
    return landed;
  },
  page: (...a) => real.timelines.page(...a),
  remove: (...a) => real.timelines.remove(...a),
  state: (...a) => real.timelines.state(...a),
  beginRebuild: (...a) => real.timelines.beginRebuild(...a),
  completeRebuild: (...a) => real.timelines.completeRebuild(...a),
  clear: (...a) => real.timelines.clear(...a),
  ping: () => real.timelines.ping(),
  close: () => real.timelines.close(),
};

const workers: Worker[] = [];
const queue: JobQueue = {
  add: (...a) => real.queue.add(...a),
  addBulk: (...a) => real.queue.addBulk(...a),
  schedule: (...a) => real.queue.schedule(...a),
  idle: (...a) => real.queue.idle(...a),
  counts: () => real.queue.counts(),
  deadLetters: (...a) => real.queue.deadLetters(...a),
  replayDeadLetters: (...a) => real.queue.replayDeadLetters(...a),
  ping: () => real.queue.ping(),
  close: () => real.queue.close(),
  process(name, handler, opts = {}) {
    const worker = new Worker(
      name,
      async (job) => {
        await currentJob.run({ name, adds: 0, armed: false }, () => handler(job.data));
      },
      {
        connection: openRedis(redisUrl, { role: 'worker' }),
        prefix: `{${namespace}}`,
        concurrency: opts.concurrency ?? 8,
        settings: workerSettings(),
        lockDuration: lockMs,
        stalledInterval: stalledMs,
      },
    );
    worker.on('error', () => {});
    workers.push(worker);
  },
};

const ctx: OriginContext = { ...real, timelines, queue };
startProcessors(ctx);
await Promise.all(workers.map((w) => w.waitUntilReady()));

process.on('message', (m: { arm?: string }) => {
  if (m.arm) {
    armedFor = m.arm;
    process.send?.({ armed: m.arm });
  }
});

process.on('SIGTERM', () => {
  void (async () => {
    await Promise.all(workers.map((w) => w.close()));
    await runtime.close();
    process.exit(0);
  })();
});

process.send?.({ ready: true });
