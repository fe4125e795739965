// Pages and actions for members only: anonymous visitors are sent to the log-in page.
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.js';

export const membersOnly: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!c.get('session')) return c.redirect('/login', 303);
  await next();
};
