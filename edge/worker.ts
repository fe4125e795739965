// The edge worker (only handlers may be exported from it: workerd treats every export as one)
// assembles the Hono app. Middleware order matters and reads top to bottom:
// identify and time the request, learn the device (so even errors render in the right tier),
// refuse to run unconfigured, cap bodies, then tenant -> session -> CSRF, then the pages.
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import { accessLog } from './access-log/access-log.js';
import { pageCache, privateByDefault } from './cache/page-cache.js';
import { requireSecrets } from './config/require-secrets.js';
import { deviceContext } from './device-context/device-context.js';
import type { AppEnv, Bindings } from './env.js';
import { onError } from './errors/on-error.js';
import { originContext } from './origin-client/origin-context.js';
import { renderError } from './pages/error/render-error.js';
import { friendAction, friendsPage } from './pages/friends/handler.js';
import { frontPage } from './pages/front/handler.js';
import { createPost, homePage } from './pages/home/handler.js';
import { loginForm, loginSubmit } from './pages/login/handler.js';
import { logout } from './pages/logout/handler.js';
import { profilePage } from './pages/profile/handler.js';
import { signupForm, signupSubmit } from './pages/signup/handler.js';
import { requestId } from './request-id/request-id.js';
import { membersOnly } from './session/members-only.js';
import { session, verifyCsrf } from './session/session.js';
import { tenant } from './tenant/tenant.js';
import { serverTiming } from './timing/server-timing.js';

/** Form posts are small; anything bigger is a mistake or an attack. */
const MAX_BODY_BYTES = 16 * 1024;

const app = new Hono<AppEnv>();

// Liveness for load balancers and tests: answered before any middleware, needs no tenant or origin.
app.get('/_edge/health', (c) => c.json({ status: 'ok' }));

app.use(
  requestId,
  serverTiming,
  accessLog,
  secureHeaders({ xFrameOptions: 'DENY', crossOriginResourcePolicy: false, crossOriginOpenerPolicy: false }),
  deviceContext,
  privateByDefault,
  requireSecrets,
  bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => renderError(c, 413, 'too-large') }),
  originContext,
  tenant,
  session,
  verifyCsrf,
);

// Public pages: shared-cached for anonymous visitors, private for members.
app.get('/', pageCache, frontPage);
app.get('/u/:username', pageCache, profilePage);

app.get('/signup', signupForm);
app.post('/signup', signupSubmit);
app.get('/login', loginForm);
app.post('/login', loginSubmit);
app.post('/logout', logout);

app.get('/home', membersOnly, homePage);
app.post('/posts', membersOnly, createPost);
app.get('/friends', membersOnly, friendsPage);
app.post('/friends/request', membersOnly, friendAction('request'));
app.post('/friends/:id/accept', membersOnly, friendAction('accept'));
app.post('/friends/:id/decline', membersOnly, friendAction('decline'));
app.post('/friends/:id/remove', membersOnly, friendAction('remove'));

app.notFound((c) => renderError(c, 404, 'not-found'));
app.onError(onError);

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Bindings>;
