// Middleware: a signed origin client for this request, reporting its round trips to Server-Timing.
// It names the visitor's IP from the start (the origin's rate limits count by it); the tenant
// and session middleware later narrow its identity.
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.js';
import { clientIp, UNKNOWN_IP } from '../rate-limit/client-ip.js';
import { DEFAULT_ORIGIN_TIMEOUT_MS, OriginClient } from './origin-client.js';

export function timeoutFrom(setting: string | undefined): number {
  const ms = Number(setting);
  return Number.isFinite(ms) && ms > 0 ? ms : DEFAULT_ORIGIN_TIMEOUT_MS;
}

/** The IP as the origin gets it: none rather than a made-up 'unknown' every visitor would share. */
export function originIp(headers: Headers): string {
  const ip = clientIp(headers);
  return ip === UNKNOWN_IP ? '' : ip;
}

export const originContext: MiddlewareHandler<AppEnv> = async (c, next) => {
  c.set(
    'origin',
    new OriginClient({
      baseUrl: c.env.ORIGIN_URL,
      secret: c.env.ORIGIN_SECRET!,
      timeoutMs: timeoutFrom(c.env.ORIGIN_TIMEOUT_MS),
      identity: {
        tenant: '',
        member: '',
        session: '',
        clientIp: originIp(c.req.raw.headers),
        requestId: c.get('requestId'),
      },
      onRoundTrip: (ms) => c.get('timing').addOrigin(ms),
    }),
  );
  await next();
};
