// CSRF tokens, stateless: <expiresAt>.<hmac(csrf|tenant|binding|expiresAt)>, where the binding
// is the session id for members and a random anonymous cookie for visitors (login, sign-up).
// A token lifted from another visitor's page fails, since their binding differs from yours.
import { hmacHex, safeEqual } from '../../shared/signing.js';

export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'x-csrf-token';
export const CSRF_TTL_MS = 12 * 60 * 60 * 1000;

/** Thrown when a POST lacks a valid token; rendered as a friendly 403 page. */
export class CsrfRejected extends Error {
  constructor(readonly reason: 'missing' | 'invalid' | 'expired' | 'no-binding') {
    super(`CSRF token ${reason}`);
  }
}

function signedText(tenantId: string, binding: string, expiresAt: number): string {
  return `csrf|${tenantId}|${binding}|${expiresAt}`;
}

export async function issueCsrfToken(
  secret: string,
  tenantId: string,
  binding: string,
  now = Date.now(),
): Promise<string> {
  const expiresAt = now + CSRF_TTL_MS;
  return `${expiresAt}.${await hmacHex(secret, signedText(tenantId, binding, expiresAt))}`;
}

/** Throws CsrfRejected unless the token was issued for this tenant and binding and is fresh. */
export async function checkCsrfToken(
  secret: string,
  tenantId: string,
  binding: string | null,
  token: string | undefined,
  now = Date.now(),
): Promise<void> {
  if (!token) throw new CsrfRejected('missing');
  if (!binding) throw new CsrfRejected('no-binding');
  const match = /^([0-9]{1,15})\.([0-9a-f]{64})$/.exec(token);
  if (!match) throw new CsrfRejected('invalid');
  const expiresAt = Number(match[1]);
  if (expiresAt <= now) throw new CsrfRejected('expired');
  const expected = await hmacHex(secret, signedText(tenantId, binding, expiresAt));
  if (!safeEqual(expected, match[2]!)) throw new CsrfRejected('invalid');
}

/**
 * Like checkCsrfToken, accepting a token bound to any of `bindings` (the first that fits).
 * Throws the rejection of the first binding when none fits.
 */
export async function checkCsrfTokenAny(
  secret: string,
  tenantId: string,
  bindings: (string | null)[],
  token: string | undefined,
  now = Date.now(),
): Promise<void> {
  let first: unknown = null;
  for (const binding of bindings.length > 0 ? bindings : [null]) {
    try {
      return await checkCsrfToken(secret, tenantId, binding, token, now);
    } catch (err) {
      if (!(err instanceof CsrfRejected) || err.reason === 'missing' || err.reason === 'expired') throw err;
      first ??= err;
    }
  }
  throw first;
}
