// The message queue for background work between servers (fan-out now; media, purge and
// consistency checks later). Jobs must be idempotent: every adapter may run a job more than once.

export type JobData = Record<string, string>;
export type JobHandler = (data: JobData) => Promise<void>;

export interface AddOptions {
  /** Deduplicates: a second add with the same id while the first is known is dropped. */
  jobId?: string;
  /**
   * Deduplicates only while pending: a second add with the same key while the first is waiting
   * or running is dropped; once it has finished (or failed for good), the key is free again.
   */
  dedupeKey?: string;
}

export interface JobQueue {
  add(name: string, data: JobData, opts?: AddOptions): Promise<void>;
  /** Adds many jobs in one round trip per job name (the outbox relay's batches). */
  addBulk(jobs: { name: string; data: JobData; opts?: AddOptions }[]): Promise<void>;
  /** Runs a job of this name every `everyMs`, once across the cluster (not once per process). */
  schedule(name: string, everyMs: number, data?: JobData): Promise<void>;
  /** Starts consuming jobs of this name in this process. */
  process(name: string, handler: JobHandler, opts?: { concurrency?: number }): void;
  /** Resolves once nothing is waiting, delayed or running (for tests and clean shutdown). */
  idle(timeoutMs?: number): Promise<void>;
  counts(): Promise<{ waiting: number; active: number; failed: number }>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const JOB_ATTEMPTS = 5;
