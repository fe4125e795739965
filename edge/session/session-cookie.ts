// The session is a signed cookie, so any edge isolate can check it without a lookup:
//   chorus_session = <memberId>.<sid>.<version>.<expiresAt>.<hmac(memberId|sid|version|tenantId|expiresAt)>
// where <sid>.<version> is the origin's session (SessionStart from log-in or sign-up). The edge
// sends it on every origin call; the origin says when it has ended (logout, log out everywhere,
// a new password), which a signature alone could not. The tenant id is signed but not stored: a
// cookie minted for one community is worthless on another, since the tenant comes from the Host
// of the request that presents it. Cookies of the older <memberId>.<expiresAt>.<hmac> format
// carry no origin session and do not parse: they are not sessions any more.
import type { SessionInfo } from '../../shared/api.js';
import { isId } from '../../shared/ids.js';
import { hmacHex, safeEqual } from '../../shared/signing.js';

export const SESSION_COOKIE = 'chorus_session';
export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;

export interface Session {
  memberId: string;
  tenantId: string;
  expiresAt: number;
  /** The origin's session, sent on every call as `<sid>.<version>` (sessionHeaderOf). */
  origin: SessionInfo;
  /** The origin session id: binds CSRF tokens and per-session rate limits to this log-in. */
  id: string;
  /** Where the session came from: the cookie (default) or a URL token (cookieless devices). */
  via?: 'cookie' | 'url';
}

const SID = /^[0-9a-f]{16}$/;
const VERSION = /^[1-9][0-9]{0,8}$/;

/** Whether the parts of an origin session read from a cookie or token look like one. */
export function originSessionOf(sid: string, version: string): SessionInfo | null {
  return SID.test(sid) && VERSION.test(version) ? { id: sid, version: Number(version) } : null;
}

function signedText(memberId: string, origin: SessionInfo, tenantId: string, expiresAt: number): string {
  return `session2|${memberId}|${origin.id}|${origin.version}|${tenantId}|${expiresAt}`;
}

export async function encodeSession(
  secret: string,
  memberId: string,
  origin: SessionInfo,
  tenantId: string,
  expiresAt: number,
): Promise<string> {
  const signature = await hmacHex(secret, signedText(memberId, origin, tenantId, expiresAt));
  return `${memberId}.${origin.id}.${origin.version}.${expiresAt}.${signature}`;
}

/** The session in a cookie value, or null when it is malformed, forged, expired or for another tenant. */
export async function decodeSession(
  secret: string,
  value: string | undefined,
  tenantId: string,
  now = Date.now(),
): Promise<Session | null> {
  if (!value || value.length > 200) return null;
  const [memberId, sid, version, expiry, signature, ...rest] = value.split('.');
  if (!memberId || !sid || !version || !expiry || !signature || rest.length > 0) return null;
  const origin = originSessionOf(sid, version);
  if (!origin || !isId(memberId) || !/^[0-9]{1,15}$/.test(expiry)) return null;
  const expiresAt = Number(expiry);
  if (expiresAt <= now) return null;
  const expected = await hmacHex(secret, signedText(memberId, origin, tenantId, expiresAt));
  if (!safeEqual(expected, signature)) return null;
  return { memberId, tenantId, expiresAt, origin, id: origin.id };
}
