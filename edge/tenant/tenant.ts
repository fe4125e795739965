// Middleware: find the community this Host belongs to, or answer with a friendly 404 page.
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.js';
import { renderError } from '../pages/error/render-error.js';
import { deferWork } from '../worker-context.js';
import { lookupTenant } from './tenant-lookup.js';

export const tenant: MiddlewareHandler<AppEnv> = async (c, next) => {
  const host = new URL(c.req.url).host;
  const found = await lookupTenant(c.get('origin'), host, (work) => deferWork(c, work));
  if (!found) return renderError(c, 404, 'unknown-host');
  c.set('tenant', found);
  c.set('origin', c.get('origin').withIdentity({ tenant: found.id }));
  await next();
};
