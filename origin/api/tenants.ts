import { Hono } from 'hono';
import { z } from 'zod';
import type { OriginContext } from '../context.js';
import type { AppEnv } from '../http/app-env.js';
import { notFound } from '../http/problem.js';
import { resolveHost } from '../tenants/tenants.js';
import { query } from './validate.js';

export function tenantRoutes(ctx: OriginContext) {
  return new Hono<AppEnv>().get(
    '/tenants/resolve',
    query(z.object({ host: z.string().min(1).max(253) })),
    async (c) => {
      const { host } = c.req.valid('query');
      const tenant = await resolveHost(ctx, host);
      if (!tenant) throw notFound(`no community lives at ${host}`);
      return c.json(tenant);
    },
  );
}
