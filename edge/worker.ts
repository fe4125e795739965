// The edge worker (only handlers may be exported from it: workerd treats every export as one)
// assembles the Hono app. Middleware order matters and reads top to bottom:
// identify and time the request, learn the device (so even errors render in the right tier),
// refuse to run unconfigured, cap bodies, then tenant -> session (cookie or URL token; crawlers
// get none) -> crawler guard -> rate limits -> CSRF -> purge-after-write, then the pages.
import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import { accessLog } from './access-log/access-log.js';
import { botGuard } from './bots/bots.js';
import { pageCache, privateByDefault, setPageRenderer } from './cache/page-cache.js';
import { purgeOnWrite } from './cache/purge-on-write.js';
import { requireSecrets } from './config/require-secrets.js';
import { deviceContext } from './device-context/device-context.js';
import { tenantDeviceOverrides } from './device-context/tenant-overrides.js';
import { deviceDebug } from './device-debug/device-debug.js';
import type { AppEnv, Bindings } from './env.js';
import { onError } from './errors/on-error.js';
import { originContext } from './origin-client/origin-context.js';
import { renderError } from './pages/error/render-error.js';
import { friendAction, friendsPage } from './pages/friends/handler.js';
import { frontPage } from './pages/front/handler.js';
import { createPost, homePage } from './pages/home/handler.js';
import { loginForm, loginSubmit } from './pages/login/handler.js';
import { logout, logoutEverywhere } from './pages/logout/handler.js';
import { markNotificationRead, notificationsPage } from './pages/notifications/handler.js';
import { profilePage } from './pages/profile/handler.js';
import { signupForm, signupSubmit } from './pages/signup/handler.js';
import { topicPage } from './pages/topic/handler.js';
import { rateLimit } from './rate-limit/rate-limit.js';
import { requestId } from './request-id/request-id.js';
import { setResponseHeader } from './response-headers.js';
import { membersOnly } from './session/members-only.js';
import { session, verifyCsrf } from './session/session.js';
import { tenant } from './tenant/tenant.js';
import { serverTiming } from './timing/server-timing.js';

/** Form posts are small; anything bigger is a mistake or an attack. */
const MAX_BODY_BYTES = 16 * 1024;

const app = new Hono<AppEnv>();

/**
 * Not 'no-referrer' everywhere: with it, browsers send `Origin: null` on our own form posts, and
 * the CSRF check for first-visit forms needs the real origin. URL-session pages, whose links
 * carry a token, set 'no-referrer' themselves (edge/session/url-rewrite.ts) and keep it.
 */
const defaultReferrerPolicy: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  if (!c.res.headers.has('referrer-policy')) c.res.headers.set('Referrer-Policy', 'strict-origin-when-cross-origin');
};

/**
 * Hono's security headers, less those no browser we serve acts on any more (each header is work
 * on every response, cache hits included: test/bench/edge.ts): X-Download-Options (Internet
 * Explorer 8's downloads) and X-Permitted-Cross-Domain-Policies (Flash and Acrobat policy files;
 * we serve none, and without one nothing is permitted). HSTS is set for HTTPS only, below.
 */
const securityHeaders = secureHeaders({
  xFrameOptions: 'DENY',
  crossOriginResourcePolicy: false,
  crossOriginOpenerPolicy: false,
  referrerPolicy: false, // set by defaultReferrerPolicy below
  strictTransportSecurity: false,
  xDownloadOptions: false,
  xPermittedCrossDomainPolicies: false,
});

/** HSTS over HTTPS only: a host must not send it over plain HTTP (RFC 6797, section 7.2). */
const HSTS = 'max-age=15552000; includeSubDomains';
const strictTransportSecurity: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  if (c.req.url.startsWith('https:')) setResponseHeader(c, 'Strict-Transport-Security', HSTS);
};

// Liveness for load balancers and tests: answered before any middleware, needs no tenant or origin.
app.get('/_edge/health', (c) => c.json({ status: 'ok' }));
app.get('/_edge/device', deviceDebug);

app.use(
  requestId,
  serverTiming,
  accessLog,
  securityHeaders,
  strictTransportSecurity,
  defaultReferrerPolicy,
  deviceContext,
  privateByDefault,
  requireSecrets,
  bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => renderError(c, 413, 'too-large') }),
  originContext,
  tenant,
  tenantDeviceOverrides,
  session,
  botGuard,
  rateLimit,
  verifyCsrf,
  purgeOnWrite,
);

// Public pages: shared-cached for anonymous visitors, private for members.
app.get('/', pageCache, frontPage);
app.get('/u/:username', pageCache, profilePage);
app.get('/tags/:tag', pageCache, topicPage('tag'));
app.get('/places/:place', pageCache, topicPage('place'));

app.get('/signup', signupForm);
app.post('/signup', signupSubmit);
app.get('/login', loginForm);
app.post('/login', loginSubmit);
app.post('/logout', logout);
app.post('/logout-everywhere', membersOnly, logoutEverywhere);

app.get('/home', membersOnly, homePage);
app.post('/posts', membersOnly, createPost);
app.get('/friends', membersOnly, friendsPage);
app.post('/friends/request', membersOnly, friendAction('request'));
app.post('/friends/:id/accept', membersOnly, friendAction('accept'));
app.post('/friends/:id/decline', membersOnly, friendAction('decline'));
app.post('/friends/:id/remove', membersOnly, friendAction('remove'));
app.get('/notifications', membersOnly, notificationsPage);
app.post('/notifications/:id/read', membersOnly, markNotificationRead);

app.notFound((c) => renderError(c, 404, 'not-found'));
app.onError(onError);
// Stale cached pages are refreshed in the background by rendering them again through the app.
setPageRenderer((request, env, ctx) => app.fetch(request, env, ctx));

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Bindings>;
