import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MemoryRateLimiter } from '../../edge/rate-limit/limiter.js';
import { clientIp, DEFAULT_LIMITS, resetRateLimits } from '../../edge/rate-limit/rate-limit.js';
import { Browser, UA, XHTML_ACCEPT } from './browser.js';
import { FakeOrigin } from './fake-origin.js';

let origin: FakeOrigin;
beforeEach(() => {
  resetRateLimits();
  origin = new FakeOrigin().install();
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** A browser that always comes from one IP. */
class From extends Browser {
  constructor(
    host: string,
    readonly ip: string,
    ua: string = UA.smartphone,
    accept?: string,
  ) {
    super(host, ua, accept);
  }
  override fetch(path: string, init: RequestInit = {}) {
    const headers = new Headers(init.headers);
    headers.set('cf-connecting-ip', this.ip);
    return super.fetch(path, { ...init, headers: Object.fromEntries(headers) });
  }
}

describe('limiter', () => {
  it('counts per key in fixed windows', async () => {
    let now = 0;
    const limiter = new MemoryRateLimiter(100, () => now);
    expect((await limiter.hit('k', 2, 60)).allowed).toBe(true);
    expect((await limiter.hit('k', 2, 60)).allowed).toBe(true);
    const third = await limiter.hit('k', 2, 60);
    expect(third).toMatchObject({ allowed: false, remaining: 0, retryAfterSeconds: 60 });
    expect((await limiter.hit('other', 2, 60)).allowed).toBe(true);
    now = 60_000;
    expect((await limiter.hit('k', 2, 60)).allowed).toBe(true);
  });

  it('finds the client IP', () => {
    expect(clientIp(new Headers({ 'cf-connecting-ip': '1.2.3.4', 'x-forwarded-for': '5.6.7.8' }))).toBe('1.2.3.4');
    expect(clientIp(new Headers({ 'x-forwarded-for': '5.6.7.8, 10.0.0.1' }))).toBe('5.6.7.8');
    expect(clientIp(new Headers())).toBe('unknown');
  });
});

describe('rate limits at the edge', () => {
  it('limits logins per IP with a friendly 429 page and Retry-After; other IPs are fine', async () => {
    origin.addMember('alice');
    const attacker = new From(origin.host, '203.0.113.7');
    await attacker.get('/login');
    for (let i = 0; i < DEFAULT_LIMITS.loginsPerMinIp; i++) {
      expect((await attacker.post('/login', { username: 'alice', password: `guess ${i}` })).status).toBe(401);
    }
    const calls = origin.apiCalls().length;
    const limited = await attacker.post('/login', { username: 'alice', password: 'correct horse' });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(limited.headers.get('cache-control')).toBe('private, no-store');
    const html = await limited.text();
    expect(html).toContain('Slow down a little');
    expect(html).toContain('tier-rich');
    expect(origin.apiCalls().length).toBe(calls);

    const someoneElse = new From(origin.host, '198.51.100.1');
    await someoneElse.get('/login');
    expect((await someoneElse.post('/login', { username: 'alice', password: 'correct horse' })).status).toBe(303);
  });

  it('limits writes per session (also in the basic tier), whatever the IP', async () => {
    origin.addMember('alice');
    const phone = new From(origin.host, '192.0.2.1', UA.feature, XHTML_ACCEPT);
    await phone.logIn('alice');
    await phone.get('/home');
    for (let i = 0; i < DEFAULT_LIMITS.writesPerMinSession; i++) {
      const ip = new From(origin.host, `192.0.2.${(i % 50) + 2}`, UA.feature, XHTML_ACCEPT);
      for (const [k, v] of phone.cookies) ip.cookies.set(k, v);
      expect((await ip.post('/posts', { text: `post ${i}`, audience: 'public' }, phone.lastCsrf)).status).toBe(303);
    }
    const limited = await phone.post('/posts', { text: 'one too many', audience: 'public' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBeTruthy();
    const html = await limited.text();
    expect(html).toContain('tier-basic');
    expect(html).toContain('Slow down a little');
    expect(origin.calls.some((c) => c.body.includes('one too many'))).toBe(false);
  });

  it('falls back to X-Forwarded-For, then to one shared "unknown" bucket', async () => {
    origin.addMember('alice');
    const viaProxy = new Browser(origin.host);
    await viaProxy.get('/login');
    for (let i = 0; i < DEFAULT_LIMITS.loginsPerMinIp; i++) {
      await viaProxy.fetch('/login', {
        method: 'POST',
        body: new URLSearchParams({ username: 'alice', password: 'x', _csrf: viaProxy.lastCsrf! }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '203.0.113.9, 10.0.0.1' },
      });
    }
    const limited = await viaProxy.fetch('/login', {
      method: 'POST',
      body: new URLSearchParams({ username: 'alice', password: 'x', _csrf: viaProxy.lastCsrf! }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '203.0.113.9' },
    });
    expect(limited.status).toBe(429);
    // No forwarding header at all: the 'unknown' bucket, not the proxy's.
    expect((await viaProxy.post('/login', { username: 'alice', password: 'correct horse' })).status).toBe(303);
  });
});
