// Session middleware and helpers: who is asking (from the signed cookie), login/logout, and the
// CSRF token every form carries and every POST must return.
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AppEnv } from '../env.js';
import { readForm } from '../forms/read-form.js';
import { CSRF_FIELD, CSRF_HEADER, checkCsrfToken, issueCsrfToken } from './csrf.js';
import { decodeSession, encodeSession, SESSION_COOKIE, SESSION_TTL_MS } from './session-cookie.js';

/** A random id for visitors who are not logged in, so their form tokens bind to something. */
export const ANON_COOKIE = 'chorus_anon';
const ANON_PATTERN = /^[0-9a-f-]{36}$/;

function isHttps(c: Context): boolean {
  return new URL(c.req.url).protocol === 'https:';
}

function cookieOptions(c: Context, maxAgeSeconds: number) {
  return { path: '/', httpOnly: true, sameSite: 'Lax' as const, secure: isHttps(c), maxAge: maxAgeSeconds };
}

export const session: MiddlewareHandler<AppEnv> = async (c, next) => {
  const raw = getCookie(c, SESSION_COOKIE);
  const current = await decodeSession(c.env.SESSION_SECRET!, raw, c.var.tenant.id);
  // A forged, expired or foreign cookie is simply not a session; drop it so it stops coming back.
  if (raw !== undefined && !current) deleteCookie(c, SESSION_COOKIE, { path: '/', secure: isHttps(c) });
  const anon = getCookie(c, ANON_COOKIE);
  c.set('session', current);
  c.set('csrfBinding', current ? current.id : anon && ANON_PATTERN.test(anon) ? anon : null);
  c.set('origin', c.var.origin.withIdentity({ member: current?.memberId ?? '' }));
  await next();
};

export async function startSession(c: Context<AppEnv>, memberId: string): Promise<void> {
  const expiresAt = Date.now() + SESSION_TTL_MS;
  const value = await encodeSession(c.env.SESSION_SECRET!, memberId, c.var.tenant.id, expiresAt);
  setCookie(c, SESSION_COOKIE, value, cookieOptions(c, SESSION_TTL_MS / 1000));
}

export function endSession(c: Context<AppEnv>): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: isHttps(c) });
}

/** The token to put in a form; for a visitor without a binding yet, sets the anonymous cookie. */
export async function csrfTokenFor(c: Context<AppEnv>): Promise<string> {
  let binding = c.var.csrfBinding;
  if (!binding) {
    binding = crypto.randomUUID();
    setCookie(c, ANON_COOKIE, binding, cookieOptions(c, 24 * 60 * 60));
    c.set('csrfBinding', binding);
  }
  return issueCsrfToken(c.env.SESSION_SECRET!, c.var.tenant.id, binding);
}

/** Guards every POST: no valid token, no handler (and so no origin call). */
export const verifyCsrf: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.req.method === 'POST') {
    const token = c.req.header(CSRF_HEADER) ?? (await readForm(c))[CSRF_FIELD];
    await checkCsrfToken(c.env.SESSION_SECRET!, c.var.tenant.id, c.var.csrfBinding, token);
  }
  await next();
};
