// Rate limits at the origin, counted in Redis so two origin processes share one count: log-ins
// per IP and per account, sign-ups per IP, posts per member, searches per IP. Over a limit the
// answer is a 429 problem with Retry-After, and nothing is done.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemorySlidingWindow } from '../../origin/abuse/sliding-window.js';
import { PROBLEM_TYPES } from '../../shared/api.js';
import { type Harness, signupMember, startHarness } from '../support/origin-harness.js';

const limits = {
  RATE_LIMIT_LOGIN_IP: '3/1m',
  RATE_LIMIT_LOGIN_ACCOUNT: '4/1m',
  RATE_LIMIT_SIGNUP_IP: '2/1m',
  RATE_LIMIT_POSTS_MEMBER: '3/1m',
  RATE_LIMIT_EXPENSIVE_READS_IP: '4/1m',
};

let a: Harness;
let b: Harness;
beforeAll(async () => {
  a = await startHarness({ env: limits });
  b = await startHarness({ env: limits, tenantId: a.tenantId, processors: false, relay: false });
});
afterAll(async () => {
  await b?.close();
  await a?.close();
});

async function expectLimited(res: Response) {
  expect(res.status).toBe(429);
  expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(((await res.json()) as { type: string }).type).toBe(PROBLEM_TYPES.rateLimited);
}

const login = (on: Harness, clientIp: string, username = 'limited_ann') =>
  on.call('POST', '/v1/sessions', { clientIp, body: { username, password: 'correct horse' } });

describe('origin rate limits', () => {
  it('log-ins per IP are counted across processes', async () => {
    await signupMember(a, 'limited_ann');
    expect((await login(a, '10.0.0.1')).status).toBe(200);
    expect((await login(b, '10.0.0.1')).status).toBe(200);
    expect((await login(a, '10.0.0.1')).status).toBe(200);
    await expectLimited(await login(b, '10.0.0.1'));
    expect((await login(a, '10.0.0.2')).status).toBe(200); // another address has its own count
  });

  it('log-ins per account are counted whatever the address', async () => {
    await signupMember(a, 'limited_bob');
    for (let i = 0; i < 4; i++) expect((await login(i % 2 ? a : b, `10.1.0.${i}`, 'limited_bob')).status).toBe(200);
    await expectLimited(await login(a, '10.1.0.9', 'limited_bob'));
  });

  it('sign-ups per IP: the one over the limit creates no member', async () => {
    const signup = (username: string) =>
      a.call('POST', '/v1/members', {
        clientIp: '10.2.0.1',
        body: { username, displayName: username, password: 'correct horse' },
      });
    expect((await signup('burst_1')).status).toBe(201);
    expect((await signup('burst_2')).status).toBe(201);
    await expectLimited(await signup('burst_3'));
    expect((await a.call('GET', '/v1/members/by-username/burst_3')).status).toBe(404);
  });

  it('posts per member: the one over the limit is not posted', async () => {
    const cat = await signupMember(a, 'limited_cat');
    for (let i = 0; i < 3; i++)
      expect(
        (await (i % 2 ? a : b).call('POST', '/v1/posts', { member: cat, body: { text: `post ${i}` } })).status,
      ).toBe(201);
    await expectLimited(await a.call('POST', '/v1/posts', { member: cat, body: { text: 'one too many' } }));
    const own = await a.call('GET', `/v1/members/${cat}/stream`, { member: cat });
    expect(((await own.json()) as { entries: { text: string }[] }).entries.map((e) => e.text)).not.toContain(
      'one too many',
    );
  });

  it('searches per IP', async () => {
    for (let i = 0; i < 4; i++)
      expect((await a.call('GET', '/v1/members?prefix=lim', { clientIp: '10.3.0.1' })).status).toBe(200);
    await expectLimited(await b.call('GET', '/v1/tags/anything/stream', { clientIp: '10.3.0.1' }));
  });
});

describe('the sliding window', () => {
  it('counts the previous window by how much of it still overlaps', async () => {
    let now = 1_000_000 * 60_000; // the start of a window
    const w = new MemorySlidingWindow(() => now);
    for (let i = 0; i < 10; i++) expect((await w.hit('k', 10, 60_000)).allowed).toBe(true);
    expect((await w.hit('k', 10, 60_000)).allowed).toBe(false);
    // Half-way through the next window, half of the previous 11 still count: 5.5 + new hits.
    now += 90_000;
    for (let i = 0; i < 4; i++) expect((await w.hit('k', 10, 60_000)).allowed).toBe(true);
    const over = await w.hit('k', 10, 60_000);
    expect(over.allowed).toBe(false);
    expect(over.retryAfterSeconds).toBe(30);
    // A whole window later the old hits no longer count at all.
    now += 60_000;
    expect((await w.hit('k', 10, 60_000)).allowed).toBe(true);
  });
});
