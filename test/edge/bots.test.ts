import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetRateLimits } from '../../edge/rate-limit/rate-limit.js';
import { Browser, cacheStatus } from './browser.js';
import { FakeOrigin } from './fake-origin.js';

const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
const GOOGLEBOT_SMARTPHONE =
  'Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
/** What Chrome on most Android phones sends (the reduced User-Agent). */
const ANDROID_CHROME =
  'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36';

let origin: FakeOrigin;
beforeEach(() => {
  resetRateLimits();
  origin = new FakeOrigin().install();
});
afterEach(() => {
  vi.restoreAllMocks();
});

async function getUntilHit(browser: Browser, path: string) {
  for (let attempt = 0; attempt < 20; attempt++) {
    const result = await browser.get(path);
    if (cacheStatus(result.response) === 'HIT') return result;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${path} never came from the cache`);
}

describe('crawlers', () => {
  it('get the cached rich tier, keyed like any visitor with the same capabilities', async () => {
    // The smartphone crawler sees what a typical Android phone sees (same budget step, image
    // width step and formats), from the same cached copy: no separate crawler variant.
    origin.addPost(origin.addMember('alice'), 'indexed hello');
    const stored = await getUntilHit(new Browser(origin.host, ANDROID_CHROME), '/');
    const bot = await new Browser(origin.host, GOOGLEBOT_SMARTPHONE).get('/');
    expect(cacheStatus(bot.response)).toBe('HIT');
    expect(bot.html).toBe(stored.html);
    expect(bot.html).toContain('tier-rich');
  });

  it('never get a session: no Set-Cookie, cookies and URL tokens ignored', async () => {
    origin.addMember('alice', 'Alice Liddell');
    const member = new Browser(origin.host);
    const login = await member.logIn('alice');
    const token = new URL(login.headers.get('location')!, 'http://x').searchParams.get('s')!;

    const bot = new Browser(origin.host, GOOGLEBOT);
    const form = await bot.fetch('/login');
    expect(form.status).toBe(200);
    expect(form.headers.getAll('set-cookie')).toEqual([]);
    bot.cookies.set('chorus_session', member.cookies.get('chorus_session')!);
    const home = await bot.fetch('/home');
    expect(home.status).toBe(303);
    expect(home.headers.get('location')).toBe('/login');
    expect((await bot.fetch(`/home?s=${token}`)).headers.get('location')).toBe('/login');
  });

  it('cannot log in, sign up or post: 403 page, origin not called', async () => {
    origin.addMember('alice');
    const bot = new Browser(origin.host, GOOGLEBOT);
    await bot.get('/login');
    const before = origin.apiCalls().length;
    for (const path of ['/login', '/signup', '/posts']) {
      const response = await bot.post(path, { username: 'alice', password: 'correct horse' });
      expect(response.status, path).toBe(403);
      expect(await response.text()).toContain('Not allowed');
      expect(response.headers.getAll('set-cookie')).toEqual([]);
    }
    expect(origin.apiCalls().length).toBe(before);
  });
});
