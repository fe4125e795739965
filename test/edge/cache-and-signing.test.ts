import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SHARED_CACHE_CONTROL } from '../../edge/cache/page-cache.js';
import { HEADER } from '../../shared/headers.js';
import { verify } from '../../shared/signing.js';
import { Browser, cacheStatus, UA } from './browser.js';
import { FakeOrigin } from './fake-origin.js';

let origin: FakeOrigin;
beforeEach(() => {
  origin = new FakeOrigin().install();
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** Cache writes finish after the response (waitUntil): retry until the copy is there. */
async function getUntilHit(browser: Browser, path: string) {
  for (let attempt = 0; attempt < 20; attempt++) {
    const result = await browser.get(path);
    if (cacheStatus(result.response) === 'HIT') return result;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${path} never came from the cache`);
}

const publicStreamCalls = () => origin.calls.filter((c) => c.path.startsWith('/v1/streams/public')).length;

describe('page cache', () => {
  it('serves the anonymous front page from the shared cache the second time', async () => {
    origin.addPost(origin.addMember('alice'), 'cached hello');
    const browser = new Browser(origin.host);
    const first = await browser.get('/');
    expect(cacheStatus(first.response)).toBe('MISS');
    expect(first.response.headers.get('cache-control')).toBe(SHARED_CACHE_CONTROL);
    expect(SHARED_CACHE_CONTROL).toBe('public, s-maxage=60, stale-while-revalidate=300, stale-if-error=86400');
    expect(first.response.headers.get('set-cookie')).toBeNull();
    const callsAfterMiss = publicStreamCalls();

    const second = await getUntilHit(browser, '/');
    expect(second.html).toBe(first.html);
    expect(second.response.headers.get('server-timing')).toContain('cache;desc=HIT');
    expect(second.response.headers.get('x-request-id')).not.toBe(first.response.headers.get('x-request-id'));
    expect(publicStreamCalls()).toBe(callsAfterMiss);
  });

  it('keys the cache by tier: a feature phone does not get the smartphone copy', async () => {
    await getUntilHit(new Browser(origin.host, UA.smartphone), '/');
    const basic = await new Browser(origin.host, UA.feature).get('/');
    expect(cacheStatus(basic.response)).toBe('MISS');
    expect(basic.html).toContain('tier-basic');
  });

  it('caches anonymous public profiles', async () => {
    origin.addMember('alice', 'Alice');
    const browser = new Browser(origin.host);
    expect(cacheStatus((await browser.get('/u/alice')).response)).toBe('MISS');
    const hit = await getUntilHit(browser, '/u/alice');
    expect(hit.html).toContain('Alice');
  });

  it('never serves or stores a shared entry for a logged-in member', async () => {
    origin.addMember('alice', 'Alice');
    origin.addMember('bob', 'Bob');
    const anonymous = new Browser(origin.host);
    await getUntilHit(anonymous, '/u/bob');

    const member = new Browser(origin.host);
    await member.logIn('alice');
    const profile = await member.get('/u/bob');
    expect(cacheStatus(profile.response)).toBe('BYPASS');
    expect(profile.response.headers.get('cache-control')).toBe('private, no-store');
    expect(profile.html).toContain('Add friend');

    const home = await member.get('/home');
    expect(home.response.headers.get('cache-control')).toBe('private, no-store');
    expect(home.response.headers.get('server-timing')).toContain('cache;desc=BYPASS');
    const front = await member.fetch('/');
    expect(front.status).toBe(303);
    expect(front.headers.get('location')).toBe('/home');

    // The member's view of /u/bob was not written to the shared entry.
    const again = await anonymous.get('/u/bob');
    expect(cacheStatus(again.response)).toBe('HIT');
    expect(again.html).not.toContain('Add friend');
  });

  it('does not cache pages that set cookies (forms) or errors', async () => {
    const login = await new Browser(origin.host).get('/login');
    expect(login.response.headers.get('set-cookie')).toContain('chorus_anon=');
    expect(login.response.headers.get('cache-control')).toBe('private, no-store');
    const missing = await new Browser(origin.host).get('/u/nobody');
    expect(missing.response.status).toBe(404);
    expect(missing.response.headers.get('cache-control')).toBe('private, no-store');
  });
});

describe('signed origin requests', () => {
  it('signs every origin call verifiably and carries tenant, member and request id', async () => {
    const alice = origin.addMember('alice');
    const browser = new Browser(origin.host);
    await browser.logIn('alice');
    const { response } = await browser.get('/home');
    expect(origin.calls.length).toBeGreaterThan(2);
    for (const call of origin.calls) {
      expect(call.headers[HEADER.signature]).toMatch(/^[0-9a-f]{64}$/);
      expect(call.headers[HEADER.timestamp]).toMatch(/^[0-9]+$/);
      expect(call.signatureValid).toBe(true);
    }
    const resolve = origin.calls.find((c) => c.path.startsWith('/v1/tenants/resolve'))!;
    expect(resolve.headers[HEADER.tenant]).toBe('');
    const home = origin.calls.filter((c) => c.path.startsWith('/v1/streams/home')).at(-1)!;
    expect(home.headers[HEADER.member]).toBe(alice.id);
    expect(home.headers[HEADER.requestId]).toBe(response.headers.get('x-request-id'));
  });

  it('fails verification with the wrong secret or a changed path', async () => {
    await new Browser(origin.host).get('/');
    const call = origin.calls.at(-1)!;
    const parts = {
      method: call.method,
      pathWithQuery: call.path,
      body: call.body,
      timestamp: Number(call.headers[HEADER.timestamp]),
      tenant: call.headers[HEADER.tenant]!,
      member: call.headers[HEADER.member]!,
      requestId: call.headers[HEADER.requestId]!,
    };
    expect((await verify('test-secret', parts, call.headers[HEADER.signature])).ok).toBe(true);
    expect((await verify('other-secret', parts, call.headers[HEADER.signature])).ok).toBe(false);
    expect((await verify('test-secret', { ...parts, pathWithQuery: '/v1/x' }, call.headers[HEADER.signature])).ok).toBe(
      false,
    );
  });

  it('passes a sane incoming request id through and replaces an insane one', async () => {
    const sane = await new Browser(origin.host).fetch('/', { headers: { 'x-request-id': 'req-12345678' } });
    expect(sane.headers.get('x-request-id')).toBe('req-12345678');
    expect(origin.calls.at(-1)!.headers[HEADER.requestId]).toBe('req-12345678');
    const insane = await new Browser(origin.host).fetch('/', { headers: { 'x-request-id': 'bad id <script>' } });
    expect(insane.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('access log', () => {
  it('writes one JSON line per request with id, method, path, status, time, tier and cache', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const response = await new Browser(origin.host).fetch('/u/nobody');
    const lines = log.mock.calls.map(([line]) => JSON.parse(String(line)) as Record<string, unknown>);
    const line = lines.find((l) => l.requestId === response.headers.get('x-request-id'))!;
    expect(line).toMatchObject({ method: 'GET', path: '/u/nobody', status: 404, tier: 'rich', cache: 'MISS' });
    expect(typeof line.ms).toBe('number');
    expect(line.tenant).toBe(origin.tenant.id);
  });
});

describe('HEAD and the page cache', () => {
  it('a HEAD of a cached page is a hit: same status and headers, no body, no origin call', async () => {
    origin.addPost(origin.addMember('alice'), 'cached hello');
    const browser = new Browser(origin.host);
    const first = await browser.get('/');
    await getUntilHit(browser, '/');
    const calls = origin.calls.length;
    const head = await browser.fetch('/', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(cacheStatus(head)).toBe('HIT');
    expect(head.headers.get('content-type')).toBe(first.response.headers.get('content-type'));
    expect(head.headers.get('cache-control')).toBe(SHARED_CACHE_CONTROL);
    expect(await head.text()).toBe('');
    expect(origin.calls.length).toBe(calls);
  });

  it('a HEAD miss fills the cache as a GET would: the next GET is a hit with the whole page', async () => {
    origin.addPost(origin.addMember('alice', 'Alice'), 'first seen by a HEAD');
    const browser = new Browser(origin.host);
    const head = await browser.fetch('/u/alice', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(cacheStatus(head)).toBe('MISS');
    expect(head.headers.get('cache-control')).toBe(SHARED_CACHE_CONTROL);
    expect(await head.text()).toBe('');
    const calls = origin.calls.length;
    const hit = await getUntilHit(browser, '/u/alice');
    expect(hit.html).toContain('first seen by a HEAD');
    expect(origin.calls.length).toBe(calls);
  });

  it('a member’s HEAD bypasses the shared cache like their GET', async () => {
    origin.addMember('alice');
    const browser = new Browser(origin.host);
    await browser.logIn('alice');
    const head = await browser.fetch('/u/alice', { method: 'HEAD' });
    expect(cacheStatus(head)).toBe('BYPASS');
    expect(head.headers.get('cache-control')).toBe('private, no-store');
  });
});
