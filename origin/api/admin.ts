// Operator endpoints: reports, shard and member moves, consistency checks, purges and feature
// switches. Not behind the edge: they require `Authorization: Bearer $ADMIN_TOKEN` and do not
// exist at all when ADMIN_TOKEN is unset.
import { Hono } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';
import { z } from 'zod';
import { Id } from '../../shared/api.js';
import { LOGICAL_SHARDS } from '../../shared/ids.js';
import { SWITCH_NAMES } from '../../shared/switches.js';
import { recomputeCelebrities } from '../activity/rebuild.js';
import type { OriginContext } from '../context.js';
import type { AppEnv } from '../http/app-env.js';
import { badRequest, notFound } from '../http/problem.js';
import { runConsistencyCheck } from '../jobs/consistency-check.js';
import { purgeDeleted } from '../jobs/purge.js';
import { reconcileTimelines } from '../jobs/reconcile.js';
import { checkReadiness } from '../lifecycle/readiness.js';
import { moveLogicalShard, moveMember } from '../store/shards/mover.js';
import { scatterGather } from '../store/shards/scatter.js';
import { requireTenant, setCelebrityLimit, setSwitch } from '../tenants/tenants.js';
import { json } from './validate.js';

const REPORT_SQL = `
SELECT (SELECT count(*) FROM members WHERE deleted_at IS NULL)::int AS members,
       (SELECT count(*) FROM items WHERE deleted_at IS NULL)::int AS items,
       (SELECT count(*) FROM friendships)::int AS friendships,
       (SELECT count(*) FROM outbox WHERE done_at IS NULL)::int AS outbox_pending`;

export function adminRoutes(ctx: OriginContext) {
  const app = new Hono<AppEnv>();
  const token = ctx.config.ADMIN_TOKEN;
  if (!token) return app;
  app.use('*', bearerAuth({ token }));
  // What the public /readyz keeps to itself: each check's result, and whether we are draining.
  app.get('/readyz', async (c) => {
    const readiness = await checkReadiness(ctx);
    const status = !readiness.ready ? 'unavailable' : readiness.degraded ? 'degraded' : 'ready';
    return c.json({ status, ...readiness }, readiness.ready ? 200 : 503);
  });
  return app
    .get('/report', async (c) => {
      const result = await scatterGather(
        ctx.cluster.router.physical,
        async (db, limits) => {
          const [row] = await db.rows<Record<string, number>>(REPORT_SQL, [], limits);
          const router = ctx.cluster.router;
          return [
            {
              shard: db.name,
              logicalShards: router.logicalShardsOn(db.name).length,
              membersMovedIn: router.movedInto(db.name).length,
              ...row,
            },
          ];
        },
        { timeoutMs: ctx.config.SHARD_TIMEOUT_MS, compare: (a, b) => a.shard.localeCompare(b.shard) },
      );
      const sum = (key: string) =>
        result.rows.reduce((n, r) => n + Number((r as Record<string, unknown>)[key] ?? 0), 0);
      return c.json({
        shards: result.rows,
        totals: { members: sum('members'), items: sum('items'), friendships: sum('friendships') / 2 },
        partial: result.partial,
        missing: result.missing,
      });
    })
    .post('/shards/:logical/move', json(z.object({ to: z.string().min(1) })), async (c) => {
      const logical = Number(c.req.param('logical'));
      if (!Number.isInteger(logical) || logical < 0 || logical >= LOGICAL_SHARDS) {
        throw badRequest(`logical shards are 0-${LOGICAL_SHARDS - 1}`);
      }
      const to = c.req.valid('json').to;
      if (!ctx.cluster.router.physical.some((db) => db.name === to)) throw notFound(`no database named ${to}`);
      return c.json(await moveLogicalShard(ctx.cluster, logical, to));
    })
    .post('/members/:id/move', json(z.object({ tenant: z.string().min(1), to: z.string().min(1) })), async (c) => {
      const id = Id.safeParse(c.req.param('id'));
      if (!id.success) throw notFound('no such member');
      const { tenant, to } = c.req.valid('json');
      await requireTenant(ctx, tenant);
      if (!ctx.cluster.router.physical.some((db) => db.name === to)) throw notFound(`no database named ${to}`);
      return c.json(await moveMember(ctx.cluster, tenant, BigInt(id.data), to));
    })
    .get('/queue/dead', async (c) => {
      // Jobs that failed every attempt: what failed, with what data, and why.
      const limit = z.coerce
        .number()
        .int()
        .min(1)
        .max(1000)
        .catch(100)
        .parse(c.req.query('limit') ?? 100);
      return c.json({ dead: await ctx.queue.deadLetters(limit), counts: await ctx.queue.counts() });
    })
    .post(
      '/queue/dead/replay',
      json(
        z.object({
          jobs: z
            .array(z.object({ queue: z.string().min(1).max(100), id: z.string().min(1).max(300) }))
            .max(1000)
            .optional(),
        }),
      ),
      async (c) => c.json({ replayed: await ctx.queue.replayDeadLetters(c.req.valid('json').jobs) }),
    )
    .post('/consistency-check', async (c) => c.json(await runConsistencyCheck(ctx)))
    .post('/reconcile', async (c) =>
      c.json(await reconcileTimelines(ctx, { tenant: c.req.query('tenant') || undefined })),
    )
    .post('/purge', async (c) => c.json(await purgeDeleted(ctx)))
    .put('/tenants/:tenant/switches/:name', json(z.object({ on: z.boolean() })), async (c) => {
      const name = z.enum(SWITCH_NAMES).safeParse(c.req.param('name'));
      if (!name.success) throw notFound(`no switch called ${c.req.param('name')}`);
      await setSwitch(ctx, c.req.param('tenant'), name.data, c.req.valid('json').on);
      return c.json(await requireTenant(ctx, c.req.param('tenant')));
    })
    .put(
      '/tenants/:tenant/celebrity-limit',
      json(z.object({ limit: z.number().int().min(0).max(10_000_000) })),
      async (c) => {
        await setCelebrityLimit(ctx, c.req.param('tenant'), c.req.valid('json').limit);
        const tenant = await requireTenant(ctx, c.req.param('tenant'));
        return c.json({ tenant, changes: await recomputeCelebrities(ctx, tenant) });
      },
    );
}
