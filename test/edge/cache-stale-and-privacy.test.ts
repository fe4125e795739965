// The shared cache beyond the happy path: language in the key, stale-while-revalidate,
// stale-if-error with the origin down or the circuit open, purge after a write, and privacy
// (nothing of one member's ever comes back to another visitor from a shared entry).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { purgePublicStream } from '../../edge/cache/fragments.js';
import { generationOf } from '../../edge/cache/generations.js';
import { clearHotPages } from '../../edge/cache/hot-pages.js';
import { localeOf } from '../../edge/cache/locale.js';
import { FRESH_SECONDS, keyFor, STALE_WHILE_REVALIDATE_SECONDS } from '../../edge/cache/page-cache.js';
import { detectDevice } from '../../edge/device/detect.js';
import { resetBreakers } from '../../edge/origin-client/circuit-breaker.js';
import { resetRateLimits } from '../../edge/rate-limit/rate-limit.js';
import { markupOf, variantOf } from '../../edge/ui/markup.js';
import { Browser, cacheStatus, UA } from './browser.js';
import { FakeOrigin } from './fake-origin.js';

let origin: FakeOrigin;
beforeEach(() => {
  resetBreakers();
  resetRateLimits();
  origin = new FakeOrigin().install();
});
afterEach(() => {
  vi.restoreAllMocks();
  resetBreakers();
});

const cacheOf = (r: Response) => cacheStatus(r);

async function getUntil(browser: Browser, path: string, status: string, headers: Record<string, string> = {}) {
  for (let attempt = 0; attempt < 40; attempt++) {
    const result = await browser.get(path, headers);
    if (cacheOf(result.response) === status) return result;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${path} never came back ${status}`);
}

/** Makes the smartphone's cached copy of `path` look `seconds` old (and drops shared fragments). */
async function age(path: string, seconds: number, language = '') {
  await purgePublicStream(origin.tenant.id);
  const headers = new Headers({ 'user-agent': UA.smartphone });
  const variant = variantOf(markupOf(detectDevice(headers), 'text/html'));
  const key = keyFor({
    tenantId: origin.tenant.id,
    generation: await generationOf(origin.tenant.id, `page:${path}`),
    variant,
    locale: localeOf(language),
    path,
  });
  const hit = await caches.default.match(key);
  if (!hit) throw new Error(`no cached copy at ${key}`);
  const copy = new Response(hit.body, hit);
  copy.headers.set('x-chorus-stored-at', String(Date.now() - seconds * 1000));
  await caches.default.put(key, copy);
  clearHotPages(); // the isolate's own copy is as old as the shared one now
}

describe('cache key: language', () => {
  it('normalises Accept-Language to a small set', () => {
    expect(localeOf(undefined)).toBe('en');
    expect(localeOf('de-CH, de;q=0.9, en;q=0.8')).toBe('de');
    expect(localeOf('en;q=0.5, fr;q=0.9')).toBe('fr');
    expect(localeOf('xx-YY')).toBe('en');
    expect(localeOf('*')).toBe('en');
    expect(localeOf('garbage;;;q=abc,,,')).toBe('en');
  });

  it('keeps a copy per language', async () => {
    origin.addPost(origin.addMember('alice'), 'hallo');
    const browser = new Browser(origin.host);
    await getUntil(browser, '/', 'HIT', { 'accept-language': 'de-DE,de;q=0.9' });
    const english = await browser.get('/', { 'accept-language': 'en-GB' });
    expect(cacheOf(english.response)).toBe('MISS');
    expect(english.response.headers.get('vary')).toContain('Accept-Language');
    expect(cacheOf((await browser.get('/', { 'accept-language': 'de-AT' })).response)).toBe('HIT');
  });
});

describe('stale-while-revalidate', () => {
  it('serves a stale copy at once and refreshes it in the background', async () => {
    const alice = origin.addMember('alice');
    origin.addPost(alice, 'first version');
    const browser = new Browser(origin.host);
    await getUntil(browser, '/', 'HIT');
    origin.addPost(alice, 'second version');
    await age('/', FRESH_SECONDS + 5);

    const stale = await browser.get('/');
    expect(cacheOf(stale.response)).toBe('STALE');
    expect(stale.html).toContain('first version');
    expect(stale.html).not.toContain('second version');
    expect(stale.response.headers.get('server-timing')).toContain('cache;desc=STALE');

    const fresh = await getUntil(browser, '/', 'HIT');
    expect(fresh.html).toContain('second version');
  });
});

describe('stale-if-error', () => {
  it('serves the old copy (STALE, Warning) when the origin is down, a 503 page when nothing is cached', async () => {
    origin.addPost(origin.addMember('alice'), 'still here');
    const browser = new Browser(origin.host);
    await getUntil(browser, '/', 'HIT');
    await age('/', FRESH_SECONDS + STALE_WHILE_REVALIDATE_SECONDS + 10);
    origin.mode = 'down';

    const served = await browser.get('/');
    expect(served.response.status).toBe(200);
    expect(cacheOf(served.response)).toBe('STALE');
    expect(served.response.headers.get('warning')).toContain('111');
    expect(served.html).toContain('still here');
    expect(served.response.headers.get('retry-after')).toBeNull();

    const uncached = await browser.fetch('/u/alice');
    expect(uncached.status).toBe(503);
    expect(await uncached.text()).toContain('We will be right back');
  });

  it('keeps serving stale copies while the circuit is open, without calling the origin', async () => {
    origin.addPost(origin.addMember('alice'), 'breaker copy');
    const browser = new Browser(origin.host);
    await getUntil(browser, '/', 'HIT');
    await age('/', FRESH_SECONDS + STALE_WHILE_REVALIDATE_SECONDS + 10);
    origin.mode = 'down';
    for (let i = 0; i < 5; i++) await browser.fetch('/u/nobody'); // trips the breaker
    const callsWhenOpen = origin.calls.length;

    const served = await browser.get('/');
    expect(served.response.status).toBe(200);
    expect(cacheOf(served.response)).toBe('STALE');
    expect(served.html).toContain('breaker copy');
    expect(origin.calls.length).toBe(callsWhenOpen);
    expect((await browser.fetch('/u/alice')).status).toBe(503);
    expect(origin.calls.length).toBe(callsWhenOpen);
  });
});

describe('writes purge what they change', () => {
  it('a public post reaches anonymous visitors at once; the author sees it at home', async () => {
    origin.addMember('alice', 'Alice');
    origin.addPost(origin.addMember('bob', 'Bob'), 'old news');
    const anonymous = new Browser(origin.host);
    await getUntil(anonymous, '/', 'HIT');

    const author = new Browser(origin.host);
    await author.logIn('alice');
    await author.get('/home');
    expect((await author.post('/posts', { text: 'breaking news', audience: 'public' })).status).toBe(303);
    expect((await author.get('/home')).html).toContain('breaking news');

    const after = await anonymous.get('/');
    expect(cacheOf(after.response)).toBe('MISS');
    expect(after.html).toContain('breaking news');
  });
});

describe('privacy of shared entries', () => {
  it("never hands A's name, private posts, CSRF token or session to B or to anonymous visitors", async () => {
    const a = origin.addMember('annie', 'Annie Secretname');
    const b = origin.addMember('bert', 'Bert');
    origin.addPost(b, 'a public post by bert');
    origin.befriend(a, b);

    const asA = new Browser(origin.host);
    const login = await asA.logIn('annie');
    expect(login.headers.get('location')).toBe('/home'); // a cookie browser gets no URL token
    const aCookie = asA.cookies.get('chorus_session')!;
    const aPages: string[] = [];
    for (const path of ['/', '/home', '/friends', '/u/bert', '/u/annie', '/u/bert?older=x']) {
      aPages.push((await asA.get(path)).html);
    }
    const aCsrf = asA.lastCsrf!;
    expect(aPages.join('')).toContain('Annie Secretname');
    await asA.post('/posts', { text: 'annie friends-only secret', audience: 'friends' });
    await asA.post('/posts', { text: 'annie only-me secret', audience: 'only_me' });

    const secrets = ['Annie Secretname', 'annie friends-only secret', 'annie only-me secret', aCsrf, aCookie];
    const check = (who: string, html: string, response: Response) => {
      for (const secret of secrets) expect(html.includes(secret), `${who} got ${secret.slice(0, 20)}`).toBe(false);
      expect(response.headers.getAll('set-cookie').join(';')).not.toContain(aCookie);
    };

    for (const ua of [UA.smartphone, UA.feature]) {
      const anonymous = new Browser(origin.host, ua);
      for (const path of ['/', '/u/bert', '/u/bert?older=x', '/?older=cursor-20']) {
        for (let i = 0; i < 2; i++) {
          const { response, html } = await anonymous.get(path);
          check(`anonymous ${path}`, html, response);
        }
      }
    }
    const asB = new Browser(origin.host);
    await asB.logIn('bert');
    for (const path of ['/home', '/u/bert', '/friends']) {
      const { response, html } = await asB.get(path);
      // B is A's friend: B may see A's posts and name at home (the fake origin's rules), never A's tokens.
      for (const secret of [aCsrf, aCookie]) expect(html).not.toContain(secret);
      expect(response.headers.get('cache-control')).toBe('private, no-store');
    }
  });
});
