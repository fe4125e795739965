// In-process queue for `npm start` without Redis: same contract (dedup by job id, retries with
// growing waits, dead letters, at-least-once), but jobs live only as long as the process. The
// transactional outbox delivers anything not done again after a restart, so nothing committed is lost.
import {
  type AddOptions,
  type DeadLetter,
  JOB_ATTEMPTS,
  type JobData,
  type JobHandler,
  type JobQueue,
  retryDelay,
} from './job-queue.js';

interface PendingJob {
  name: string;
  data: JobData;
  id: string;
  /** Set when the caller gave the id (deduplication); otherwise the id is only for dead letters. */
  given: boolean;
  dedupeKey?: string;
  attempt: number;
}

const DEAD_KEPT = 10_000;

export interface InProcessQueueOptions {
  retryDelay?: (attemptsMade: number) => number;
  attempts?: number;
}

export class InProcessQueue implements JobQueue {
  private readonly handlers = new Map<string, { handler: JobHandler; concurrency: number; running: number }>();
  private readonly waiting: PendingJob[] = [];
  private readonly knownIds = new Set<string>();
  private readonly pendingKeys = new Set<string>();
  private readonly dead: (DeadLetter & { job: PendingJob })[] = [];
  private readonly timers: NodeJS.Timeout[] = [];
  private delayed = 0;
  private closed = false;
  private nextId = 1;

  constructor(private readonly opts: InProcessQueueOptions = {}) {}

  async add(name: string, data: JobData, opts: AddOptions = {}): Promise<void> {
    if (opts.jobId) {
      if (this.knownIds.has(opts.jobId)) return;
      this.knownIds.add(opts.jobId);
    }
    if (opts.dedupeKey) {
      if (this.pendingKeys.has(opts.dedupeKey)) return;
      this.pendingKeys.add(opts.dedupeKey);
    }
    const id = opts.jobId ?? `${this.nextId++}`;
    this.waiting.push({ name, data, id, given: opts.jobId !== undefined, dedupeKey: opts.dedupeKey, attempt: 1 });
    this.pump();
  }

  async addBulk(jobs: { name: string; data: JobData; opts?: AddOptions }[]): Promise<void> {
    for (const j of jobs) await this.add(j.name, j.data, j.opts);
  }

  async schedule(name: string, everyMs: number, data: JobData = {}): Promise<void> {
    const timer = setInterval(() => void this.add(name, data, { jobId: `every-${name}` }), everyMs);
    timer.unref();
    this.timers.push(timer);
  }

  process(name: string, handler: JobHandler, opts: { concurrency?: number } = {}): void {
    this.handlers.set(name, { handler, concurrency: opts.concurrency ?? 8, running: 0 });
    this.pump();
  }

  private pump(): void {
    if (this.closed) return;
    for (let i = 0; i < this.waiting.length; i++) {
      const job = this.waiting[i]!;
      const h = this.handlers.get(job.name);
      if (!h || h.running >= h.concurrency) continue;
      this.waiting.splice(i--, 1);
      h.running++;
      h.handler(job.data).then(
        () => this.finish(job, h, null),
        (err: unknown) => this.finish(job, h, err),
      );
    }
  }

  private finish(job: PendingJob, h: { running: number }, err: unknown): void {
    h.running--;
    if (err && job.attempt < (this.opts.attempts ?? JOB_ATTEMPTS) && !this.closed) {
      this.delayed++;
      const timer = setTimeout(
        () => {
          this.delayed--;
          this.waiting.push({ ...job, attempt: job.attempt + 1 });
          this.pump();
        },
        (this.opts.retryDelay ?? retryDelay)(job.attempt),
      );
      timer.unref();
      return;
    }
    if (err) this.bury(job, err);
    if (job.dedupeKey) this.pendingKeys.delete(job.dedupeKey);
    // Forget completed ids after a while, as BullMQ's removeOnComplete does.
    if (job.given && !err) setTimeout(() => this.knownIds.delete(job.id), 60_000).unref();
    this.pump();
  }

  private bury(job: PendingJob, err: unknown): void {
    this.dead.unshift({
      queue: job.name,
      id: job.id,
      data: job.data,
      attempts: job.attempt,
      reason: err instanceof Error ? err.message : String(err),
      failedAt: new Date().toISOString(),
      job,
    });
    if (this.dead.length > DEAD_KEPT) this.dead.pop();
  }

  async idle(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.waiting.length > 0 || this.delayed > 0 || this.running() > 0) {
      if (Date.now() > deadline) throw new Error(`queue still busy after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  private running(): number {
    return [...this.handlers.values()].reduce((n, h) => n + h.running, 0);
  }

  async counts() {
    return { waiting: this.waiting.length + this.delayed, active: this.running(), failed: this.dead.length };
  }

  async deadLetters(limit = 100): Promise<DeadLetter[]> {
    return this.dead.slice(0, limit).map(({ job: _job, ...letter }) => letter);
  }

  async replayDeadLetters(which?: { queue: string; id: string }[]): Promise<number> {
    const chosen = which
      ? this.dead.filter((d) => which.some((w) => w.queue === d.queue && w.id === d.id))
      : [...this.dead];
    for (const d of chosen) {
      this.dead.splice(this.dead.indexOf(d), 1);
      this.waiting.push({ ...d.job, attempt: 1 });
    }
    this.pump();
    return chosen.length;
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearInterval(timer);
    // Running jobs finish (their results are what the outbox waits for); nothing new starts.
    while (this.running() > 0) await new Promise((r) => setTimeout(r, 5));
  }
}
