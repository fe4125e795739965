// Liveness, readiness (every shard, the directory, Redis) and Prometheus metrics. Unsigned:
// load balancers and scrapers call these directly.
import { Hono } from 'hono';
import type { OriginContext } from '../context.js';
import type { AppEnv } from '../http/app-env.js';

async function check(fn: () => Promise<unknown>, timeoutMs = 2000): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return 'ok';
  } catch (err) {
    return `error: ${(err as Error).message}`;
  } finally {
    clearTimeout(timer);
  }
}

export function healthRoutes(ctx: OriginContext) {
  return new Hono<AppEnv>()
    .get('/healthz', (c) => c.json({ status: 'ok' }))
    .get('/readyz', async (c) => {
      const checks: Record<string, string> = {};
      const probes = [
        ...ctx.cluster.all().map((db) => [db.name, () => db.ping()] as const),
        [`timelines (${ctx.redisMode})`, () => ctx.timelines.ping()] as const,
        [`queue (${ctx.redisMode})`, () => ctx.queue.ping()] as const,
      ];
      await Promise.all(
        probes.map(async ([name, fn]) => {
          checks[name] = await check(fn);
        }),
      );
      const ready = Object.values(checks).every((v) => v === 'ok');
      return c.json({ status: ready ? 'ready' : 'unavailable', checks }, ready ? 200 : 503);
    })
    .get('/metrics', async (c) =>
      c.body(await ctx.metrics.registry.metrics(), 200, { 'content-type': ctx.metrics.registry.contentType }),
    );
}
