import { exports } from 'cloudflare:workers';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeOrigin } from '../../test/edge/fake-origin.js';
import { ACCEPT_CH } from '../device/detect.js';

const PIXEL_8 =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36';
const REDUCED_ANDROID =
  'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36';
const NOKIA_6300 = 'Nokia6300/2.0 (07.21) Profile/MIDP-2.0 Configuration/CLDC-1.1';

interface Report {
  id: string;
  class: string;
  tier: string;
  screenWidth: number;
  maxImageWidth: number;
  maxPageBytes: number;
  cookies: boolean;
  js: boolean;
  imageFormats: string[];
  matched: { id: string; maxPageBytes: number };
  hints: { used: string[]; ignored: string[]; values: Record<string, unknown> };
  userAgent: { length: number; truncated: boolean; parsed: Record<string, unknown> | null };
  fallback: boolean;
  profilesVersion: string;
}

// Any host: no community lives at nowhere.example (the fake origin says so), so these reports
// are plain detection; test/edge/device-overrides.test.ts covers a community's overrides.
beforeEach(() => {
  new FakeOrigin().install();
});
afterEach(() => {
  vi.restoreAllMocks();
});

async function get(headers: Record<string, string> | Headers = {}): Promise<{ response: Response; report: Report }> {
  const response = await exports.default.fetch(
    new Request('http://nowhere.example/_edge/device', { headers: new Headers(headers) }),
  );
  const text = await response.text();
  return { response, report: JSON.parse(text) as Report };
}

function safeHeaders(entries: [string, string][]): Headers {
  const headers = new Headers();
  for (const [name, value] of entries) {
    try {
      headers.set(name, value);
    } catch {
      headers.set(name, encodeURIComponent(value));
    }
  }
  return headers;
}

describe('GET /_edge/device', () => {
  it('returns the resolved profile as uncacheable JSON, with Accept-CH and Vary', async () => {
    const { response, report } = await get({ 'User-Agent': PIXEL_8 });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('accept-ch')).toBe(ACCEPT_CH);
    for (const name of ['User-Agent', 'Sec-CH-UA-Mobile', 'Sec-CH-UA-Model', 'Save-Data', 'ECT']) {
      expect(response.headers.get('vary')).toContain(name);
    }
    expect(report).toMatchObject({
      id: 'pixel-8',
      class: 'smartphone',
      tier: 'rich',
      screenWidth: 412,
      cookies: true,
      js: true,
      fallback: false,
    });
    expect(report.maxImageWidth).toBeGreaterThan(0);
    expect(report.maxPageBytes).toBeGreaterThan(0);
    expect(report.userAgent.parsed).toMatchObject({ os: 'android', type: 'mobile' });
    expect(report.profilesVersion).toMatch(/^[0-9a-f]{12}$/);
  });

  it('reports a feature phone as basic, and which client hints were used or ignored', async () => {
    const { report } = await get({ 'User-Agent': NOKIA_6300, ECT: '2g', DPR: 'lots' });
    expect(report).toMatchObject({ id: 'nokia-6300', class: 'feature', tier: 'basic', js: false });
    expect(report.hints.used).toEqual(['ECT']);
    expect(report.hints.ignored).toEqual(['DPR']);
    // 2G halves the budget; the table entry keeps the full one.
    expect(report.maxPageBytes).toBe(report.matched.maxPageBytes / 2);
  });

  it('names the device the reduced UA hides when Sec-CH-UA-Model says it', async () => {
    const { report } = await get({
      'User-Agent': REDUCED_ANDROID,
      'Sec-CH-UA-Mobile': '?1',
      'Sec-CH-UA-Model': '"SM-S918B"',
      'Sec-CH-UA-Platform': '"Android"',
      'Sec-CH-Viewport-Width': '384',
      'Sec-CH-DPR': '3',
    });
    expect(report.id).toBe('galaxy-s23-ultra');
    expect(report.screenWidth).toBe(384);
    expect(report.maxImageWidth).toBe(1152);
    expect(report.hints.used).toEqual([
      'Sec-CH-UA-Mobile',
      'Sec-CH-UA-Model',
      'Sec-CH-UA-Platform',
      'Sec-CH-Viewport-Width',
      'Sec-CH-DPR',
    ]);
  });

  it('answers bots without cookies', async () => {
    const { report } = await get({
      'User-Agent': 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
    });
    expect(report).toMatchObject({ id: 'bingbot', class: 'bot', cookies: false });
  });

  it('gives no User-Agent the safe unknown profile', async () => {
    const { response, report } = await get({});
    expect(response.status).toBe(200);
    expect(report).toMatchObject({ id: 'unknown', class: 'smartphone', tier: 'rich' });
    expect(report.imageFormats).toEqual(['jpeg', 'png', 'gif']);
  });
});

describe('GET /_edge/device with garbage input', () => {
  const garbage: [string, [string, string][]][] = [
    ['a 100 KB user agent', [['User-Agent', 'A'.repeat(100 * 1024)]]],
    ['a 100 KB feature-phone UA', [['User-Agent', `${NOKIA_6300}${'x'.repeat(100 * 1024)}`]]],
    [
      'binary junk',
      [['User-Agent', Array.from({ length: 2048 }, (_, i) => String.fromCharCode(1 + ((i * 37) % 254))).join('')]],
    ],
    ['Latin-1 bytes', [['User-Agent', '\u00ff\u00fe\u0080\u0081\u009f Mozilla/5.0 \u00e9\u00e8']]],
    ['regex metacharacters', [['User-Agent', '.*+?^$()|[]{}\\'.repeat(500)]]],
    ['a flood of parentheses', [['User-Agent', `Mozilla/5.0 ${'('.repeat(20_000)}`]]],
    [
      'malformed client hints',
      [
        ['User-Agent', REDUCED_ANDROID],
        ['Sec-CH-UA-Mobile', '?2'],
        ['Sec-CH-UA-Model', `"${'M'.repeat(10_000)}"`],
        ['Sec-CH-UA-Platform', '"'],
        ['Sec-CH-Viewport-Width', '99999999999999999999'],
        ['Sec-CH-DPR', '-1'],
        ['DPR', 'Infinity'],
        ['Viewport-Width', '1e3'],
        ['Save-Data', 'on; on; on'],
        ['ECT', '4g, 2g'],
      ],
    ],
    [
      'header injection attempts',
      [
        ['User-Agent', 'Mozilla/5.0%0d%0aSet-Cookie:%20chorus=stolen\\r\\nX-Injected: 1'],
        ['Sec-CH-UA-Model', '"Pixel 8\\r\\nSet-Cookie: a=b"'],
        ['Sec-CH-UA-Platform', '"</script><script>alert(1)</script>"'],
      ],
    ],
  ];

  it.each(garbage)('%s: 200 JSON with a safe profile', async (_name, entries) => {
    const { response, report } = await get(safeHeaders(entries));
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(response.headers.get('x-injected')).toBeNull();
    expect(['smartphone', 'tablet', 'feature', 'desktop', 'bot', 'tv']).toContain(report.class);
    expect(['rich', 'basic']).toContain(report.tier);
    expect(report.id).toBeTruthy();
    expect(report.maxPageBytes).toBeGreaterThan(0);
  });

  it('cuts huge user agents before parsing and says so', async () => {
    const { report } = await get({ 'User-Agent': 'A'.repeat(100 * 1024) });
    expect(report.userAgent).toMatchObject({ length: 100 * 1024, truncated: true });
    expect(report.id).toBe('unknown');
  });

  it('ignores every malformed hint', async () => {
    const plain = (await get({ 'User-Agent': REDUCED_ANDROID })).report;
    const { report } = await get(safeHeaders(garbage.find(([name]) => name === 'malformed client hints')![1]));
    expect(report.hints.used).toEqual([]);
    expect(report.hints.ignored.length).toBeGreaterThanOrEqual(8);
    expect({ ...report, hints: null }).toEqual({ ...plain, hints: null });
  });

  it('never lets a reflected hint read as markup', async () => {
    const response = await exports.default.fetch(
      new Request('http://nowhere.example/_edge/device', {
        headers: { 'User-Agent': REDUCED_ANDROID, 'Sec-CH-UA-Model': '"<b>x</b>"' },
      }),
    );
    const text = await response.text();
    expect(text).not.toContain('<');
    expect(JSON.parse(text).hints.values.model).toBe('<b>x</b>');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('refuses CR/LF in header values before they reach the worker', () => {
    expect(() => new Headers({ 'User-Agent': 'a\r\nSet-Cookie: x=y' })).toThrow();
  });
});
