import { describe, expect, it } from 'vitest';
import { ACCEPT_CH, type DeviceProfile, detectDevice, MAX_UA_LENGTH, VARY_HEADERS } from './detect.js';
import { allProfiles } from './table.js';
import corpus from './ua-corpus.json';

interface CorpusEntry {
  ua: string;
  class: DeviceProfile['class'];
  tier: DeviceProfile['tier'];
  profile?: string;
}

const entries = corpus.entries as CorpusEntry[];

function detect(ua: string | undefined, extra: Record<string, string> = {}): DeviceProfile {
  const headers = new Headers(extra);
  if (ua !== undefined) headers.set('User-Agent', ua);
  return detectDevice(headers);
}

const DESKTOP_CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
const LINUX_CHROME =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
const REDUCED_ANDROID =
  'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36';
const NOKIA_6300 = 'Nokia6300/2.0 (07.21) Profile/MIDP-2.0 Configuration/CLDC-1.1';

describe('user agent corpus', () => {
  it('is large enough to mean something', () => {
    expect(entries.length).toBeGreaterThanOrEqual(200);
    expect(entries.filter((entry) => entry.class === 'feature').length).toBeGreaterThanOrEqual(40);
    for (const deviceClass of ['smartphone', 'tablet', 'desktop', 'bot', 'tv'])
      expect(entries.filter((entry) => entry.class === deviceClass).length, deviceClass).toBeGreaterThanOrEqual(5);
    expect(new Set(entries.map((entry) => entry.ua)).size).toBe(entries.length);
  });

  it.each(entries.map((entry) => [entry.ua || '(empty)', entry] as const))('%s', (_name, entry) => {
    const profile = detect(entry.ua);
    expect({ class: profile.class, tier: profile.tier }).toEqual({ class: entry.class, tier: entry.tier });
    if (entry.profile !== undefined) expect(profile.id).toBe(entry.profile);
  });
});

describe('compiled profiles', () => {
  it('has at least 300 entries', () => {
    expect(allProfiles().length).toBeGreaterThanOrEqual(300);
  });

  const classes = ['smartphone', 'tablet', 'feature', 'desktop', 'bot', 'tv'];

  it.each(allProfiles().map((profile) => [profile.id, profile] as const))('%s is fully populated', (_id, profile) => {
    expect(classes).toContain(profile.class);
    expect(['rich', 'basic']).toContain(profile.tier);
    for (const field of ['screenWidth', 'screenHeight', 'maxImageWidth', 'maxPageBytes'] as const) {
      expect(Number.isInteger(profile[field]) && profile[field] > 0, field).toBe(true);
    }
    expect(profile.imageFormats.length).toBeGreaterThan(0);
    for (const format of profile.imageFormats) expect(['avif', 'webp', 'jpeg', 'png', 'gif']).toContain(format);
    for (const field of ['cookies', 'js', 'accessKeys', 'telLinks'] as const)
      expect(typeof profile[field]).toBe('boolean');
    expect([1, 2, 3]).toContain(profile.cssLevel);
    expect(['touch', 'keypad', 'pointer']).toContain(profile.input);
  });

  it('keeps feature phones basic and small', () => {
    for (const profile of allProfiles().filter((p) => p.class === 'feature')) {
      expect(profile.tier, profile.id).toBe('basic');
      expect(profile.maxPageBytes, profile.id).toBeLessThanOrEqual(64 * 1024);
    }
  });

  it('never lets bots keep cookies', () => {
    for (const profile of allProfiles().filter((p) => p.class === 'bot'))
      expect(profile.cookies, profile.id).toBe(false);
  });
});

describe('client hints', () => {
  it('Sec-CH-UA-Mobile ?1 turns a desktop-looking UA into a smartphone', () => {
    expect(detect(DESKTOP_CHROME).class).toBe('desktop');
    const profile = detect(LINUX_CHROME, { 'Sec-CH-UA-Mobile': '?1' });
    expect(profile.class).toBe('smartphone');
    expect(profile.tier).toBe('rich');
    expect(detect(DESKTOP_CHROME, { 'Sec-CH-UA-Mobile': '?1' }).class).toBe('smartphone');
  });

  it('Sec-CH-UA-Mobile ?0 does not turn a phone UA into a desktop', () => {
    expect(detect(REDUCED_ANDROID, { 'Sec-CH-UA-Mobile': '?0' }).class).toBe('smartphone');
  });

  it('Sec-CH-UA-Model names the device that the reduced UA hides', () => {
    expect(detect(REDUCED_ANDROID, { 'Sec-CH-UA-Mobile': '?1', 'Sec-CH-UA-Model': '"Pixel 8 Pro"' }).id).toBe(
      'pixel-8-pro',
    );
    expect(detect(REDUCED_ANDROID, { 'Sec-CH-UA-Model': '"SM-S928B"' }).id).toBe('galaxy-s24-ultra');
    expect(detect(REDUCED_ANDROID, { 'Sec-CH-UA-Model': '""' }).id).toBe('android-phone');
  });

  it('Sec-CH-UA-Platform fills in the OS when the UA has none', () => {
    expect(detect('Mozilla/5.0', { 'Sec-CH-UA-Platform': '"Android"', 'Sec-CH-UA-Mobile': '?1' }).id).toBe(
      'android-phone',
    );
  });

  it('Save-Data: on shrinks the page budget and image width', () => {
    const normal = detect(REDUCED_ANDROID);
    const saving = detect(REDUCED_ANDROID, { 'Save-Data': 'on' });
    expect(saving.id).toBe(normal.id);
    expect(saving.maxPageBytes).toBeLessThan(normal.maxPageBytes);
    expect(saving.maxImageWidth).toBeLessThan(normal.maxImageWidth);
    // The cache keyed on the UA must not hand the reduced budget to the next request.
    expect(detect(REDUCED_ANDROID).maxPageBytes).toBe(normal.maxPageBytes);
  });

  it('a slow ECT shrinks budgets, 4g leaves them alone', () => {
    const normal = detect(NOKIA_6300);
    expect(detect(NOKIA_6300, { ECT: '2g' }).maxPageBytes).toBeLessThan(normal.maxPageBytes);
    expect(detect(NOKIA_6300, { ECT: '3g' }).maxPageBytes).toBeLessThan(normal.maxPageBytes);
    expect(detect(NOKIA_6300, { ECT: '4g' }).maxPageBytes).toBe(normal.maxPageBytes);
  });

  it('viewport width and DPR narrow the image width, never widen it', () => {
    const narrow = detect(REDUCED_ANDROID, { 'Sec-CH-Viewport-Width': '360', 'Sec-CH-DPR': '2' });
    expect(narrow.screenWidth).toBe(360);
    expect(narrow.maxImageWidth).toBe(720);
    const wide = detect(REDUCED_ANDROID, { 'Sec-CH-Viewport-Width': '1200', DPR: '3' });
    expect(wide.maxImageWidth).toBe(detect(REDUCED_ANDROID).maxImageWidth);
  });

  it('ignores malformed hint values', () => {
    const normal = detect(REDUCED_ANDROID);
    const odd = detect(REDUCED_ANDROID, {
      'Sec-CH-UA-Mobile': 'yes',
      'Sec-CH-UA-Model': `"${'x'.repeat(500)}"`,
      'Sec-CH-Viewport-Width': '-5',
      'Sec-CH-DPR': 'NaN',
      DPR: '1e9',
      'Save-Data': 'maybe',
      ECT: '5g',
    });
    expect(odd).toEqual(normal);
  });
});

describe('garbage never throws', () => {
  const garbage = [
    'x'.repeat(100_000),
    `${NOKIA_6300}${'A'.repeat(10_000)}`,
    '((((((((((((((((((((((((((((((((((((((((((((((',
    '\u0000\u0001\u0002\t',
    encodeURIComponent('☃☃☃ 💥 ünïcödé'),
    `Mozilla/5.0 (Linux; Android ${'9'.repeat(600)}`,
    '.*+?^$()|[]{}\\',
    'Opera Mini/'.repeat(80),
  ];

  it.each(garbage.map((ua) => [ua.slice(0, 40), ua] as const))('%s', (_name, ua) => {
    const headers = new Headers();
    // Headers rejects some byte values; a Workers request can still carry odd Latin-1 text.
    try {
      headers.set('User-Agent', ua);
    } catch {
      headers.set('User-Agent', encodeURIComponent(ua));
    }
    const profile = detectDevice(headers);
    expect(profile.id).toBeTruthy();
    expect(['rich', 'basic']).toContain(profile.tier);
  });

  it('cuts long user agents before parsing', () => {
    // The feature-phone marker sits beyond the cut, so it must not count.
    const ua = `${'z'.repeat(MAX_UA_LENGTH)} Profile/MIDP-2.0`;
    expect(detect(ua).id).toBe('unknown');
  });

  it('treats a missing or empty UA as the safe unknown profile', () => {
    for (const profile of [detect(undefined), detect(''), detect('   ')]) {
      expect(profile.id).toBe('unknown');
      expect(profile.class).toBe('smartphone');
      expect(profile.imageFormats).toEqual(['jpeg', 'png', 'gif']);
    }
  });

  it('survives a headers object that throws', () => {
    const broken = {
      get() {
        throw new TypeError('boom');
      },
    } as unknown as Headers;
    expect(detectDevice(broken).id).toBe('unknown');
  });

  it('hands out copies that callers may modify', () => {
    const first = detect(NOKIA_6300);
    first.maxPageBytes = 1;
    first.imageFormats.push('avif');
    const second = detect(NOKIA_6300);
    expect(second.maxPageBytes).toBe(10240);
    expect(second.imageFormats).not.toContain('avif');
  });
});

describe('response headers for other middleware', () => {
  it('asks for every hint detection reads and varies on them', () => {
    for (const hint of ['Sec-CH-UA-Mobile', 'Sec-CH-UA-Model', 'Sec-CH-UA-Platform', 'Sec-CH-Viewport-Width', 'DPR']) {
      expect(ACCEPT_CH.split(', ')).toContain(hint);
      expect(VARY_HEADERS).toContain(hint);
    }
    expect(VARY_HEADERS).toContain('User-Agent');
    expect(VARY_HEADERS).toContain('Save-Data');
  });
});
