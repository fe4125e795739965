// Sessions in the URL, end to end inside workerd: a phone whose profile keeps no cookies logs in,
// follows links and posts with the token; a phone whose gateway drops the cookie falls back to it.
import { env } from 'cloudflare:workers';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { detectDevice } from '../../edge/device/detect.js';
import { resetRateLimits } from '../../edge/rate-limit/rate-limit.js';
import { deviceHash, mintUrlToken, URL_SESSION_TTL_MS } from '../../edge/session/url-token.js';
import { HEADER } from '../../shared/headers.js';
import { Browser, CookielessPhone, cacheStatus, UA, XHTML_ACCEPT } from './browser.js';
import { FakeOrigin } from './fake-origin.js';

/** Resolves to the "midp-nocookie" profile (a WAP gateway that drops cookies). */
const NO_COOKIE_UA = 'Alcatel-OT-708/1.0 ObigoInternetBrowser/Q05A UP.Link/5.1.2.9';

let origin: FakeOrigin;
beforeEach(() => {
  resetRateLimits();
  origin = new FakeOrigin().install();
});
afterEach(() => {
  vi.restoreAllMocks();
});

const tokenOf = (location: string | null) => new URL(location ?? '', 'http://x').searchParams.get('s');
const hrefs = (html: string) =>
  [...html.matchAll(/<a\b[^>]*\bhref="([^"]*)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
const actions = (html: string) =>
  [...html.matchAll(/<form\b[^>]*\baction="([^"]*)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));

async function logInCookieless(phone: Browser) {
  const form = await phone.get('/login');
  expect(form.response.status).toBe(200);
  const login = await phone.post('/login', { username: 'alice', password: 'correct horse' });
  return login;
}

describe('URL sessions for phones without cookies', () => {
  it('the test UA resolves to a profile that keeps no cookies', () => {
    const device = detectDevice(new Headers({ 'user-agent': NO_COOKIE_UA }));
    expect(device.cookies).toBe(false);
    expect(device.tier).toBe('basic');
  });

  it('logs in, follows links and posts with the token in the URL; no cookie is ever set', async () => {
    const alice = origin.addMember('alice', 'Alice Liddell');
    const phone = new CookielessPhone(origin.host, NO_COOKIE_UA, XHTML_ACCEPT);
    const login = await logInCookieless(phone);
    expect(login.status).toBe(303);
    expect(login.headers.getAll('set-cookie')).toEqual([]);
    expect(login.headers.get('referrer-policy')).toBe('no-referrer');
    const location = login.headers.get('location')!;
    expect(location).toMatch(/^\/home\?s=[0-9a-z.]+$/);
    const token = tokenOf(location)!;

    const home = await phone.get(location);
    expect(home.response.status).toBe(200);
    expect(home.html).toContain('Alice Liddell');
    expect(home.response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(home.response.headers.get('cache-control')).toBe('private, no-store');
    expect(cacheStatus(home.response)).toBe('BYPASS');
    expect(home.response.headers.getAll('set-cookie')).toEqual([]);
    // Every same-origin link and form carries the token; the XHTML stays well-formed (&amp;).
    const links = hrefs(home.html).filter((h) => h.startsWith('/'));
    expect(links.length).toBeGreaterThan(2);
    for (const href of links) expect(tokenOf(href), href).toBe(token);
    for (const action of actions(home.html)) expect(tokenOf(action), action).toBe(token);
    expect(home.html).not.toMatch(/href="[^"]*&(?!amp;)[^"]*"/);
    const homeCall = origin.calls.filter((c) => c.path.startsWith('/v1/streams/home')).at(-1)!;
    expect(homeCall.headers[HEADER.member]).toBe(alice.id);

    // Following a link keeps the session.
    const friendsLink = links.find((h) => h.startsWith('/friends'))!;
    const friends = await phone.get(friendsLink);
    expect(friends.response.status).toBe(200);

    // Posting: the CSRF token is bound to the URL session; the redirect carries the token.
    const postAction = actions(home.html).find((a) => a.startsWith('/posts'))!;
    const csrf = /name="_csrf" value="([^"]+)"/.exec(home.html)![1]!;
    const posted = await phone.post(postAction, { text: 'from a cookieless phone', audience: 'public' }, csrf);
    expect(posted.status).toBe(303);
    expect(tokenOf(posted.headers.get('location'))).toBe(token);
    expect(origin.calls.some((c) => c.path === '/v1/posts' && c.headers[HEADER.member] === alice.id)).toBe(true);
    expect((await phone.get(posted.headers.get('location')!)).html).toContain('from a cookieless phone');

    // Without the CSRF token the same post is refused.
    const noCsrf = await phone.post(postAction, { text: 'nope' }, null);
    expect(noCsrf.status).toBe(403);
  });

  it('refuses the token on another device, in another community, tampered or garbage: anonymous', async () => {
    origin.addMember('alice', 'Alice Liddell');
    const phone = new CookielessPhone(origin.host, NO_COOKIE_UA);
    const location = (await logInCookieless(phone)).headers.get('location')!;
    const token = tokenOf(location)!;

    const other = new Browser(origin.host, UA.android);
    const stolen = await other.fetch(`/home?s=${token}`);
    expect(stolen.status).toBe(303);
    expect(stolen.headers.get('location')).toBe('/login');

    const tampered = token.replace(/.$/, (ch) => (ch === '0' ? '1' : '0'));
    const otherMember = token.replace(/^\d+/, (id) => String(BigInt(id) + 1n));
    for (const bad of [tampered, otherMember, 'garbage', `${'9'.repeat(200)}`, '%00%ff', '']) {
      const response = await phone.fetch(`/home?s=${encodeURIComponent(bad)}`);
      expect(response.status, bad).toBe(303);
      expect(response.headers.get('location')).toBe('/login');
    }
    const front = await phone.fetch(`/?s=${tampered}`);
    expect(front.status).toBe(200);
    expect(await front.text()).not.toContain('Alice Liddell');

    vi.restoreAllMocks();
    const elsewhere = new FakeOrigin().install();
    const foreign = await new CookielessPhone(elsewhere.host, NO_COOKIE_UA).fetch(`/home?s=${token}`);
    expect(foreign.status).toBe(303);
    expect(foreign.headers.get('location')).toBe('/login');
  });

  it('rotates the token after half its life and expires it after the whole', async () => {
    const alice = origin.addMember('alice', 'Alice Liddell');
    const profile = detectDevice(new Headers({ 'user-agent': NO_COOKIE_UA }));
    const device = await deviceHash(NO_COOKIE_UA, profile.id);
    const now = Date.now();
    const session = origin.beginSession(alice);
    // Tokens minted in the past (no clock games: signed origin calls must stay on real time).
    const mint = (issuedAgo: number) =>
      mintUrlToken(
        env.SESSION_SECRET!,
        { memberId: alice.id, session, startedAt: now - issuedAgo, issuedAt: now - issuedAgo },
        origin.tenant.id,
        device,
      );
    const phone = new CookielessPhone(origin.host, NO_COOKIE_UA);

    const young = await mint(60_000);
    const fresh = await phone.get(`/home?s=${young}`);
    expect(fresh.response.status).toBe(200);
    expect(tokenOf(hrefs(fresh.html).find((h) => h.startsWith('/home'))!)).toBe(young);

    const old = await mint(URL_SESSION_TTL_MS / 2 + 60_000);
    const later = await phone.get(`/home?s=${old}`);
    expect(later.response.status).toBe(200); // the old one still works until it expires
    const rotated = tokenOf(hrefs(later.html).find((h) => h.startsWith('/home'))!)!;
    expect(rotated).not.toBe(old);
    const next = await phone.get(`/home?s=${rotated}`);
    expect(next.response.status).toBe(200);
    expect(tokenOf(hrefs(next.html).find((h) => h.startsWith('/home'))!)).toBe(rotated);
    // CSRF tokens survive rotation: they are bound to the session id, not to one token.
    const csrf = /name="_csrf" value="([^"]+)"/.exec(later.html)![1]!;
    expect((await phone.post(`/posts?s=${rotated}`, { text: 'after rotation', audience: 'public' }, csrf)).status).toBe(
      303,
    );

    const expired = await mint(URL_SESSION_TTL_MS + 1000);
    const gone = await phone.fetch(`/home?s=${expired}`);
    expect(gone.status).toBe(303);
    expect(gone.headers.get('location')).toBe('/login');
  });

  it('logging out drops the token from the pages', async () => {
    origin.addMember('alice', 'Alice Liddell');
    const phone = new CookielessPhone(origin.host, NO_COOKIE_UA);
    const location = (await logInCookieless(phone)).headers.get('location')!;
    const home = await phone.get(location);
    const logoutAction = actions(home.html).find((a) => a.startsWith('/logout'))!;
    const out = await phone.post(logoutAction, {});
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/');
  });
});

describe('a cookie that does not come back', () => {
  it('a cookie browser gets only the cookie: no URL token, no marker', async () => {
    origin.addMember('alice', 'Alice Liddell');
    for (const ua of [UA.smartphone, UA.feature]) {
      const browser = new Browser(origin.host, ua);
      const login = await browser.logIn('alice');
      expect(login.status).toBe(303);
      expect(login.headers.get('location')).toBe('/home');
      expect(login.headers.get('referrer-policy')).not.toBe('no-referrer');
      expect(browser.cookies.has('chorus_session')).toBe(true);
      const home = await browser.get('/home');
      expect(home.html).toContain('Alice Liddell');
      expect(home.html).not.toMatch(/[?&;]s=/);
    }
    // Sign-up too.
    const newcomer = new Browser(origin.host);
    await newcomer.get('/signup');
    const signup = await newcomer.post('/signup', { username: 'newbie', displayName: 'New', password: 'long enough' });
    expect(signup.headers.get('location')).toBe('/home');
  });

  it('falls back to the URL token when the log-in post came without the cookie its form page set', async () => {
    origin.addMember('alice', 'Alice Liddell');
    // A Nokia whose profile keeps cookies, behind a gateway that drops them.
    expect(detectDevice(new Headers({ 'user-agent': UA.feature })).cookies).toBe(true);
    const phone = new Browser(origin.host, UA.feature);
    await phone.get('/login');
    expect(phone.cookies.has('chorus_anon')).toBe(true);
    phone.cookies.clear(); // the gateway ate it
    const login = await phone.post('/login', { username: 'alice', password: 'correct horse' });
    expect(login.headers.getAll('set-cookie').some((c) => c.startsWith('chorus_session='))).toBe(true);
    const location = login.headers.get('location')!;
    expect(location).toMatch(/^\/home\?_ck=1&s=/);

    phone.cookies.clear(); // and it eats the session cookie too
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const home = await phone.get(location);
    expect(home.response.status).toBe(200);
    expect(home.html).toContain('Alice Liddell');
    expect(warn.mock.calls.some(([line]) => String(line).includes('did not come back'))).toBe(true);
    const links = hrefs(home.html).filter((h) => h.startsWith('/'));
    for (const href of links) {
      expect(tokenOf(href)).toBe(tokenOf(location));
      expect(href).not.toContain('_ck');
    }
    expect(home.response.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('when the cookie does come back after all, drops the token from the address bar: plain links', async () => {
    origin.addMember('alice', 'Alice Liddell');
    const phone = new Browser(origin.host);
    await phone.get('/login');
    phone.cookies.clear(); // this post lost its cookie; the next requests keep theirs
    const login = await phone.post('/login', { username: 'alice', password: 'correct horse' });
    expect(login.headers.get('location')).toMatch(/^\/home\?_ck=1&s=/);
    const check = await phone.get(login.headers.get('location')!);
    expect(check.response.status).toBe(303);
    const clean = check.response.headers.get('location')!;
    expect(clean).toBe('/home');
    const home = await phone.get(clean);
    expect(home.response.status).toBe(200);
    expect(home.html).toContain('Alice Liddell');
    expect(home.html).not.toMatch(/[?&;]s=/);
    expect(hrefs(home.html)).toContain('/friends');
  });

  it('never adds the token to links to other sites', async () => {
    origin.addMember('alice', 'Alice Liddell');
    const phone = new CookielessPhone(origin.host, NO_COOKIE_UA);
    const location = (await logInCookieless(phone)).headers.get('location')!;
    // The unknown-host page links to chorus.dev; here any external link on member pages.
    const page = await phone.get(location);
    for (const href of hrefs(page.html).filter((h) => /^[a-z]+:/i.test(h))) expect(href).not.toMatch(/[?&;]s=/);
  });
});
