// The origin's context: a plain object holding adapters and settings, built once in main.ts
// (or by a test) and passed to every service. No DI framework.
import type { Logger } from 'pino';
import type { SlidingWindow } from './abuse/sliding-window.js';
import type { ActivityIndex } from './activity/activity-index.js';
import type { Config } from './config.js';
import type { Metrics } from './http/metrics.js';
import type { OutboxAcks } from './jobs/outbox-acks.js';
import type { OutboxRecord } from './jobs/outbox-relay.js';
import type { DependencyHealth } from './store/dependency-health.js';
import type { NonceStore } from './store/nonces/nonce-store.js';
import type { JobQueue } from './store/queue/job-queue.js';
import type { Cluster } from './store/shards/cluster.js';
import type { Database } from './store/shards/database.js';
import type { IdGenerator } from './store/shards/ids.js';
import type { TimelineStore } from './store/timelines/timeline-store.js';

export interface OriginContext {
  config: Config;
  log: Logger;
  metrics: Metrics;
  cluster: Cluster;
  ids: IdGenerator;
  timelines: TimelineStore;
  /** Who published when, and who is a celebrity: consulted by readers before pulling. */
  activity: ActivityIndex;
  queue: JobQueue;
  nonces: NonceStore;
  /** Rate-limit counters every process shares (Redis), or this process's own while Redis is away. */
  rateWindows: SlidingWindow;
  /** Jobs from the outbox report here when done, so the relay stops delivering their records. */
  outboxAcks: OutboxAcks;
  /** Records just committed to `db`'s outbox: the relay enqueues them now instead of polling for them. */
  dispatchOutbox(db: Database, records: OutboxRecord[]): void;
  /** Names the Redis behind timelines/queue for /readyz, or 'in-process'. */
  redisMode: 'redis' | 'in-process';
  /** Whether Redis answers, as its callers saw: reads with a Postgres fallback skip it while it does not. */
  redisHealth: DependencyHealth;
  /** Set by the shutdown sequence (lifecycle/shutdown.ts): once draining, /readyz answers 503. */
  lifecycle: { draining: boolean };
}
