// The headers every page carries, on a freshly rendered page and on a cache hit alike: security
// headers (HSTS only over HTTPS), Accept-CH and Vary for the device, Server-Timing with the cache
// status, the request id; and none of the obsolete or redundant ones each response would pay for.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ACCEPT_CH } from '../../edge/device/detect.js';
import { Browser, cacheStatus, UA } from './browser.js';
import { FakeOrigin } from './fake-origin.js';

let origin: FakeOrigin;
beforeEach(() => {
  origin = new FakeOrigin().install();
  origin.addPost(origin.addMember('alice', 'Alice'), 'hello from alice');
});
afterEach(() => {
  vi.restoreAllMocks();
});

async function missThenHit(browser: Browser, path: string): Promise<[Response, Response]> {
  const miss = (await browser.get(path)).response;
  for (let attempt = 0; attempt < 20; attempt++) {
    const again = (await browser.get(path)).response;
    if (cacheStatus(again) === 'HIT') return [miss, again];
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${path} never came from the cache`);
}

describe('response headers', () => {
  it.each(['http', 'https'] as const)('over %s, on a rendered page and on a cache hit', async (scheme) => {
    const browser = new Browser(origin.host, UA.smartphone);
    browser.scheme = scheme;
    const [miss, hit] = await missThenHit(browser, '/');
    expect(cacheStatus(miss)).toBe('MISS');
    for (const response of [miss, hit]) {
      const h = response.headers;
      expect(h.get('x-content-type-options')).toBe('nosniff');
      expect(h.get('x-frame-options')).toBe('DENY');
      expect(h.get('x-xss-protection')).toBe('0');
      expect(h.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
      expect(h.get('accept-ch')).toBe(ACCEPT_CH);
      for (const name of ['Cookie', 'Accept-Language', 'User-Agent', 'Sec-CH-UA-Model', 'Save-Data', 'Accept']) {
        expect(h.get('vary')).toContain(name);
      }
      expect(h.get('server-timing')).toMatch(/^edge;dur=\d+.*cache;desc=(MISS|HIT)$/);
      expect(h.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      expect(h.get('strict-transport-security')).toBe(
        scheme === 'https' ? 'max-age=15552000; includeSubDomains' : null,
      );
      for (const gone of [
        'x-download-options',
        'x-permitted-cross-domain-policies',
        'x-chorus-cache',
        'x-powered-by',
      ]) {
        expect(h.get(gone), gone).toBeNull();
      }
    }
    expect(hit.headers.get('age')).toMatch(/^\d+$/);
    expect(hit.headers.get('x-request-id')).not.toBe(miss.headers.get('x-request-id'));
  });
});
