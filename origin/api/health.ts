// Liveness, readiness and Prometheus metrics. Unsigned: load balancers and scrapers call these
// directly, so /readyz says only whether to send traffic here; the checks behind its answer are
// in the log and at /admin/readyz (api/admin.ts).
import { Hono } from 'hono';
import type { OriginContext } from '../context.js';
import type { AppEnv } from '../http/app-env.js';
import { checkReadiness, readinessLogger } from '../lifecycle/readiness.js';

export function healthRoutes(ctx: OriginContext) {
  const logReadiness = readinessLogger(ctx.log);
  return new Hono<AppEnv>()
    .get('/healthz', (c) => c.json({ status: 'ok' }))
    .get('/readyz', async (c) => {
      // Draining: 503 at once, without touching dependencies that are about to close.
      if (ctx.lifecycle.draining) return c.json({ status: 'unavailable' }, 503);
      const readiness = await checkReadiness(ctx);
      logReadiness(readiness);
      if (!readiness.ready) return c.json({ status: 'unavailable' }, 503);
      return c.json({ status: readiness.degraded ? 'degraded' : 'ready' }, 200);
    })
    .get('/metrics', async (c) => {
      // Queue depth is read at scrape time; a queue that does not answer leaves the last figures.
      const counts = await ctx.queue.counts().catch(() => null);
      if (counts) for (const [state, n] of Object.entries(counts)) ctx.metrics.queueJobs.set({ state }, n);
      return c.body(await ctx.metrics.registry.metrics(), 200, { 'content-type': ctx.metrics.registry.contentType });
    });
}
