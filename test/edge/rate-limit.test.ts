import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { retryAfterSeconds } from '../../edge/origin-client/origin-client.js';
import { MemoryRateLimiter } from '../../edge/rate-limit/limiter.js';
import { clientIp, DEFAULT_LIMITS, resetRateLimits } from '../../edge/rate-limit/rate-limit.js';
import { forgetTenants } from '../../edge/tenant/tenant-lookup.js';
import { HEADER } from '../../shared/headers.js';
import { Browser, UA, XHTML_ACCEPT } from './browser.js';
import { FakeOrigin } from './fake-origin.js';

let origin: FakeOrigin;
beforeEach(() => {
  resetRateLimits();
  forgetTenants();
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

  it('finds the client IP in CF-Connecting-IP only', () => {
    expect(clientIp(new Headers({ 'cf-connecting-ip': '1.2.3.4', 'x-forwarded-for': '5.6.7.8' }))).toBe('1.2.3.4');
    expect(clientIp(new Headers({ 'x-forwarded-for': '5.6.7.8, 10.0.0.1' }))).toBe('unknown');
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

  it('X-Forwarded-For cannot spread one client over many limit keys', async () => {
    origin.addMember('alice');
    const login = (browser: Browser, forwardedFor: string, extra: Record<string, string> = {}) =>
      browser.fetch('/login', {
        method: 'POST',
        body: new URLSearchParams({ username: 'alice', password: 'x', _csrf: browser.lastCsrf! }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': forwardedFor, ...extra },
      });
    // Without CF-Connecting-IP: every made-up address lands in the one 'unknown' bucket.
    const spoofer = new Browser(origin.host);
    await spoofer.get('/login');
    for (let i = 0; i < DEFAULT_LIMITS.loginsPerMinIp; i++) {
      expect((await login(spoofer, `203.0.113.${i}`)).status).toBe(401);
    }
    expect((await login(spoofer, '198.51.100.77')).status).toBe(429);

    // Behind Cloudflare: the connecting IP counts, whatever X-Forwarded-For says.
    const behindCf = new From(origin.host, '192.0.2.200');
    await behindCf.get('/login');
    for (let i = 0; i < DEFAULT_LIMITS.loginsPerMinIp; i++) {
      expect((await login(behindCf, `10.0.${i}.1`)).status).toBe(401);
    }
    expect((await login(behindCf, '10.99.0.1')).status).toBe(429);
    // ... and only it reaches the origin, signed, as the visitor's IP.
    const sessionCalls = origin.calls.filter((c) => c.path === '/v1/sessions');
    expect(sessionCalls.length).toBe(2 * DEFAULT_LIMITS.loginsPerMinIp);
    for (const call of sessionCalls.slice(DEFAULT_LIMITS.loginsPerMinIp)) {
      expect(call.headers[HEADER.clientIp]).toBe('192.0.2.200');
      expect(call.signatureValid).toBe(true);
    }
    for (const call of sessionCalls.slice(0, DEFAULT_LIMITS.loginsPerMinIp)) {
      expect(call.headers[HEADER.clientIp]).toBeUndefined();
    }
  });

  it('passes the visitor IP to the origin on every call, the host lookup included', async () => {
    origin.addMember('alice');
    const browser = new From(origin.host, '2001:db8::7');
    await browser.logIn('alice');
    await browser.get('/home');
    expect(origin.calls.length).toBeGreaterThan(3);
    for (const call of origin.calls) {
      expect(call.headers[HEADER.clientIp]).toBe('2001:db8::7');
      expect(call.signatureValid).toBe(true);
    }
  });
});

describe('rate limits at the origin', () => {
  it('an origin 429 is the 429 page in the visitor’s tier with the origin’s Retry-After', async () => {
    origin.addMember('alice', 'Alice');
    for (const [ua, accept, tier] of [
      [UA.smartphone, undefined, 'tier-rich'],
      [UA.feature, XHTML_ACCEPT, 'tier-basic'],
    ] as const) {
      const browser = new Browser(origin.host, ua, accept);
      await browser.logIn('alice');
      await browser.get('/home');
      origin.mode = 'rate-limited';
      origin.retryAfter = 42;
      const { response, html } = await browser.get('/friends');
      origin.mode = 'ok';
      expect(response.status).toBe(429);
      expect(response.headers.get('retry-after')).toBe('42');
      expect(response.headers.get('cache-control')).toBe('private, no-store');
      expect(html).toContain(tier);
      expect(html).toContain('Slow down a little');
      expect(html).toContain('42 seconds');
      expect(browser.cookies.has('chorus_session')).toBe(true); // a 429 logs nobody out
    }
  });

  it('a form post the origin refuses says it was not saved and links back to the form', async () => {
    origin.addMember('alice', 'Alice');
    const browser = new Browser(origin.host);
    await browser.logIn('alice');
    await browser.get('/home');
    origin.mode = 'rate-limited';
    origin.retryAfter = 120;
    const response = await browser.fetch('/posts', {
      method: 'POST',
      body: new URLSearchParams({ text: 'too fast', audience: 'public', _csrf: browser.lastCsrf! }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', referer: `http://${origin.host}/home` },
    });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('120');
    const html = await response.text();
    expect(html).toContain('not saved');
    expect(html).toContain('2 minutes');
    expect(html).toContain('href="/home"');

    // The log-in form too: a 429 is not "wrong password", and a Referer elsewhere is not linked.
    const visitor = new Browser(origin.host);
    origin.mode = 'ok';
    await visitor.get('/login');
    origin.mode = 'rate-limited';
    const login = await visitor.fetch('/login', {
      method: 'POST',
      body: new URLSearchParams({ username: 'alice', password: 'correct horse', _csrf: visitor.lastCsrf! }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', referer: 'https://evil.example/phish' },
    });
    expect(login.status).toBe(429);
    expect(login.headers.get('retry-after')).toBe('120');
    const loginHtml = await login.text();
    expect(loginHtml).not.toContain('Wrong username');
    expect(loginHtml).not.toContain('evil.example');
    expect(visitor.cookies.has('chorus_session')).toBe(false);
  });

  it('reads Retry-After as seconds or a date, within bounds', () => {
    const now = Date.parse('2026-05-01T12:00:00Z');
    expect(retryAfterSeconds('17', now)).toBe(17);
    expect(retryAfterSeconds('Fri, 01 May 2026 12:01:30 GMT', now)).toBe(90);
    expect(retryAfterSeconds(null, now)).toBe(30);
    expect(retryAfterSeconds('soon', now)).toBe(30);
    expect(retryAfterSeconds('0', now)).toBe(1);
    expect(retryAfterSeconds('999999999', now)).toBe(3600);
  });
});
