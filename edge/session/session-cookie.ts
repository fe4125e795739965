// The session is a signed cookie, so any edge isolate can check it without a lookup:
//   chorus_session = <memberId>.<expiresAt>.<hmac(memberId|tenantId|expiresAt)>
// The tenant id is signed but not stored: a cookie minted for one community is worthless on
// another, since the tenant comes from the Host of the request that presents it.
import { isId } from '../../shared/ids.js';
import { hmacHex, safeEqual } from '../../shared/signing.js';

export const SESSION_COOKIE = 'chorus_session';
export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;

export interface Session {
  memberId: string;
  tenantId: string;
  expiresAt: number;
  /** The cookie's signature: unique per login, used to bind CSRF tokens to this session. */
  id: string;
  /** Where the session came from: the cookie (default) or a URL token (cookieless devices). */
  via?: 'cookie' | 'url';
}

function signedText(memberId: string, tenantId: string, expiresAt: number): string {
  return `session|${memberId}|${tenantId}|${expiresAt}`;
}

export async function encodeSession(
  secret: string,
  memberId: string,
  tenantId: string,
  expiresAt: number,
): Promise<string> {
  return `${memberId}.${expiresAt}.${await hmacHex(secret, signedText(memberId, tenantId, expiresAt))}`;
}

/** The session in a cookie value, or null when it is malformed, forged, expired or for another tenant. */
export async function decodeSession(
  secret: string,
  value: string | undefined,
  tenantId: string,
  now = Date.now(),
): Promise<Session | null> {
  if (!value || value.length > 200) return null;
  const [memberId, expiry, signature, ...rest] = value.split('.');
  if (!memberId || !expiry || !signature || rest.length > 0) return null;
  if (!isId(memberId) || !/^[0-9]{1,15}$/.test(expiry)) return null;
  const expiresAt = Number(expiry);
  if (expiresAt <= now) return null;
  const expected = await hmacHex(secret, signedText(memberId, tenantId, expiresAt));
  if (!safeEqual(expected, signature)) return null;
  return { memberId, tenantId, expiresAt, id: signature };
}
