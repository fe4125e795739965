// Known crawlers (device class "bot"): they read the public pages (the cached rich tier, keyed
// like any anonymous visitor's) but never get a session: the session middleware ignores their
// cookies and URL tokens and strips any Set-Cookie, and this guard refuses every POST (log in,
// sign up, any write) with a 403 page before a form is read or the origin is called.
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.js';
import { renderError } from '../pages/error/render-error.js';

export const botGuard: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.get('device')?.class === 'bot' && c.req.method !== 'GET' && c.req.method !== 'HEAD') {
    return renderError(c, 403, 'forbidden', 'Crawlers cannot log in, sign up or post.');
  }
  await next();
};
