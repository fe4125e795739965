// The circuit breaker through the worker: it opens only when the origin cannot be reached or
// says that as a whole it cannot serve, and it is kept per tenant, so one community's trouble
// (a shard down, a database that hangs) never stops another's pages.
import { env } from 'cloudflare:workers';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { breakerFor, resetBreakers } from '../../edge/origin-client/circuit-breaker.js';
import { resetRateLimits } from '../../edge/rate-limit/rate-limit.js';
import { Browser } from './browser.js';
import { FakeOrigin, type OriginMode } from './fake-origin.js';

let a: FakeOrigin;
let b: FakeOrigin;
beforeEach(() => {
  resetBreakers();
  resetRateLimits();
  a = new FakeOrigin().install();
  b = new FakeOrigin().install();
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});
afterEach(() => {
  vi.restoreAllMocks();
  resetBreakers();
});

/** A logged-in member of `origin`'s community whose home page worked once (tenant known). */
async function memberOf(origin: FakeOrigin, name: string): Promise<Browser> {
  origin.addMember(name, name.toUpperCase());
  const browser = new Browser(origin.host);
  await browser.logIn(name);
  expect((await browser.get('/home')).response.status).toBe(200);
  return browser;
}

/** GETs /home `times` times in `mode`; says how many of them reached the origin. */
async function homeIn(origin: FakeOrigin, browser: Browser, mode: OriginMode, times: number) {
  origin.mode = mode;
  let reached = 0;
  for (let i = 0; i < times; i++) {
    const before = origin.calls.length;
    const response = await browser.fetch('/home');
    expect(response.status).toBe(503);
    expect(await response.text()).toContain('We will be right back');
    if (origin.calls.length > before) reached++;
  }
  origin.mode = 'ok';
  return reached;
}

describe('what opens the breaker', () => {
  it.each([
    ['one shard’s 503s', 'shard-503'],
    ['500s', 'error-500'],
  ] as const)('%s, however many, never open it: for this tenant or any other', async (_name, mode) => {
    const alice = await memberOf(a, 'alice');
    const bob = await memberOf(b, 'bob');
    // Every request reached the origin: nothing was cut short by an open circuit.
    expect(await homeIn(a, alice, mode, 20)).toBe(20);
    expect((await alice.get('/home')).response.status).toBe(200);
    expect((await bob.get('/home')).response.status).toBe(200);
    expect(breakerFor(env.ORIGIN_URL, a.tenant.id).state).toBe('closed');
  });

  it('origin-unavailable 503s open it: then no call goes out, and the 503 page comes at once', async () => {
    const alice = await memberOf(a, 'alice');
    const reached = await homeIn(a, alice, 'unavailable-503', 8);
    expect(reached).toBeLessThan(8);
    a.mode = 'unavailable-503';
    const before = a.calls.length;
    expect((await alice.fetch('/home')).status).toBe(503);
    expect(a.calls.length).toBe(before);
  });

  it('transport failures of tenant A do not stop tenant B’s requests', async () => {
    const alice = await memberOf(a, 'alice');
    const bob = await memberOf(b, 'bob');
    const reached = await homeIn(a, alice, 'down', 8);
    expect(reached).toBeLessThan(8); // A's circuit opened
    a.mode = 'down';
    const aBefore = a.calls.length;
    expect((await alice.fetch('/home')).status).toBe(503);
    expect(a.calls.length).toBe(aBefore);

    const bBefore = b.calls.length;
    const home = await bob.get('/home');
    expect(home.response.status).toBe(200);
    expect(home.html).toContain('BOB');
    expect(b.calls.length).toBeGreaterThan(bBefore);
    // A visitor of B whose tenant is not known yet: the host lookup has its own breaker.
    b.addPost(b.addMember('carol'), 'hello from carol');
    expect((await new Browser(b.host).get('/u/carol')).response.status).toBe(200);
  });
});

describe('breakerFor', () => {
  it('keeps one breaker per origin URL and tenant, the host lookup (no tenant) its own', () => {
    const url = 'https://origin.example';
    expect(breakerFor(url, 't1')).toBe(breakerFor(url, 't1'));
    expect(breakerFor(url, 't1')).not.toBe(breakerFor(url, 't2'));
    expect(breakerFor(url, '')).not.toBe(breakerFor(url, 't1'));
    expect(breakerFor('https://other.example', 't1')).not.toBe(breakerFor(url, 't1'));
  });
});
