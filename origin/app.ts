// Assembles the origin's Hono app: request context first, then unsigned operational routes,
// then the signed /v1 API. Errors of every kind leave as problem+json.
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { limitExpensiveReads, limitWrites } from './abuse/rate-limits.js';
import { adminRoutes } from './api/admin.js';
import { friendRoutes } from './api/friends.js';
import { healthRoutes } from './api/health.js';
import { memberRoutes } from './api/members.js';
import { notificationRoutes } from './api/notifications.js';
import { openApiDocument } from './api/openapi.js';
import { postRoutes } from './api/posts.js';
import { tenantRoutes } from './api/tenants.js';
import type { OriginContext } from './context.js';
import type { AppEnv } from './http/app-env.js';
import { ApiError, problemResponse, toApiError } from './http/problem.js';
import { requestContext } from './http/request-context.js';
import { verifySignature } from './http/verify-signature.js';
import { isConnectionError, ShardUnavailableError } from './store/shards/database.js';

export function createApp(ctx: OriginContext) {
  const openapi = openApiDocument();
  const app = new Hono<AppEnv>();
  app.use('*', requestContext(ctx));
  app.route('/', healthRoutes(ctx));
  // Before anything reads a body (the signature check hashes it): a bounded read, then 413.
  const limit = bodyLimit({
    maxSize: ctx.config.ORIGIN_MAX_BODY_BYTES,
    onError: (c) =>
      problemResponse(
        c,
        new ApiError(413, 'Content too large', `bodies are limited to ${ctx.config.ORIGIN_MAX_BODY_BYTES} bytes`),
      ),
  });
  app.use('/v1/*', limit);
  app.use('/admin/*', limit);
  app.get('/v1/openapi.json', (c) => c.json(openapi));
  app.route('/admin', adminRoutes(ctx));
  app.use('/v1/*', verifySignature(ctx));
  app.use('/v1/*', limitWrites(ctx));
  for (const path of ['/v1/members', '/v1/tags/*', '/v1/places/*']) app.use(path, limitExpensiveReads(ctx));
  app.route('/v1', tenantRoutes(ctx));
  app.route('/v1', memberRoutes(ctx));
  app.route('/v1', friendRoutes(ctx));
  app.route('/v1', postRoutes(ctx));
  app.route('/v1', notificationRoutes(ctx));
  app.notFound((c) => problemResponse(c, new ApiError(404, 'Not found', `no route for ${c.req.method} ${c.req.path}`)));
  app.onError((err, c) => {
    const known = toApiError(err);
    if (known) return problemResponse(c, known);
    if (isUnavailable(err)) {
      c.get('log')?.warn({ err }, 'dependency unavailable');
      return problemResponse(
        c,
        new ApiError(503, 'Service unavailable', 'a database is not answering; try again shortly'),
      );
    }
    c.get('log')?.error({ err }, 'unhandled error');
    return problemResponse(c, new ApiError(500, 'Internal error', `request ${c.get('requestId')} failed`));
  });
  return app;
}

function isUnavailable(err: unknown): boolean {
  return err instanceof ShardUnavailableError || isConnectionError(err);
}
