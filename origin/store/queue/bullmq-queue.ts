import { type Job, type JobsOptions, Queue, Worker } from 'bullmq';
import { openRedis, pingRedis, type RedisClient } from '../redis.js';
import {
  type AddOptions,
  type DeadLetter,
  JOB_ATTEMPTS,
  type JobData,
  type JobHandler,
  type JobQueue,
  retryDelay,
} from './job-queue.js';

export interface BullmqQueueOptions {
  /** Each add, count or ping fails after this long without an answer (REDIS_COMMAND_TIMEOUT_MS). */
  commandTimeoutMs?: number;
  /** Waits before retries (tests shorten them); job-queue.ts RETRY_DELAYS_MS by default. */
  retryDelay?: (attemptsMade: number) => number;
  attempts?: number;
}

/** How many dead letters BullMQ keeps per queue (and for how long), for an operator to replay. */
const DEAD_KEPT = { count: 10_000, age: 14 * 86_400 };

/**
 * BullMQ on Redis or a Redis Cluster (REDIS_URL=redis-cluster://...). The queue prefix is a hash
 * tag (`{chorus}`, `{test-1a2b3c4d}`), so every key of every queue of one namespace shares one
 * Cluster slot, as BullMQ's Lua scripts require.
 */
export class BullmqQueue implements JobQueue {
  private readonly queues = new Map<string, Queue>();
  private readonly workers: Worker[] = [];
  private readonly connections: RedisClient[] = [];
  private readonly prefix: string;
  private pingConnection: RedisClient | undefined;

  constructor(
    private readonly redisUrl: string,
    namespace = 'chorus',
    private readonly opts: BullmqQueueOptions = {},
  ) {
    // A brace inside the tag would end it early and split the queue over slots.
    if (/[{}]/.test(namespace)) throw new Error(`queue namespace must not contain braces: ${namespace}`);
    this.prefix = `{${namespace}}`;
  }

  private queue(name: string): Queue {
    let q = this.queues.get(name);
    if (!q) {
      // Adds fail fast when Redis is away (the outbox keeps what could not be queued).
      const connection = openRedis(this.redisUrl, { role: 'producer', commandTimeoutMs: this.opts.commandTimeoutMs });
      this.connections.push(connection);
      q = new Queue(name, {
        connection,
        prefix: this.prefix,
        defaultJobOptions: {
          attempts: this.opts.attempts ?? JOB_ATTEMPTS,
          backoff: { type: 'chorus' },
          removeOnComplete: 1000,
          removeOnFail: DEAD_KEPT,
        },
      });
      q.on('error', () => {}); // connection errors surface in the calls that fail
      this.queues.set(name, q);
    }
    return q;
  }

  async add(name: string, data: JobData, opts: AddOptions = {}): Promise<void> {
    await this.queue(name).add(name, data, jobOptions(opts));
  }

  async addBulk(jobs: { name: string; data: JobData; opts?: AddOptions }[]): Promise<void> {
    const byName = new Map<string, { name: string; data: JobData; opts: JobsOptions }[]>();
    for (const j of jobs) {
      const list = byName.get(j.name) ?? [];
      list.push({ name: j.name, data: j.data, opts: jobOptions(j.opts ?? {}) });
      byName.set(j.name, list);
    }
    await Promise.all([...byName].map(([name, list]) => this.queue(name).addBulk(list)));
  }

  async schedule(name: string, everyMs: number, data: JobData = {}): Promise<void> {
    // A job scheduler lives in Redis, so every process upserting it leaves exactly one.
    await this.queue(name).upsertJobScheduler(`every-${name}`, { every: everyMs }, { name, data });
  }

  process(name: string, handler: JobHandler, opts: { concurrency?: number } = {}): void {
    this.queue(name);
    const connection = openRedis(this.redisUrl, { role: 'worker' });
    this.connections.push(connection);
    const worker = new Worker(name, async (job) => handler(job.data as JobData), {
      connection,
      prefix: this.prefix,
      concurrency: opts.concurrency ?? 8,
      settings: workerSettings(this.opts.retryDelay),
    });
    worker.on('error', () => {}); // connection errors are retried by BullMQ; /readyz reports them
    this.workers.push(worker);
  }

  async idle(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      let busy = 0;
      for (const q of this.queues.values()) {
        const c = await q.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
        busy += (c.waiting ?? 0) + (c.active ?? 0) + (c.delayed ?? 0) + (c.prioritized ?? 0);
      }
      if (busy === 0) return;
      if (Date.now() > deadline) throw new Error(`queue still busy after ${timeoutMs} ms (${busy} jobs)`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async counts() {
    let waiting = 0;
    let active = 0;
    let failed = 0;
    for (const q of this.queues.values()) {
      const c = await q.getJobCounts('waiting', 'active', 'failed');
      waiting += c.waiting ?? 0;
      active += c.active ?? 0;
      failed += c.failed ?? 0;
    }
    return { waiting, active, failed };
  }

  async deadLetters(limit = 100): Promise<DeadLetter[]> {
    const all: DeadLetter[] = [];
    for (const [name, q] of this.queues) {
      const jobs = await q.getFailed(0, limit - 1);
      for (const job of jobs) if (job) all.push(deadLetterOf(name, job));
    }
    return all.sort((a, b) => b.failedAt.localeCompare(a.failedAt)).slice(0, limit);
  }

  async replayDeadLetters(which?: { queue: string; id: string }[]): Promise<number> {
    let replayed = 0;
    if (which) {
      for (const { queue, id } of which) {
        const q = this.queues.get(queue);
        const job = q ? await q.getJob(id) : undefined;
        if (job && (await job.isFailed())) {
          await job.retry('failed');
          replayed++;
        }
      }
      return replayed;
    }
    for (const q of this.queues.values()) {
      for (;;) {
        const jobs = (await q.getFailed(0, 99)).filter((j): j is Job => Boolean(j));
        if (jobs.length === 0) break;
        for (const job of jobs) await job.retry('failed');
        replayed += jobs.length;
      }
    }
    return replayed;
  }

  async ping(): Promise<void> {
    this.pingConnection ??= openRedis(this.redisUrl, { commandTimeoutMs: this.opts.commandTimeoutMs });
    await pingRedis(this.pingConnection);
  }

  async close(): Promise<void> {
    // Worker.close waits for the jobs it is running to finish; it takes no new ones meanwhile.
    await Promise.all(this.workers.map((w) => w.close()));
    await Promise.all([...this.queues.values()].map((q) => q.close().catch(() => {})));
    for (const c of this.connections) c.disconnect();
    this.pingConnection?.disconnect();
  }
}

/** What every Worker of our jobs needs: the waits of the 'chorus' backoff our jobs name. */
export function workerSettings(delay: (attemptsMade: number) => number = retryDelay) {
  return { backoffStrategy: (attemptsMade: number) => delay(attemptsMade) };
}

function deadLetterOf(queue: string, job: Job): DeadLetter {
  return {
    queue,
    id: String(job.id),
    data: job.data as JobData,
    attempts: job.attemptsMade,
    reason: job.failedReason ?? '',
    failedAt: new Date(job.finishedOn ?? job.timestamp).toISOString(),
  };
}

/** BullMQ's options for ours: dedupeKey is BullMQ's deduplication in simple mode (until finished). */
function jobOptions(opts: AddOptions): JobsOptions {
  return {
    ...(opts.jobId ? { jobId: opts.jobId } : {}),
    ...(opts.dedupeKey ? { deduplication: { id: opts.dedupeKey } } : {}),
  };
}
