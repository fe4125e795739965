import { type JobsOptions, Queue, Worker } from 'bullmq';
import { openRedis, pingRedis, type RedisClient } from '../redis.js';
import { type AddOptions, JOB_ATTEMPTS, type JobData, type JobHandler, type JobQueue } from './job-queue.js';

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
  ) {
    // A brace inside the tag would end it early and split the queue over slots.
    if (/[{}]/.test(namespace)) throw new Error(`queue namespace must not contain braces: ${namespace}`);
    this.prefix = `{${namespace}}`;
  }

  private queue(name: string): Queue {
    let q = this.queues.get(name);
    if (!q) {
      const connection = openRedis(this.redisUrl, { forBullmq: true });
      this.connections.push(connection);
      q = new Queue(name, {
        connection,
        prefix: this.prefix,
        defaultJobOptions: {
          attempts: JOB_ATTEMPTS,
          backoff: { type: 'exponential', delay: 200 },
          removeOnComplete: 1000,
          removeOnFail: 5000,
        },
      });
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
    const connection = openRedis(this.redisUrl, { forBullmq: true });
    this.connections.push(connection);
    const worker = new Worker(name, async (job) => handler(job.data as JobData), {
      connection,
      prefix: this.prefix,
      concurrency: opts.concurrency ?? 8,
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

  async ping(): Promise<void> {
    this.pingConnection ??= openRedis(this.redisUrl);
    await pingRedis(this.pingConnection);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    for (const c of this.connections) c.disconnect();
    this.pingConnection?.disconnect();
  }
}

/** BullMQ's options for ours: dedupeKey is BullMQ's deduplication in simple mode (until finished). */
function jobOptions(opts: AddOptions): JobsOptions {
  return {
    ...(opts.jobId ? { jobId: opts.jobId } : {}),
    ...(opts.dedupeKey ? { deduplication: { id: opts.dedupeKey } } : {}),
  };
}
