// Readiness: the process can serve — it is not draining and its directory answers (every
// request needs its tenant from there). A shard or Redis that does not answer makes the process
// degraded, not unready: the other shards' members are served, and reads go to Postgres while
// Redis is away; taking every origin out of the balancer for it would turn a partial outage into
// a total one. The public /readyz tells a load balancer only "ready", "degraded" or "unavailable":
// check names carry host and shard names and error texts carry addresses, so those go to the log
// (rate-limited) and to the operator route /admin/readyz.
import type { Logger } from 'pino';
import type { OriginContext } from '../context.js';
import { redactUrls } from '../log/redact.js';

export interface Readiness {
  ready: boolean;
  /** Ready, but some shard or Redis does not answer (its checks say which). */
  degraded: boolean;
  /** Shutting down: answering 503 so the load balancer stops sending, while requests finish. */
  draining: boolean;
  /** Each dependency: 'ok' or 'error: …'. */
  checks: Record<string, string>;
}

const CHECK_TIMEOUT_MS = 2000;
/** A dependency that stays down is logged again this often, not on every probe. */
export const NOT_READY_LOG_EVERY_MS = 30_000;

async function check(fn: () => Promise<unknown>): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer in ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      }),
    ]);
    return 'ok';
  } catch (err) {
    return `error: ${redactUrls((err as Error).message)}`;
  } finally {
    clearTimeout(timer);
  }
}

export async function checkReadiness(ctx: OriginContext): Promise<Readiness> {
  const probes = [
    ...ctx.cluster.all().map((db) => [db.name, () => db.ping()] as const),
    [`timelines (${ctx.redisMode})`, () => ctx.timelines.ping()] as const,
    [`queue (${ctx.redisMode})`, () => ctx.queue.ping()] as const,
  ];
  const checks: Record<string, string> = {};
  await Promise.all(
    probes.map(async ([name, fn]) => {
      checks[name] = await check(fn);
    }),
  );
  const draining = ctx.lifecycle.draining;
  const ready = !draining && checks[ctx.cluster.directory.name] === 'ok';
  return { ready, degraded: ready && Object.values(checks).some((v) => v !== 'ok'), draining, checks };
}

/**
 * Logs what makes the process unready: at once when the set of failing checks changes, then at
 * most every NOT_READY_LOG_EVERY_MS while it stays the same (a balancer probes every second or
 * so), and once when everything answers again.
 */
export function readinessLogger(log: Logger, now: () => number = Date.now) {
  let failing: string | null = null;
  let loggedAt = 0;
  return (r: Readiness): void => {
    if (r.draining) return; // the shutdown sequence logs its own steps
    const failed = Object.keys(r.checks)
      .filter((name) => r.checks[name] !== 'ok')
      .sort()
      .join(',');
    if (!failed) {
      if (failing !== null) log.info({ checks: r.checks }, 'ready again');
      failing = null;
      return;
    }
    if (failed === failing && now() - loggedAt < NOT_READY_LOG_EVERY_MS) return;
    failing = failed;
    loggedAt = now();
    log.warn({ checks: r.checks }, 'not ready');
  };
}
