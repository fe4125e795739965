// Session middleware and helpers: who is asking (from the signed cookie, or for phones whose
// cookies do not come back, from a signed URL token: url-token.ts), login/logout, and the CSRF
// token every form carries and every POST must return. Crawlers never get a session.
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { type SessionStart, sessionHeaderOf } from '../../shared/api.js';
import type { AppEnv } from '../env.js';
import { readForm } from '../forms/read-form.js';
import { CSRF_FIELD, CSRF_HEADER, checkCsrfTokenAny, issueCsrfToken } from './csrf.js';
import { decodeSession, encodeSession, SESSION_COOKIE, SESSION_TTL_MS } from './session-cookie.js';
import { carryUrlSession } from './url-rewrite.js';
import { COOKIE_CHECK_PARAM, deviceHash, mintUrlToken, readUrlToken, URL_SESSION_PARAM } from './url-token.js';

/** A random id for visitors who are not logged in, so their form tokens bind to something. */
export const ANON_COOKIE = 'chorus_anon';
const ANON_PATTERN = /^[0-9a-f-]{36}$/;

function isHttps(c: Context): boolean {
  return new URL(c.req.url).protocol === 'https:';
}

function cookieOptions(c: Context, maxAgeSeconds: number) {
  return { path: '/', httpOnly: true, sameSite: 'Lax' as const, secure: isHttps(c), maxAge: maxAgeSeconds };
}

export function isBot(c: Context<AppEnv>): boolean {
  return c.get('device')?.class === 'bot';
}

/** Whether the device keeps cookies at all (its profile says so, and it is not a crawler). */
function keepsCookies(c: Context<AppEnv>): boolean {
  return c.get('device')?.cookies !== false && !isBot(c);
}

/**
 * The device fingerprint URL tokens and first-visit form tokens bind to. Computed on first need
 * (a SHA-256 per request is measurable on cached page hits, which never need it).
 */
export async function deviceBindingOf(c: Context<AppEnv>): Promise<string> {
  const known = c.get('deviceBinding');
  if (known) return known;
  const binding = `dev:${await deviceHash(c.req.header('user-agent'), c.get('device')?.id ?? 'unknown')}`;
  c.set('deviceBinding', binding);
  return binding;
}

export const session: MiddlewareHandler<AppEnv> = async (c, next) => {
  c.set('urlSession', null);
  c.set('deviceBinding', '');
  if (isBot(c)) {
    // Crawlers get the public pages and nothing else: cookies and URL tokens are ignored.
    c.set('session', null);
    c.set('csrfBinding', null);
    c.set('origin', c.get('origin').withIdentity({ member: '', session: '' }));
    await next();
    c.res.headers.delete('set-cookie');
    return;
  }
  const secret = c.env.SESSION_SECRET!;
  const tenantId = c.get('tenant').id;
  const raw = getCookie(c, SESSION_COOKIE);
  let current = await decodeSession(secret, raw, tenantId);
  // A forged, expired or foreign cookie is simply not a session; drop it so it stops coming back.
  if (raw !== undefined && !current) deleteCookie(c, SESSION_COOKIE, { path: '/', secure: isHttps(c) });
  if (current) {
    current.via = 'cookie';
    // The cookie came back: take the fallback token out of the address bar (and history).
    if (
      c.req.method === 'GET' &&
      (c.req.query(COOKIE_CHECK_PARAM) !== undefined || c.req.query(URL_SESSION_PARAM) !== undefined)
    ) {
      const clean = new URL(c.req.url);
      clean.searchParams.delete(COOKIE_CHECK_PARAM);
      clean.searchParams.delete(URL_SESSION_PARAM);
      c.header('Referrer-Policy', 'no-referrer');
      return c.redirect(clean.pathname + clean.search, 303);
    }
  } else {
    // No cookie: a URL token (when the cookie never came back, or the device keeps none).
    const token = c.req.query(URL_SESSION_PARAM);
    const url = token
      ? await readUrlToken(secret, token, tenantId, (await deviceBindingOf(c)).slice('dev:'.length))
      : null;
    if (url) {
      current = url.session;
      c.set('urlSession', { token: url.carry, marker: false });
      if (c.req.query(COOKIE_CHECK_PARAM) !== undefined) {
        console.warn(
          JSON.stringify({
            level: 'warn',
            msg: 'session cookie did not come back; URL session',
            requestId: c.get('requestId'),
          }),
        );
      }
    }
  }
  const anon = getCookie(c, ANON_COOKIE);
  c.set('session', current);
  c.set('csrfBinding', current ? current.id : anon && ANON_PATTERN.test(anon) ? anon : null);
  c.set(
    'origin',
    c.get('origin').withIdentity({
      member: current?.memberId ?? '',
      session: current ? sessionHeaderOf(current.origin) : '',
    }),
  );
  await next();
  const carry = c.get('urlSession');
  if (carry) {
    const rewritten = carryUrlSession(c.res, carry.token, c.req.url, carry.marker);
    c.res = undefined;
    c.res = rewritten;
  }
};

/** Whether this request brought any cookie of ours (the anonymous one its form page set). */
function broughtOurCookie(c: Context<AppEnv>): boolean {
  return getCookie(c, ANON_COOKIE) !== undefined || getCookie(c, SESSION_COOKIE) !== undefined;
}

/**
 * Starts the session the origin began at log-in or sign-up (`start.session`). Devices that keep
 * cookies get the cookie and nothing else. A URL token is minted only where cookies fail: the
 * device's profile says it keeps none (then there is no cookie either), or this very POST came
 * without the anonymous cookie its form page set, so something on the way (a carrier gateway)
 * strips cookies. Then the cookie is set as well, and the redirect carries a one-time marker
 * with the token: if the cookie does come back, the token leaves the address bar at once.
 */
export async function startSession(c: Context<AppEnv>, start: SessionStart): Promise<void> {
  const secret = c.env.SESSION_SECRET!;
  const tenantId = c.get('tenant').id;
  const now = Date.now();
  const cookies = keepsCookies(c);
  if (cookies) {
    const value = await encodeSession(secret, start.id, start.session, tenantId, now + SESSION_TTL_MS);
    setCookie(c, SESSION_COOKIE, value, cookieOptions(c, SESSION_TTL_MS / 1000));
    if (broughtOurCookie(c)) {
      c.set('urlSession', null);
      return;
    }
  }
  const device = (await deviceBindingOf(c)).slice('dev:'.length);
  const parts = { memberId: start.id, session: start.session, startedAt: now, issuedAt: now };
  const token = await mintUrlToken(secret, parts, tenantId, device);
  c.set('urlSession', { token, marker: cookies });
}

/**
 * Forgets the session on this device: the cookie goes, and the pages after this carry no URL
 * token. Ending it at the origin (so copies stop working too) is the caller's part.
 */
export function endSession(c: Context<AppEnv>): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: isHttps(c) });
  c.set('urlSession', null);
  c.set('session', null);
}

/**
 * The token to put in a form. Members' tokens bind to their session; visitors' to their
 * anonymous cookie, or (first visit, or a device that keeps no cookies) to a hash of the device,
 * which is accepted only from same-site posts (see verifyCsrf).
 */
export async function csrfTokenFor(c: Context<AppEnv>): Promise<string> {
  let binding = c.get('csrfBinding');
  if (!binding) {
    binding = await deviceBindingOf(c);
    if (keepsCookies(c)) setCookie(c, ANON_COOKIE, crypto.randomUUID(), cookieOptions(c, 24 * 60 * 60));
  }
  return issueCsrfToken(c.env.SESSION_SECRET!, c.get('tenant').id, binding);
}

/**
 * Whether the browser says this request comes from our own pages. Browsers send Origin (and
 * Sec-Fetch-Site) on every cross-site POST; old phones that send neither cannot be made to post
 * cross-site by another page's script.
 */
function sameSite(c: Context<AppEnv>): boolean {
  const site = c.req.header('sec-fetch-site');
  if (site && site !== 'same-origin' && site !== 'none') return false;
  const origin = c.req.header('origin');
  return origin === undefined || origin === new URL(c.req.url).origin;
}

/** Guards every POST: no valid token, no handler (and so no origin call). */
export const verifyCsrf: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.req.method === 'POST') {
    const token = c.req.header(CSRF_HEADER) ?? (await readForm(c))[CSRF_FIELD];
    const bindings = [c.get('csrfBinding')];
    if (!c.get('session') && sameSite(c)) bindings.push(await deviceBindingOf(c));
    await checkCsrfTokenAny(c.env.SESSION_SECRET!, c.get('tenant').id, bindings, token);
  }
  await next();
};
