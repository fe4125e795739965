// In-process queue for `npm start` without Redis: same contract (dedup by job id, retries with
// backoff, at-least-once), but jobs live only as long as the process. The transactional outbox
// re-enqueues anything undispatched after a restart, so nothing committed is lost.
import { type AddOptions, JOB_ATTEMPTS, type JobData, type JobHandler, type JobQueue } from './job-queue.js';

interface PendingJob {
  name: string;
  data: JobData;
  id?: string;
  dedupeKey?: string;
  attempt: number;
}

export class InProcessQueue implements JobQueue {
  private readonly handlers = new Map<string, { handler: JobHandler; concurrency: number; running: number }>();
  private readonly waiting: PendingJob[] = [];
  private readonly knownIds = new Set<string>();
  private readonly pendingKeys = new Set<string>();
  private delayed = 0;
  private failed = 0;
  private closed = false;

  async add(name: string, data: JobData, opts: AddOptions = {}): Promise<void> {
    if (opts.jobId) {
      if (this.knownIds.has(opts.jobId)) return;
      this.knownIds.add(opts.jobId);
    }
    if (opts.dedupeKey) {
      if (this.pendingKeys.has(opts.dedupeKey)) return;
      this.pendingKeys.add(opts.dedupeKey);
    }
    this.waiting.push({ name, data, id: opts.jobId, dedupeKey: opts.dedupeKey, attempt: 1 });
    this.pump();
  }

  async addBulk(jobs: { name: string; data: JobData; opts?: AddOptions }[]): Promise<void> {
    for (const j of jobs) await this.add(j.name, j.data, j.opts);
  }

  private readonly timers: NodeJS.Timeout[] = [];

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
    if (err) {
      if (job.attempt < JOB_ATTEMPTS && !this.closed) {
        this.delayed++;
        setTimeout(
          () => {
            this.delayed--;
            this.waiting.push({ ...job, attempt: job.attempt + 1 });
            this.pump();
          },
          50 * 2 ** job.attempt,
        ).unref();
      } else {
        this.failed++;
        if (job.dedupeKey) this.pendingKeys.delete(job.dedupeKey);
      }
    } else if (job.dedupeKey) {
      this.pendingKeys.delete(job.dedupeKey);
    }
    // Forget completed ids after a while, as BullMQ's removeOnComplete does.
    if (job.id && !err) setTimeout(() => this.knownIds.delete(job.id!), 60_000).unref();
    this.pump();
  }

  async idle(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.waiting.length > 0 || this.delayed > 0 || [...this.handlers.values()].some((h) => h.running > 0)) {
      if (Date.now() > deadline) throw new Error(`queue still busy after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  async counts() {
    const active = [...this.handlers.values()].reduce((n, h) => n + h.running, 0);
    return { waiting: this.waiting.length + this.delayed, active, failed: this.failed };
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearInterval(timer);
  }
}
