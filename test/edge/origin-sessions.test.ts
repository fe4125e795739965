// The origin's sessions through the edge: every member call names the session, logout and log
// out everywhere end it at the origin (so copies of the cookie or URL token stop working), and
// the three kinds of 401 lead where they should: session ended -> log in again; a refused
// signature -> retried once, then the "try again" page with the session kept; any other 401 ->
// the log-in page.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetBreakers } from '../../edge/origin-client/circuit-breaker.js';
import { resetRateLimits } from '../../edge/rate-limit/rate-limit.js';
import { HEADER } from '../../shared/headers.js';
import { Browser, CookielessPhone, UA, XHTML_ACCEPT } from './browser.js';
import { FakeOrigin } from './fake-origin.js';

/** Resolves to the "midp-nocookie" profile (a WAP gateway that drops cookies). */
const NO_COOKIE_UA = 'Alcatel-OT-708/1.0 ObigoInternetBrowser/Q05A UP.Link/5.1.2.9';

let origin: FakeOrigin;
beforeEach(() => {
  resetRateLimits();
  resetBreakers();
  origin = new FakeOrigin().install();
});
afterEach(() => {
  vi.restoreAllMocks();
});

const SESSION_HEADER = /^[0-9a-f]{16}\.[0-9]+$/;
const tokenOf = (location: string | null) => new URL(location ?? '', 'http://x').searchParams.get('s');
const actions = (html: string) =>
  [...html.matchAll(/<form\b[^>]*\baction="([^"]*)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
const sessionCookieDeleted = (response: Response) =>
  response.headers
    .getAll('set-cookie')
    .some((c) => /^chorus_session=;/.test(c) || /^chorus_session=.*Max-Age=0/i.test(c));

/** Copies a browser's cookies: what a thief with the cookie jar (or a second tab) has. */
function copyOf(browser: Browser): Browser {
  const copy = new Browser(browser.host, browser.userAgent, browser.accept);
  for (const [name, value] of browser.cookies) copy.cookies.set(name, value);
  return copy;
}

describe('the origin session on every call', () => {
  it('names the session log-in began on every call made as the member, signed', async () => {
    const alice = origin.addMember('alice', 'Alice');
    const browser = new Browser(origin.host);
    await browser.logIn('alice');
    await browser.get('/home');
    await browser.get('/friends');
    const memberCalls = origin.calls.filter((c) => c.headers[HEADER.member] === alice.id);
    expect(memberCalls.length).toBeGreaterThan(3);
    const sessions = new Set(memberCalls.map((c) => c.headers[HEADER.session]));
    expect(sessions.size).toBe(1);
    expect([...sessions][0]).toMatch(SESSION_HEADER);
    for (const call of memberCalls) expect(call.signatureValid).toBe(true);
    // Anonymous calls (the log-in itself, the host lookup) name none.
    for (const call of origin.calls.filter((c) => !c.headers[HEADER.member])) {
      expect(call.headers[HEADER.session]).toBeUndefined();
    }
  });

  it('a cookie of the old format (no origin session) is not a session: dropped, the origin never hears the member', async () => {
    const alice = origin.addMember('alice');
    const browser = new Browser(origin.host);
    browser.cookies.set('chorus_session', `${alice.id}.${Date.now() + 86_400_000}.${'a'.repeat(64)}`);
    const response = await browser.fetch('/home');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/login');
    expect(browser.cookies.has('chorus_session')).toBe(false);
    expect(origin.calls.some((c) => c.headers[HEADER.member] === alice.id)).toBe(false);
  });
});

describe('logout ends the session at the origin', () => {
  it('after logout a copied cookie is no longer a session, and the log-in page shows (no loop)', async () => {
    origin.addMember('alice', 'Alice');
    const browser = new Browser(origin.host);
    await browser.logIn('alice');
    await browser.get('/home');
    const thief = copyOf(browser);
    expect((await thief.get('/home')).response.status).toBe(200);

    const out = await browser.post('/logout', {});
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/');
    expect(browser.cookies.has('chorus_session')).toBe(false);
    const ended = origin.calls.find((c) => c.method === 'DELETE' && c.path === '/v1/sessions/current')!;
    expect(ended.headers[HEADER.session]).toMatch(SESSION_HEADER);

    const stolen = await thief.fetch('/home');
    expect(stolen.status).toBe(303);
    expect(stolen.headers.get('location')).toBe('/login');
    expect(sessionCookieDeleted(stolen)).toBe(true);
    expect(thief.cookies.has('chorus_session')).toBe(false);
    const form = await thief.get('/login');
    expect(form.response.status).toBe(200);
    expect(form.html).toContain('name="password"');
  });

  it('after logout a copied URL token is no longer a session', async () => {
    origin.addMember('alice', 'Alice Liddell');
    const phone = new CookielessPhone(origin.host, NO_COOKIE_UA, XHTML_ACCEPT);
    await phone.get('/login');
    const location = (await phone.post('/login', { username: 'alice', password: 'correct horse' })).headers.get(
      'location',
    )!;
    const token = tokenOf(location)!;
    const home = await phone.get(location);
    expect(home.html).toContain('Alice Liddell');

    const logoutAction = actions(home.html).find((a) => a.startsWith('/logout'))!;
    const csrf = /name="_csrf" value="([^"]+)"/.exec(home.html)![1]!;
    const out = await phone.post(logoutAction, {}, csrf);
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/');
    expect(origin.calls.some((c) => c.method === 'DELETE' && c.path === '/v1/sessions/current')).toBe(true);

    const copied = await phone.fetch(`/home?s=${token}`);
    expect(copied.status).toBe(303);
    expect(copied.headers.get('location')).toBe('/login'); // no token carried on
    const form = await phone.get('/login');
    expect(form.response.status).toBe(200);
    expect(form.html).not.toContain('Alice Liddell');
  });

  it('logging out still forgets the session here when the origin cannot end it', async () => {
    origin.addMember('alice');
    const browser = new Browser(origin.host);
    await browser.logIn('alice');
    await browser.get('/home');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    origin.mode = 'down';
    const out = await browser.post('/logout', {});
    expect(out.status).toBe(303);
    expect(browser.cookies.has('chorus_session')).toBe(false);
    expect(warn.mock.calls.some(([line]) => String(line).includes('did not end the session'))).toBe(true);
  });

  it('a session ended elsewhere (a new password) sends the member to log in on the next page', async () => {
    const alice = origin.addMember('alice');
    const browser = new Browser(origin.host);
    await browser.logIn('alice');
    expect((await browser.get('/home')).response.status).toBe(200);
    origin.endSessionsOf(alice);
    const next = await browser.fetch('/friends');
    expect(next.status).toBe(303);
    expect(next.headers.get('location')).toBe('/login');
    expect(browser.cookies.has('chorus_session')).toBe(false);
    expect((await browser.logIn('alice')).headers.get('location')).toBe('/home');
    expect((await browser.get('/home')).response.status).toBe(200);
  });
});

describe('log out everywhere', () => {
  it('ends every session of the member (rich tier: its own form beside Log out)', async () => {
    origin.addMember('alice', 'Alice');
    origin.addMember('bob', 'Bob');
    const laptop = new Browser(origin.host);
    const phone = new Browser(origin.host, UA.android);
    const bob = new Browser(origin.host);
    for (const [browser, name] of [
      [laptop, 'alice'],
      [phone, 'alice'],
      [bob, 'bob'],
    ] as const) {
      await browser.logIn(name);
    }
    const home = await laptop.get('/home');
    expect(actions(home.html)).toEqual(expect.arrayContaining(['/logout', '/logout-everywhere']));
    expect(home.html).toContain('Log out everywhere');

    const out = await laptop.post('/logout-everywhere', {});
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/');
    expect(laptop.cookies.has('chorus_session')).toBe(false);
    expect(origin.calls.some((c) => c.method === 'DELETE' && c.path === '/v1/sessions')).toBe(true);

    const elsewhere = await phone.fetch('/home');
    expect(elsewhere.status).toBe(303);
    expect(elsewhere.headers.get('location')).toBe('/login');
    expect((await bob.get('/home')).response.status).toBe(200); // other members are untouched
  });

  it('basic tier: one log-out form with both buttons; the "everywhere" one ends every session', async () => {
    origin.addMember('alice', 'Alice');
    const phone = new Browser(origin.host, UA.feature, XHTML_ACCEPT);
    const other = new Browser(origin.host);
    await phone.logIn('alice');
    await other.logIn('alice');
    const home = await phone.get('/home');
    expect(home.html).toContain('tier-basic');
    expect(home.html).toMatch(/<input type="submit" name="everywhere" value="Log out everywhere"/);

    const out = await phone.post('/logout', { everywhere: 'Log out everywhere' });
    expect(out.status).toBe(303);
    expect(phone.cookies.has('chorus_session')).toBe(false);
    expect(origin.calls.some((c) => c.method === 'DELETE' && c.path === '/v1/sessions')).toBe(true);
    expect((await other.fetch('/home')).headers.get('location')).toBe('/login');
  });

  it('keeps the member logged in (to try again) when the origin cannot end the sessions', async () => {
    origin.addMember('alice');
    const browser = new Browser(origin.host);
    await browser.logIn('alice');
    await browser.get('/home');
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    origin.mode = 'shard-503';
    const out = await browser.post('/logout-everywhere', {});
    expect(out.status).toBe(503);
    expect(browser.cookies.has('chorus_session')).toBe(true);
  });
});

describe('origin 401s', () => {
  it('an origin refusing every signature never logs the member out, and nothing redirects in circles', async () => {
    origin.addMember('alice', 'Alice');
    const browser = new Browser(origin.host);
    await browser.logIn('alice');
    await browser.get('/home');
    const cookie = browser.cookies.get('chorus_session');
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    origin.mode = 'signature-401';

    const before = origin.calls.length;
    const home = await browser.get('/home');
    expect(home.response.status).toBe(503);
    expect(home.html).toContain('We will be right back');
    expect(home.response.headers.get('retry-after')).toBeTruthy();
    expect(sessionCookieDeleted(home.response)).toBe(false);
    // Each call was sent twice, signed afresh each time (a later timestamp), never more.
    const tries = origin.calls.slice(before);
    const byPath = new Map<string, typeof tries>();
    for (const call of tries)
      byPath.set(`${call.method} ${call.path}`, [...(byPath.get(`${call.method} ${call.path}`) ?? []), call]);
    for (const [path, calls] of byPath) {
      expect(calls.length, path).toBe(2);
      expect(calls[0]!.headers[HEADER.signature]).not.toBe(calls[1]!.headers[HEADER.signature]);
      expect(Number(calls[1]!.headers[HEADER.timestamp])).toBeGreaterThan(Number(calls[0]!.headers[HEADER.timestamp]));
    }

    // A form post and the member pages: a "try again" page every time, no redirect to /login.
    const post = await browser.post('/posts', { text: 'hello', audience: 'public' });
    expect(post.status).toBe(503);
    for (const path of ['/friends', '/notifications', '/u/alice']) {
      const response = await browser.fetch(path);
      expect(response.status, path).toBe(503);
      expect(sessionCookieDeleted(response), path).toBe(false);
    }
    const front = await browser.fetch('/');
    expect(front.status).toBe(303); // members' front page is their home...
    expect(front.headers.get('location')).toBe('/home');
    expect((await browser.fetch('/home')).status).toBe(503); // ...which says "try again", no loop
    expect(browser.cookies.get('chorus_session')).toBe(cookie);

    origin.mode = 'ok';
    const again = await browser.get('/home');
    expect(again.response.status).toBe(200);
    expect(again.html).toContain('Alice');
  });

  it('a signature refused once is sent again, freshly signed, and goes through (GET and POST)', async () => {
    origin.addMember('alice', 'Alice');
    const browser = new Browser(origin.host);
    await browser.logIn('alice');
    await browser.get('/home');
    origin.refuseSignatures = 1;
    expect((await browser.get('/home')).response.status).toBe(200);
    origin.refuseSignatures = 1;
    const post = await browser.post('/posts', { text: 'sent twice, saved once', audience: 'friends' });
    expect(post.status).toBe(303);
    const posts = origin.calls.filter((c) => c.method === 'POST' && c.path === '/v1/posts');
    expect(posts.length).toBe(2);
    expect(posts[0]!.headers[HEADER.signature]).not.toBe(posts[1]!.headers[HEADER.signature]);
    const home = await browser.get('/home');
    expect(home.html.split('sent twice, saved once').length - 1).toBe(1);
  });

  it('a plain 401 ("log in first") goes to the log-in page, which then shows', async () => {
    origin.addMember('alice', 'Alice');
    const browser = new Browser(origin.host);
    await browser.logIn('alice');
    await browser.get('/home');
    origin.mode = 'unauthorized-401';
    const home = await browser.fetch('/home');
    expect(home.status).toBe(303);
    expect(home.headers.get('location')).toBe('/login');
    const form = await browser.get('/login');
    expect(form.response.status).toBe(200);
    expect(form.html).toContain('name="password"');
  });

  it('a wrong password is still the log-in form with its message', async () => {
    origin.addMember('alice');
    const browser = new Browser(origin.host);
    await browser.get('/login');
    const response = await browser.post('/login', { username: 'alice', password: 'wrong password' });
    expect(response.status).toBe(401);
    expect(await response.text()).toContain('Wrong username or password.');
  });
});
