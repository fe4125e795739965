// Request id, structured log line and metrics for every request. The id comes from the edge so
// one id follows a request through both logs.
import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { HEADER } from '../../shared/headers.js';
import type { OriginContext } from '../context.js';
import type { AppEnv } from './app-env.js';

const SANE_ID = /^[A-Za-z0-9._-]{8,100}$/;

export function requestContext(ctx: OriginContext): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const incoming = c.req.header(HEADER.requestId);
    const requestId = incoming && SANE_ID.test(incoming) ? incoming : randomUUID();
    const log = ctx.log.child({ requestId });
    c.set('requestId', requestId);
    c.set('log', log);
    c.set('tenantId', '');
    c.set('memberId', null);
    c.set('clientIp', '');
    c.set('session', '');
    const started = performance.now();
    await next();
    const ms = performance.now() - started;
    const route = routePath(c) || 'unmatched';
    c.header(HEADER.requestId, requestId);
    ctx.metrics.httpRequests.inc({ method: c.req.method, route, status: c.res.status });
    ctx.metrics.httpDuration.observe({ method: c.req.method, route }, ms / 1000);
    if (!route.startsWith('/healthz') && route !== '/metrics') {
      log.info(
        { method: c.req.method, path: c.req.path, route, status: c.res.status, ms: Math.round(ms * 10) / 10 },
        'request',
      );
    }
  };
}
