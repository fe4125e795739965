// The message queue for background work between servers (fan-out, rebuilds, backfills, purge,
// consistency checks). Jobs must be idempotent: every adapter may run a job more than once.
//
// A failing job is retried with growing waits (RETRY_DELAYS_MS) for several minutes, long enough
// to ride out a restart of Redis or a database; one that still fails is kept as a dead letter,
// which an operator lists and replays (GET/POST /admin/queue/dead). Jobs relayed from the outbox
// are delivered again by the relay until they report back done (jobs/outbox-relay.ts), so a job
// lost with its queue (a Redis restarted without persistence) is not lost for good either.

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

/** A job that failed every attempt. */
export interface DeadLetter {
  queue: string;
  id: string;
  data: JobData;
  attempts: number;
  /** The last attempt's error message. */
  reason: string;
  failedAt: string;
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
  /** Dead letters, newest first, of every queue this process knows (at most `limit`). */
  deadLetters(limit?: number): Promise<DeadLetter[]>;
  /** Runs dead letters again (all of them, or those named); returns how many were queued. */
  replayDeadLetters(which?: { queue: string; id: string }[]): Promise<number>;
  ping(): Promise<void>;
  /** Stops taking jobs, lets the running ones finish, then lets go of its connections. */
  close(): Promise<void>;
}

/**
 * Waits before each retry: 0.2 s doubling to a minute, then a minute each, about seven minutes in
 * all before a job becomes a dead letter. The number of attempts is one more than the waits.
 */
export const RETRY_DELAYS_MS: readonly number[] = [
  200, 400, 800, 1600, 3200, 6400, 12_800, 25_600, 51_200, 60_000, 60_000, 60_000, 60_000, 60_000, 60_000, 60_000,
];
export const JOB_ATTEMPTS = RETRY_DELAYS_MS.length + 1;

/** The wait before retry number `attemptsMade` (1 for the first retry). */
export function retryDelay(attemptsMade: number): number {
  return RETRY_DELAYS_MS[Math.min(attemptsMade, RETRY_DELAYS_MS.length) - 1] ?? 60_000;
}
