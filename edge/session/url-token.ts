// Sessions carried in the URL, for phones whose browser or carrier gateway drops cookies.
//   ?s=<memberId>.<sid>.<version>.<startedAt36>.<issuedAt36>.<hmac>
// where <sid>.<version> is the origin's session (as in the cookie, session-cookie.ts) and the
// HMAC (SESSION_SECRET) covers member, origin session, tenant, both times and a hash of the
// device (User-Agent + resolved device profile id; not the IP, which carrier gateways rotate). A
// URL leaks more easily than a cookie (history, shoulder-surfing, a pasted link), so a token is
// short-lived (URL_SESSION_TTL_MS, two hours), is worthless on another device or community, and
// is rotated: once half its lifetime has passed the edge mints a fresh one (same session, so
// CSRF tokens stay valid) and puts that into the page; the old one still works until it
// expires. Rotation ends at startedAt + SESSION_TTL_MS: then the member logs in again.
// Logging out ends the origin session, so a copied token stops working at once (the origin
// answers session-ended); until then it is what it always was, a bearer token for two hours.
import type { SessionInfo } from '../../shared/api.js';
import { isId } from '../../shared/ids.js';
import { hmacHex, safeEqual } from '../../shared/signing.js';
import { originSessionOf, SESSION_TTL_MS, type Session } from './session-cookie.js';

export const URL_SESSION_PARAM = 's';
/** One-time marker on the redirect after log-in: "a cookie was just set; did it come back?" */
export const COOKIE_CHECK_PARAM = '_ck';
export const URL_SESSION_TTL_MS = 2 * 60 * 60 * 1000;
/** Tokens issued a little in the future (clock skew between edge machines) are still fine. */
const MAX_SKEW_MS = 60_000;
const SIGNATURE_CHARS = 32; // 128 bits of HMAC-SHA256: plenty, and short URLs for small phones

const TOKEN = /^([0-9]{1,20})\.([0-9a-f]{16})\.([0-9]{1,9})\.([0-9a-z]{1,11})\.([0-9a-z]{1,11})\.([0-9a-f]{32})$/;

export interface UrlTokenParts {
  memberId: string;
  /** The origin's session (SessionStart.session). */
  session: SessionInfo;
  startedAt: number;
  issuedAt: number;
}

export interface UrlSessionRead {
  session: Session;
  /** The token to put into this response's links: the presented one, or a fresh rotation. */
  carry: string;
}

const encoder = new TextEncoder();

/** Hash of what the token is bound to: the User-Agent and the device profile it resolved to. */
export async function deviceHash(userAgent: string | undefined, profileId: string): Promise<string> {
  const data = encoder.encode(`${(userAgent ?? '').slice(0, 512)}\n${profileId}`);
  const digest = await crypto.subtle.digest('SHA-256', data);
  return Array.from(new Uint8Array(digest).slice(0, 12), (b) => b.toString(16).padStart(2, '0')).join('');
}

function signedText(p: UrlTokenParts, tenantId: string, device: string): string {
  const { id, version } = p.session;
  return `urlsession2|${p.memberId}|${id}|${version}|${tenantId}|${p.startedAt}|${p.issuedAt}|${device}`;
}

export async function mintUrlToken(secret: string, parts: UrlTokenParts, tenantId: string, device: string) {
  const signature = (await hmacHex(secret, signedText(parts, tenantId, device))).slice(0, SIGNATURE_CHARS);
  const { id, version } = parts.session;
  return `${parts.memberId}.${id}.${version}.${parts.startedAt.toString(36)}.${parts.issuedAt.toString(36)}.${signature}`;
}

/**
 * The session in a URL token, or null when it is malformed, forged, expired, for another tenant
 * or another device. Rotates the token when more than half its lifetime has passed.
 */
export async function readUrlToken(
  secret: string,
  token: string | undefined,
  tenantId: string,
  device: string,
  now = Date.now(),
): Promise<UrlSessionRead | null> {
  if (!token || token.length > 120) return null;
  const match = TOKEN.exec(token);
  if (!match) return null;
  const [, memberId, sid, version, started, issued, signature] = match as unknown as string[] as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const session = originSessionOf(sid, version);
  if (!isId(memberId) || !session) return null;
  const parts: UrlTokenParts = { memberId, session, startedAt: parseInt(started, 36), issuedAt: parseInt(issued, 36) };
  if (!Number.isSafeInteger(parts.startedAt) || !Number.isSafeInteger(parts.issuedAt)) return null;
  if (parts.issuedAt < parts.startedAt || parts.issuedAt > now + MAX_SKEW_MS) return null;
  const expiresAt = Math.min(parts.issuedAt + URL_SESSION_TTL_MS, parts.startedAt + SESSION_TTL_MS);
  if (expiresAt <= now) return null;
  const expected = (await hmacHex(secret, signedText(parts, tenantId, device))).slice(0, SIGNATURE_CHARS);
  if (!safeEqual(expected, signature)) return null;

  let carry = token;
  let carriedExpiry = expiresAt;
  if (now - parts.issuedAt > URL_SESSION_TTL_MS / 2 && now < parts.startedAt + SESSION_TTL_MS) {
    carry = await mintUrlToken(secret, { ...parts, issuedAt: now }, tenantId, device);
    carriedExpiry = Math.min(now + URL_SESSION_TTL_MS, parts.startedAt + SESSION_TTL_MS);
  }
  return {
    session: { memberId, tenantId, expiresAt: carriedExpiry, origin: session, id: session.id, via: 'url' },
    carry,
  };
}
