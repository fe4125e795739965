// Secrets are not in the repo. A worker started without them cannot sign origin calls or
// sessions, so it says so in the log and shows a friendly "not open yet" page instead of failing
// on every request in some less obvious way.
import type { MiddlewareHandler } from 'hono';
import type { AppEnv, Bindings } from '../env.js';
import { renderError } from '../pages/error/render-error.js';

const REQUIRED: (keyof Bindings)[] = ['ORIGIN_URL', 'ORIGIN_SECRET', 'SESSION_SECRET'];

export function missingSettings(env: Partial<Bindings> | undefined): string[] {
  return REQUIRED.filter((name) => !env?.[name]);
}

export const requireSecrets: MiddlewareHandler<AppEnv> = async (c, next) => {
  const missing = missingSettings(c.env);
  if (missing.length > 0) {
    console.error(
      JSON.stringify({
        level: 'error',
        msg: `edge is not configured: missing ${missing.join(', ')} (pass with wrangler dev --var NAME:value or wrangler secret put)`,
        requestId: c.get('requestId'),
      }),
    );
    return renderError(c, 503, 'not-configured');
  }
  await next();
};
