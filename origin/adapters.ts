// Builds the context from configuration: real PostgreSQL and Redis when their URLs are set,
// embedded PGlite and in-process adapters otherwise. The only place that chooses adapters.
import { join } from 'node:path';
import pino from 'pino';
import { RateWindows } from './abuse/rate-limits.js';
import { RedisSlidingWindow } from './abuse/sliding-window.js';
import { InProcessActivityBus, RedisActivityBus } from './activity/activity-bus.js';
import { ActivityIndex } from './activity/activity-index.js';
import { rebuildActivityIndex } from './activity/rebuild.js';
import type { Config } from './config.js';
import type { OriginContext } from './context.js';
import { createMetrics } from './http/metrics.js';
import { forgetItem } from './items/items.js';
import { OutboxAcks } from './jobs/outbox-acks.js';
import { OutboxRelay } from './jobs/outbox-relay.js';
import { configRedactor } from './log/redact.js';
import { forgetMember } from './members/members.js';
import { forgetSessions } from './members/sessions.js';
import { DependencyHealth } from './store/dependency-health.js';
import { MemoryNonces, RedisNonces, SharedNonces } from './store/nonces/nonce-store.js';
import { BullmqQueue } from './store/queue/bullmq-queue.js';
import { InProcessQueue } from './store/queue/in-process-queue.js';
import { clusterReady, openRedis } from './store/redis.js';
import { openCluster } from './store/shards/cluster.js';
import { IdGenerator } from './store/shards/ids.js';
import { MemoryTimelines } from './store/timelines/memory-timelines.js';
import { RedisTimelines } from './store/timelines/redis-timelines.js';

export interface Runtime {
  ctx: OriginContext;
  relay: OutboxRelay;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  /** Embedded mode only: keep PGlite in memory instead of under DATA_DIR (tests). */
  inMemory?: boolean;
  /** Separates BullMQ queues of parallel test runs on one Redis. */
  queueNamespace?: string;
  /** Where log lines go (tests capture them); stdout by default. */
  logDestination?: pino.DestinationStream;
}

export async function createRuntime(config: Config, opts: RuntimeOptions = {}): Promise<Runtime> {
  const log = pino(
    // Every line passes the redactor: a driver's error may carry a connection URL.
    { level: config.LOG_LEVEL, base: { service: 'origin' }, hooks: { streamWrite: configRedactor(config) } },
    opts.logDestination,
  );
  const metrics = createMetrics();
  const cluster = await openCluster({
    directoryUrl: config.DATABASE_URL,
    shardUrls: config.DATABASE_URLS,
    replicaUrls: config.DATABASE_REPLICA_URLS,
    maxConnectionsPerShard: config.DATABASE_POOL_SIZE,
    statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
    queryTimeoutMs: config.DATABASE_QUERY_TIMEOUT_MS,
    onMapError: (err) => log.warn({ err }, 'shard map reload failed; keeping the one in use'),
    onShardError: (shard, err) =>
      log.error({ err, shard: shard.name }, 'shard unavailable at start; serving the others'),
    dataDir: opts.inMemory ? undefined : join(config.DATA_DIR, 'pglite'),
  });
  const ids = await IdGenerator.start(cluster.directory);
  // REDIS_URL may name one Redis or a Redis Cluster (redis-cluster://host:port,...).
  const redisOptions = { commandTimeoutMs: config.REDIS_COMMAND_TIMEOUT_MS };
  const keyPrefix = `${config.REDIS_KEY_PREFIX}:`;
  const redis = config.REDIS_URL ? openRedis(config.REDIS_URL, redisOptions) : null;
  const redisHealth = new DependencyHealth('redis', log, metrics);
  if (redis) await clusterReady(redis).catch((err) => log.warn({ err }, 'Redis Cluster not ready yet'));
  const timelineOptions = {
    maxLength: config.TIMELINE_MAX_LENGTH,
    idleTtlMs: config.TIMELINE_IDLE_DAYS * 86_400_000,
    keyPrefix,
  };
  const timelines = redis ? new RedisTimelines(redis, timelineOptions) : new MemoryTimelines(timelineOptions);
  const bus = redis
    ? new RedisActivityBus(redis, openRedis(config.REDIS_URL!, redisOptions), `${keyPrefix}activity`)
    : new InProcessActivityBus();
  const activity = new ActivityIndex(bus, config.ACTIVITY_FILTER_MEMBERS);
  await activity.start();
  const queue = config.REDIS_URL
    ? new BullmqQueue(config.REDIS_URL, opts.queueNamespace ?? config.REDIS_KEY_PREFIX, redisOptions)
    : new InProcessQueue();
  const nonces = redis ? new SharedNonces(new RedisNonces(redis, keyPrefix), redisHealth) : new MemoryNonces();
  let relay: OutboxRelay | undefined;
  const ctx: OriginContext = {
    config,
    log,
    metrics,
    cluster,
    ids,
    timelines,
    activity,
    queue,
    nonces,
    redisMode: redis ? 'redis' : 'in-process',
    redisHealth,
    outboxAcks: new OutboxAcks({ cluster, log }),
    rateWindows: new RateWindows(redis ? new RedisSlidingWindow(redis, keyPrefix) : null, redisHealth),
    lifecycle: { draining: false },
    dispatchOutbox: (db, records) => relay?.dispatch(db, records),
  };
  relay = new OutboxRelay(ctx);
  activity.onItemChanged((tenant, item) => forgetItem(ctx, tenant, item));
  activity.onMemberChanged((tenant, member) => {
    forgetMember(ctx, tenant, member);
    forgetSessions(ctx, tenant, member);
  });
  const rebuilt = await rebuildActivityIndex(ctx);
  log.info(rebuilt, 'activity index rebuilt from the shards');
  return {
    ctx,
    relay,
    async close() {
      await relay.stop();
      await queue.close();
      await ctx.outboxAcks.flush();
      await ids.stop().catch(() => {});
      await timelines.close();
      await activity.close();
      await cluster.close();
    },
  };
}
