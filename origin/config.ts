// Configuration comes from the environment only, validated once at start: a bad value stops
// the process with a message naming it, instead of failing on the first request.
import { z } from 'zod';
import { redactUrls } from './log/redact.js';

const urlList = z
  .string()
  .transform((s) =>
    s
      .split(/[\s,]+/)
      .map((u) => u.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')));

/** A rate limit: `N/period` (`25/5m`: 25 per 5 minutes; s, m, h, d), or `off`. */
const rateLimit = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((s, ctx) => {
      if (s === 'off') return null;
      const m = /^([0-9]{1,9})\/([0-9]{0,6})(s|m|h|d)$/.exec(s.trim());
      if (!m) {
        ctx.addIssue({ code: 'custom', message: 'use N/period, e.g. 25/5m (s, m, h or d), or off' });
        return z.NEVER;
      }
      const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[3] as 's' | 'm' | 'h' | 'd'];
      return { limit: Number(m[1]), windowMs: Number(m[2] || 1) * unit };
    });

export const ConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8788),
  HOST: z.string().default('127.0.0.1'),
  ORIGIN_SECRET: z.string().min(16, 'ORIGIN_SECRET must be at least 16 characters (shared with the edge)'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//)
    .optional(),
  DATABASE_URLS: urlList.optional(),
  /** Optional read replica per shard, in DATABASE_URLS order; leave an entry empty for none. */
  DATABASE_REPLICA_URLS: z
    .string()
    .transform((s) => s.split(',').map((u) => u.trim()))
    .pipe(z.array(z.union([z.literal(''), z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')])))
    .optional(),
  /**
   * Connections per shard database and process. Each is a Postgres backend process: with group
   * commit and batched fan-out queries few suffice, and on a small machine more are slower
   * (8 databases x 10 cost the fanout benchmark a third more Postgres CPU than x 3).
   */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(4),
  SHARD_TIMEOUT_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
  PURGE_AFTER_HOURS: z.coerce.number().min(0).default(720),
  PURGE_EVERY_MINUTES: z.coerce.number().min(1).default(60),
  OUTBOX_RETENTION_DAYS: z.coerce.number().int().min(1).default(30),
  NOTIFICATION_RETENTION_DAYS: z.coerce.number().int().min(1).default(365),
  ADMIN_TOKEN: z.string().min(16).optional(),
  /** redis://host:port for one server, or redis-cluster://host:port,host:port,... for a Redis Cluster. */
  REDIS_URL: z
    .string()
    .regex(
      /^(rediss?:\/\/|rediss?-cluster:\/\/([^@/]*@)?[^,@/\s]+(,[^,@/\s]+)*\/?$)/,
      'must be a redis:// URL or redis-cluster://host:port,host:port,...',
    )
    .optional(),
  DATA_DIR: z.string().default('./data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Off unless asked for: `npm start` asks only when it creates a new embedded database. */
  DEMO_SEED: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  TIMELINE_MAX_LENGTH: z.coerce.number().int().min(10).max(100_000).default(800),
  FANOUT_BATCH: z.coerce.number().int().min(1).max(100_000).default(1000),
  /** A reader who has not read for this long drops out of fan-out; their next read rebuilds. */
  TIMELINE_IDLE_DAYS: z.coerce.number().positive().max(3650).default(30),
  /** Default for tenants that set none: authors with more friends than this are pulled, not pushed. */
  CELEBRITY_LIMIT: z.coerce.number().int().min(0).max(10_000_000).default(500),
  /** Members the in-process activity filter is sized for (8 bytes a slot at 80% load). */
  ACTIVITY_FILTER_MEMBERS: z.coerce.number().int().min(1000).max(100_000_000).default(1_000_000),
  /**
   * Starts every Redis key and channel of this deployment (timelines, queues, nonces, rate limits,
   * the activity bus), so deployments can share one Redis without meeting each other's keys.
   */
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,40}$/, 'use 1-40 letters, digits, dots, dashes or underscores')
    .default('chorus'),
  /** A Redis command without an answer by then fails (and reads fall back to Postgres). */
  REDIS_COMMAND_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
  /** Postgres cancels a statement running longer (batch jobs that need longer raise it for themselves). */
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(10_000),
  /** The origin gives up waiting for a hot-path query's answer (a stopped or hung server) after this. */
  DATABASE_QUERY_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(5000),
  /**
   * An outbox record whose job has not reported back done this long after it was queued is queued
   * again (and twice as long after each time, up to 256 times this): jobs lost with their queue
   * or dead-lettered still happen.
   */
  OUTBOX_REDELIVER_MS: z.coerce.number().int().min(100).max(86_400_000).default(30_000),
  // Rate limits (origin/abuse/rate-limits.ts), counted in Redis so every process and edge isolate
  // shares them; per the visitor's IP (from the edge's signed header), member, account or tenant.
  RATE_LIMIT_SIGNUP_IP: rateLimit('5/30m'),
  RATE_LIMIT_SIGNUP_TENANT: rateLimit('500/1h'),
  RATE_LIMIT_LOGIN_IP: rateLimit('25/5m'),
  RATE_LIMIT_LOGIN_ACCOUNT: rateLimit('25/5m'),
  RATE_LIMIT_POSTS_MEMBER: rateLimit('300/3h'),
  RATE_LIMIT_FRIEND_REQUESTS_MEMBER: rateLimit('400/1d'),
  RATE_LIMIT_WRITES_IP: rateLimit('1000/1h'),
  RATE_LIMIT_EXPENSIVE_READS_IP: rateLimit('300/1m'),
  /** Largest request body the origin reads (JSON API; the edge caps form posts lower). */
  ORIGIN_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(100 * 1024 * 1024)
    .default(64 * 1024),

  // Process lifecycle (origin/lifecycle/shutdown.ts).
  /** After SIGTERM, /readyz answers 503 this long while requests are still served, so a load balancer notices. */
  SHUTDOWN_DRAIN_MS: z.coerce.number().int().min(0).max(300_000).default(2000),
  /** Deadline of the whole shutdown (drain included): past it the process logs what is pending and exits 1. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(15_000),
});

export type Config = z.infer<typeof ConfigSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    // Messages name no values today; redacted in case a validator ever quotes a URL.
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${redactUrls(i.message)}`);
    throw new Error(`invalid configuration:\n${lines.join('\n')}`);
  }
  const config = parsed.data;
  if (config.DATABASE_URL && !config.DATABASE_URLS?.length) {
    // One URL means one database holding the directory and every logical shard.
    config.DATABASE_URLS = [config.DATABASE_URL];
  }
  return config;
}
