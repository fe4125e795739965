// One request id across edge and origin: reuse a sane incoming x-request-id (from a proxy or
// a test), otherwise mint one. It goes back on the response and along to the origin.
import type { MiddlewareHandler } from 'hono';
import { HEADER } from '../../shared/headers.js';
import type { AppEnv } from '../env.js';
import { setResponseHeader } from '../response-headers.js';

const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

export function pickRequestId(incoming: string | undefined | null): string {
  return incoming && SANE_REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
}

export const requestId: MiddlewareHandler<AppEnv> = async (c, next) => {
  const id = pickRequestId(c.req.header(HEADER.requestId));
  c.set('requestId', id);
  await next();
  setResponseHeader(c, HEADER.requestId, id);
};
