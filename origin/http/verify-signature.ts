// Every /v1 request must come from the edge: HMAC over method, path, body hash, timestamp and
// identity headers (shared/signing.ts). Unsigned, stale, forged or replayed requests get 401
// before any handler runs, so nothing can change; so does a member's session that has ended.
import type { MiddlewareHandler } from 'hono';
import { HEADER } from '../../shared/headers.js';
import { parseId } from '../../shared/ids.js';
import { SIGNATURE_MAX_AGE_MS, verify } from '../../shared/signing.js';
import type { OriginContext } from '../context.js';
import { isMemberLive, isSessionLive } from '../members/sessions.js';
import type { AppEnv } from './app-env.js';
import { nodeCryptoSigning } from './node-signing.js';
import { problemResponse, sessionEnded, signatureRejected } from './problem.js';

export function verifySignature(ctx: OriginContext): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const url = new URL(c.req.url);
    const tenant = c.req.header(HEADER.tenant) ?? '';
    const member = c.req.header(HEADER.member) ?? '';
    const session = c.req.header(HEADER.session) ?? '';
    const clientIp = c.req.header(HEADER.clientIp) ?? '';
    const signature = c.req.header(HEADER.signature);
    const timestamp = Number(c.req.header(HEADER.timestamp));
    const body = c.req.method === 'GET' || c.req.method === 'HEAD' ? '' : await c.req.text();
    const result = await verify(
      ctx.config.ORIGIN_SECRET,
      {
        method: c.req.method,
        pathWithQuery: url.pathname + url.search,
        body,
        timestamp,
        tenant,
        member,
        requestId: c.req.header(HEADER.requestId) ?? '',
        session,
        clientIp,
      },
      signature,
      { using: nodeCryptoSigning },
    );
    if (!result.ok) {
      ctx.metrics.signatureRejections.inc({ reason: result.reason });
      return problemResponse(c, signatureRejected(`request signature ${result.reason}`));
    }
    // A valid signature is accepted once: a captured request cannot be sent again.
    if (!(await ctx.nonces.claim(signature!, SIGNATURE_MAX_AGE_MS * 2))) {
      ctx.metrics.signatureRejections.inc({ reason: 'replayed' });
      return problemResponse(c, signatureRejected('request signature replayed'));
    }
    if (member !== '') {
      const id = parseId(member);
      if (id === null) return problemResponse(c, signatureRejected('malformed member header'));
      // The edge names the member's session; one that was ended (log-out, a new password,
      // deletion) is refused even though its cookie still carries a valid signature.
      if (session !== '' && !(await isSessionLive(ctx, tenant, id, session)))
        return problemResponse(c, sessionEnded('this session has ended; log in again'));
      // Without a session (a caller inside, not the edge) the member must still exist.
      if (session === '' && !(await isMemberLive(ctx, tenant, id)))
        return problemResponse(c, sessionEnded('no such member'));
      c.set('memberId', id);
    }
    c.set('tenantId', tenant);
    c.set('clientIp', clientIp.slice(0, 64));
    c.set('session', session);
    await next();
  };
}
