import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HEADER } from '../../shared/headers.js';
import { Browser } from './browser.js';
import { FakeOrigin } from './fake-origin.js';

let origin: FakeOrigin;
beforeEach(() => {
  origin = new FakeOrigin().install();
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('session cookie', () => {
  it('logs in, sets a signed HttpOnly cookie, and acts as the member on the next request', async () => {
    const alice = origin.addMember('alice', 'Alice Liddell');
    const browser = new Browser(origin.host);
    const login = await browser.logIn('alice');
    expect(login.status).toBe(303);
    // The cookie came back with the log-in post (the form page set the anonymous one): no URL token.
    expect(login.headers.get('location')).toBe('/home');
    const cookie = login.headers.getAll('set-cookie').find((c) => c.startsWith('chorus_session='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Secure/); // plain http in tests; https gets Secure

    const { response, html } = await browser.get('/home');
    expect(response.status).toBe(200);
    expect(html).toContain('Alice Liddell');
    const homeCall = origin.calls.find((c) => c.path.startsWith('/v1/streams/home'))!;
    expect(homeCall.headers[HEADER.member]).toBe(alice.id);
    expect(homeCall.headers[HEADER.tenant]).toBe(origin.tenant.id);
  });

  it('marks the cookie Secure on https', async () => {
    origin.addMember('alice');
    const browser = new Browser(origin.host);
    browser.scheme = 'https';
    const login = await browser.logIn('alice');
    expect(login.status).toBe(303);
    const cookie = login.headers.getAll('set-cookie').find((c) => c.startsWith('chorus_session='))!;
    expect(cookie).toMatch(/; Secure/);
  });

  it('rejects a tampered cookie: anonymous again, and the origin never hears the member id', async () => {
    const alice = origin.addMember('alice');
    const mallory = origin.addMember('mallory');
    const browser = new Browser(origin.host);
    await browser.logIn('mallory');
    const [, ...rest] = browser.cookies.get('chorus_session')!.split('.');
    browser.cookies.set('chorus_session', [alice.id, ...rest].join('.'));
    const response = await browser.fetch('/home');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/login');
    expect(browser.cookies.has('chorus_session')).toBe(false);
    expect(origin.calls.some((c) => c.headers[HEADER.member] === alice.id)).toBe(false);
    expect(mallory.id).not.toBe(alice.id);
  });

  it('does not accept a session minted for another community', async () => {
    origin.addMember('alice');
    const browser = new Browser(origin.host);
    await browser.logIn('alice');
    vi.restoreAllMocks();
    const other = new FakeOrigin().install();
    const elsewhere = new Browser(other.host);
    elsewhere.cookies.set('chorus_session', browser.cookies.get('chorus_session')!);
    const response = await elsewhere.fetch('/home');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/login');
  });

  it('shows the form again on wrong credentials, with a message', async () => {
    origin.addMember('alice');
    const browser = new Browser(origin.host);
    await browser.get('/login');
    const response = await browser.post('/login', { username: 'alice', password: 'wrong password' });
    expect(response.status).toBe(401);
    expect(await response.text()).toContain('Wrong username or password.');
    expect(browser.cookies.has('chorus_session')).toBe(false);
  });

  it('logs out with a CSRF-checked POST', async () => {
    origin.addMember('alice');
    const browser = new Browser(origin.host);
    await browser.logIn('alice');
    await browser.get('/home');
    const response = await browser.post('/logout', {});
    expect(response.status).toBe(303);
    expect(browser.cookies.has('chorus_session')).toBe(false);
    expect((await browser.fetch('/home')).headers.get('location')).toBe('/login');
  });
});

describe('CSRF', () => {
  it('puts a token in every form', async () => {
    origin.addMember('alice');
    const browser = new Browser(origin.host);
    for (const path of ['/login', '/signup']) {
      const { html } = await browser.get(path);
      expect((html.match(/<form/g) ?? []).length).toBe((html.match(/name="_csrf"/g) ?? []).length);
    }
    await browser.logIn('alice');
    for (const path of ['/home', '/friends', '/u/alice']) {
      const { html } = await browser.get(path);
      expect(html).toContain('<form');
      expect((html.match(/<form/g) ?? []).length).toBe((html.match(/name="_csrf"/g) ?? []).length);
    }
  });

  it('refuses a POST without a token with a friendly 403, and the origin is not called', async () => {
    origin.addMember('alice');
    const browser = new Browser(origin.host);
    await browser.logIn('alice');
    await browser.get('/home');
    const before = origin.apiCalls().length;
    const response = await browser.post('/posts', { text: 'hello', audience: 'public' }, null);
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('nothing was changed');
    expect(origin.apiCalls().length).toBe(before);
  });

  it('refuses a token taken from another visitor', async () => {
    origin.addMember('alice');
    origin.addMember('bob');
    const alice = new Browser(origin.host);
    await alice.logIn('alice');
    const bob = new Browser(origin.host);
    await bob.logIn('bob');
    await bob.get('/home');
    const response = await alice.post('/posts', { text: 'forged' }, bob.lastCsrf);
    expect(response.status).toBe(403);
    expect(origin.calls.some((c) => c.path === '/v1/posts')).toBe(false);
  });

  it('refuses a login POST without a token', async () => {
    origin.addMember('alice');
    const response = await new Browser(origin.host).post(
      '/login',
      { username: 'alice', password: 'correct horse' },
      null,
    );
    expect(response.status).toBe(403);
    expect(origin.calls.some((c) => c.path === '/v1/sessions')).toBe(false);
  });
});

describe('forms and actions', () => {
  it('signs up and lands on home', async () => {
    const browser = new Browser(origin.host);
    await browser.get('/signup');
    const response = await browser.post('/signup', {
      username: 'newbie',
      displayName: 'New Bie',
      password: 'long enough',
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/home');
    expect(browser.cookies.has('chorus_session')).toBe(true);
  });

  it('re-renders sign-up with messages on invalid input (400), without calling the origin', async () => {
    const browser = new Browser(origin.host);
    await browser.get('/signup');
    const response = await browser.post('/signup', { username: 'x', displayName: '<b>Me</b>', password: 'short' });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('use 3-30 letters, digits or underscores');
    expect(html).toContain('use at least 8 characters');
    expect(html).toContain('value="&lt;b&gt;Me&lt;/b&gt;"');
    expect(origin.calls.some((c) => c.path === '/v1/members')).toBe(false);
  });

  it('tells the visitor when a username is taken', async () => {
    origin.addMember('taken');
    const browser = new Browser(origin.host);
    await browser.get('/signup');
    const response = await browser.post('/signup', { username: 'taken', displayName: 'T', password: 'long enough' });
    expect(response.status).toBe(409);
    expect(await response.text()).toContain('That username is taken');
  });

  it('posts an update and redirects home; origin validation errors re-render the form', async () => {
    origin.addMember('alice');
    const browser = new Browser(origin.host);
    await browser.logIn('alice');
    await browser.get('/home');
    const ok = await browser.post('/posts', { text: 'first post', audience: 'public' });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/home');
    const posted = origin.calls.find((c) => c.path === '/v1/posts')!;
    expect(JSON.parse(posted.body)).toEqual({ text: 'first post', audience: 'public' });
    expect((await browser.get('/home')).html).toContain('first post');

    const bad = await browser.post('/posts', { text: 'a forbidden-word here', audience: 'friends' });
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(html).toContain('please be nice');
    expect(html).toContain('a forbidden-word here');
  });

  it('sends, accepts and removes friendships from profile buttons, redirecting back', async () => {
    const alice = origin.addMember('alice', 'Alice');
    const bob = origin.addMember('bob', 'Bob');
    const browser = new Browser(origin.host);
    await browser.logIn('alice');
    const profile = await browser.get('/u/bob');
    expect(profile.html).toContain('Add friend');
    const add = await browser.post('/friends/request', { to: bob.id, back: '/u/bob' });
    expect(add.status).toBe(303);
    expect(add.headers.get('location')).toBe('/u/bob');
    expect((await browser.get('/u/bob')).html).toContain('Friend request sent.');

    const bobBrowser = new Browser(origin.host);
    await bobBrowser.logIn('bob');
    const friends = await bobBrowser.get('/friends');
    expect(friends.html).toContain('Alice');
    const accept = await bobBrowser.post(`/friends/${alice.id}/accept`, { back: '/friends' });
    expect(accept.status).toBe(303);
    expect((await bobBrowser.get('/u/alice')).html).toContain('Unfriend');
    const remove = await bobBrowser.post(`/friends/${alice.id}/remove`, { back: 'https://evil.example/' });
    expect(remove.headers.get('location')).toBe('/friends');
    expect(origin.calls.some((c) => c.method === 'DELETE' && c.path === `/v1/friends/${alice.id}`)).toBe(true);
  });

  it('answers a garbage member id in a friend action with a 400 page, not an origin call', async () => {
    origin.addMember('alice');
    const browser = new Browser(origin.host);
    await browser.logIn('alice');
    await browser.get('/home');
    const response = await browser.post('/friends/not-an-id/accept', {});
    expect(response.status).toBe(400);
    expect(origin.calls.some((c) => c.path.includes('not-an-id'))).toBe(false);
  });

  it('sends anonymous visitors of member pages to log in', async () => {
    for (const path of ['/home', '/friends']) {
      const response = await new Browser(origin.host).fetch(path);
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe('/login');
    }
  });
});
