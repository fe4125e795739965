import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetBreakers } from '../../edge/origin-client/circuit-breaker.js';
import worker from '../../edge/worker.js';
import { Browser, UA } from './browser.js';
import { FakeOrigin } from './fake-origin.js';

let origin: FakeOrigin;
beforeEach(() => {
  resetBreakers();
  origin = new FakeOrigin().install();
});
afterEach(() => {
  vi.restoreAllMocks();
  resetBreakers();
});

/** Calls the worker with changed bindings (short timeout, missing secrets). */
async function fetchWith(bindings: Partial<Cloudflare.Env>, url: string, init?: RequestInit): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await worker.fetch(new Request(url, init), { ...env, ...bindings } as Cloudflare.Env, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

describe('origin trouble', () => {
  it('answers a hanging origin with a friendly 503 page within the timeout', async () => {
    origin.mode = 'hang';
    const started = Date.now();
    const response = await fetchWith({ ORIGIN_TIMEOUT_MS: '150' }, `http://${origin.host}/`, {
      headers: { 'user-agent': UA.smartphone },
    });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBeTruthy();
    const html = await response.text();
    expect(html).toContain('We will be right back');
    expect(html).toContain('tier-rich');
    expect(origin.calls.length).toBe(1); // a timeout is not retried
  });

  it('retries a GET once on a network error, then shows 503', async () => {
    origin.mode = 'down';
    const response = await new Browser(origin.host).fetch('/');
    expect(response.status).toBe(503);
    expect(origin.calls.length).toBe(2);
  });

  it('turns an origin 500 into a 503 page', async () => {
    origin.mode = 'error-500';
    const response = await new Browser(origin.host).fetch('/');
    expect(response.status).toBe(503);
  });

  it('opens the circuit after repeated failures: no more origin calls, instant 503', async () => {
    origin.mode = 'down';
    for (let i = 0; i < 5; i++) expect((await new Browser(origin.host).fetch('/')).status).toBe(503);
    const callsWhenOpen = origin.calls.length;
    const response = await new Browser(origin.host).fetch('/');
    expect(response.status).toBe(503);
    expect(origin.calls.length).toBe(callsWhenOpen);
  });
});

describe('bad input never reaches a 500', () => {
  it('shows a friendly 404 for an unknown host', async () => {
    const response = await new Browser('nobody-lives-here.example').fetch('/');
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('No community lives at this address');
  });

  it('shows a 404 page for an unknown path', async () => {
    const response = await new Browser(origin.host).fetch('/no/such/page');
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('Page not found');
  });

  it('copes with a garbage user agent and garbage cookies', async () => {
    const browser = new Browser(origin.host, UA.garbage);
    browser.cookies.set('chorus_session', '%%%;;.not.valid');
    browser.cookies.set('chorus_anon', '\u00e9\u00e9');
    const response = await browser.fetch('/');
    expect(response.status).toBeLessThan(500);
    expect(response.status).toBe(200);
  });

  it('answers an oversized body with a 413 page', async () => {
    origin.addMember('alice');
    const browser = new Browser(origin.host);
    await browser.logIn('alice');
    await browser.get('/home');
    const before = origin.apiCalls().length;
    const response = await browser.post('/posts', { text: 'x'.repeat(20 * 1024) });
    expect(response.status).toBe(413);
    expect(await response.text()).toContain('too large');
    expect(origin.apiCalls().length).toBe(before);
  });

  it('answers a non-form POST with a 4xx page', async () => {
    const browser = new Browser(origin.host);
    const response = await browser.fetch('/login', {
      method: 'POST',
      body: '{"username":"alice"}',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(400);
    const broken = await browser.fetch('/login', {
      method: 'POST',
      body: '--x\r\nbroken',
      headers: { 'content-type': 'multipart/form-data; boundary=y' },
    });
    expect(broken.status).toBeGreaterThanOrEqual(400);
    expect(broken.status).toBeLessThan(500);
  });

  it('rejects malformed usernames and paging cursors without a 500', async () => {
    const browser = new Browser(origin.host);
    expect((await browser.fetch('/u/%00%ff..')).status).toBe(404);
    expect((await browser.fetch(`/?older=${'z'.repeat(300)}`)).status).toBeLessThan(500);
  });

  it('shows a friendly page and logs when a secret is missing', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const response = await fetchWith({ SESSION_SECRET: undefined }, `http://${origin.host}/`);
    expect(response.status).toBe(503);
    expect(await response.text()).toContain('Not open yet');
    expect(errors.mock.calls.some(([line]) => String(line).includes('SESSION_SECRET'))).toBe(true);
    expect(origin.calls.length).toBe(0);
  });
});

describe('huge and garbage device headers on real pages', () => {
  const HUGE = 100 * 1024;
  const GARBAGE_HINTS: Record<string, string> = {
    'Sec-CH-UA-Mobile': '?2',
    'Sec-CH-UA-Model': `"${'M'.repeat(HUGE)}"`,
    'Sec-CH-UA-Platform': '"',
    'Sec-CH-Viewport-Width': '99999999999999999999',
    'Sec-CH-DPR': '-1',
    DPR: 'Infinity',
    'Viewport-Width': 'NaN',
    ECT: `4g, 2g, ${'x'.repeat(HUGE)}`,
    'Save-Data': 'on; on; on',
  };
  const agents: [string, string][] = [
    ['a 100 KB user agent', 'A'.repeat(HUGE)],
    ['a feature phone UA padded to 100 KB', `${UA.feature}${' (x)'.repeat(HUGE / 4)}`],
    ['a 100 KB run of parentheses', `Mozilla/5.0 ${'('.repeat(HUGE)}`],
  ];
  const cases = agents.flatMap(([name, ua]): [string, string, Record<string, string>][] => [
    [name, ua, {}],
    [`${name} with garbage client hints`, ua, GARBAGE_HINTS],
  ]);

  it.each(cases)('%s: /, /login and a member’s /home are normal pages', async (_name, ua, hints) => {
    origin.addPost(origin.addMember('alice', 'Alice Archer'), 'hello from alice', 'public');
    const visitor = new Browser(origin.host, ua);
    for (const path of ['/', '/login']) {
      const { response, html } = await visitor.get(path, hints);
      expect(response.status, path).toBe(200);
      expect(html, path).toMatch(/tier-(rich|basic)/);
    }
    expect((await visitor.get('/', hints)).html).toContain('hello from alice');

    const member = new Browser(origin.host, ua);
    await member.get('/login', hints);
    const login = await member.fetch('/login', {
      method: 'POST',
      body: new URLSearchParams({ username: 'alice', password: 'correct horse', _csrf: member.lastCsrf! }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...hints },
    });
    expect(login.status).toBe(303);
    const home = await member.get('/home', hints);
    expect(home.response.status).toBe(200);
    expect(home.html).toContain('Alice Archer');
  });
});

describe('oversized bodies without a Content-Length', () => {
  /** A form body sent in chunks, as `Transfer-Encoding: chunked` arrives: no length up front. */
  function chunked(text: string, chunkBytes = 1024): ReadableStream<Uint8Array> {
    const bytes = new TextEncoder().encode(text);
    let offset = 0;
    return new ReadableStream({
      pull(controller) {
        if (offset >= bytes.length) return controller.close();
        controller.enqueue(bytes.slice(offset, offset + chunkBytes));
        offset += chunkBytes;
      },
    });
  }

  async function postChunked(browser: Browser, path: string, fields: Record<string, string>) {
    const request = new Request(`http://${origin.host}${path}`, {
      method: 'POST',
      body: chunked(new URLSearchParams({ ...fields, _csrf: browser.lastCsrf ?? '' }).toString()),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(request.headers.get('content-length')).toBeNull();
    return browser.fetch(path, { method: 'POST', body: request.body, headers: request.headers });
  }

  it('answers an oversized chunked post with the 413 page, before any origin call', async () => {
    origin.addMember('alice');
    const browser = new Browser(origin.host);
    await browser.logIn('alice');
    await browser.get('/home');
    const before = origin.apiCalls().length;
    const response = await postChunked(browser, '/posts', { text: 'x'.repeat(40 * 1024), audience: 'public' });
    expect(response.status).toBe(413);
    expect(await response.text()).toContain('too large');
    expect(origin.apiCalls().length).toBe(before);
  });

  it('answers an oversized chunked login with the 413 page in the feature-phone tier', async () => {
    const phone = new Browser(origin.host, UA.feature);
    origin.addMember('alice');
    await phone.get('/login');
    const before = origin.apiCalls().length;
    const response = await postChunked(phone, '/login', { username: 'alice', password: 'p'.repeat(64 * 1024) });
    expect(response.status).toBe(413);
    expect(await response.text()).toContain('tier-basic');
    expect(origin.apiCalls().length).toBe(before);
  });

  it('still reads a small chunked post', async () => {
    origin.addMember('alice');
    const browser = new Browser(origin.host);
    await browser.logIn('alice');
    await browser.get('/home');
    const response = await postChunked(browser, '/posts', { text: 'sent in chunks', audience: 'public' });
    expect(response.status).toBe(303);
    expect((await browser.get('/home')).html).toContain('sent in chunks');
  });
});
