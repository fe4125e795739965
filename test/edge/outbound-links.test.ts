// Leaving the site leaks nothing: every link off our host (member-posted URLs, the odd link of
// our own elsewhere) has rel="noreferrer noopener", and every image from another host is fetched
// with referrerpolicy="no-referrer", in both tiers, for visitors, members and phones whose
// session is in the URL (where a Referer would carry the token).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Browser, CookielessPhone, UA, XHTML_ACCEPT } from './browser.js';
import { FakeOrigin } from './fake-origin.js';

/** Resolves to the "midp-nocookie" profile (a WAP gateway that drops cookies). */
const NO_COOKIE_UA = 'Alcatel-OT-708/1.0 ObigoInternetBrowser/Q05A UP.Link/5.1.2.9';

let origin: FakeOrigin;
beforeEach(() => {
  origin = new FakeOrigin().install();
});
afterEach(() => {
  vi.restoreAllMocks();
});

const tags = (html: string, name: string) => [...html.matchAll(new RegExp(`<${name}\\b[^>]*>`, 'g'))].map((m) => m[0]);
const attr = (tag: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1] ?? null;

/** Every outbound link and offsite image of a page; fails on one that would send a Referer. */
function checkPage(html: string, host: string): { links: number; images: number } {
  const offHost = (url: string) => /^([a-z]+:)?\/\//i.test(url) && new URL(url, `http://${host}`).host !== host;
  const links = tags(html, 'a').filter((a) => offHost(attr(a, 'href') ?? ''));
  for (const a of links) {
    const rel = (attr(a, 'rel') ?? '').split(/\s+/);
    expect(rel, a).toContain('noreferrer');
    expect(rel, a).toContain('noopener');
  }
  const images = tags(html, 'img').filter((img) => offHost(attr(img, 'src') ?? ''));
  for (const img of images) expect(attr(img, 'referrerpolicy'), img).toBe('no-referrer');
  return { links: links.length, images: images.length };
}

function addOutbound(origin: FakeOrigin) {
  const ann = origin.addMember('ann', 'Ann');
  origin.addEvent(ann, 'link', { url: 'https://example.org/seeds?year=2026', title: 'Seed swap', audience: 'public' });
  origin.addEvent(ann, 'photo', {
    text: 'the lake',
    audience: 'public',
    images: [{ url: 'https://img.example.net/lake-160.jpeg', width: 160, format: 'jpeg' }],
  });
  return ann;
}

describe('outbound links and offsite images', () => {
  it.each([
    ['rich', UA.smartphone, undefined],
    ['basic', UA.feature, XHTML_ACCEPT],
  ] as const)('%s tier: public pages and a member’s home', async (tier, ua, accept) => {
    addOutbound(origin);
    const visitor = new Browser(origin.host, ua, accept);
    for (const path of ['/', '/u/ann']) {
      const { html } = await visitor.get(path);
      expect(html).toContain(`tier-${tier}`);
      expect(checkPage(html, origin.host)).toEqual({ links: 1, images: 1 });
    }
    const member = new Browser(origin.host, ua, accept);
    await member.logIn('ann');
    const home = await member.get('/home');
    const counts = checkPage(home.html, origin.host); // the stream and the community box
    expect(counts.links).toBeGreaterThanOrEqual(1);
    expect(counts.images).toBeGreaterThanOrEqual(1);
  });

  it('with the session in the URL: the outbound link carries no token either', async () => {
    addOutbound(origin);
    const phone = new CookielessPhone(origin.host, NO_COOKIE_UA, XHTML_ACCEPT);
    await phone.get('/login');
    const location = (await phone.post('/login', { username: 'ann', password: 'correct horse' })).headers.get(
      'location',
    )!;
    const home = await phone.get(location);
    expect(home.response.headers.get('referrer-policy')).toBe('no-referrer');
    const counts = checkPage(home.html, origin.host);
    expect(counts.links).toBeGreaterThanOrEqual(1);
    expect(counts.images).toBeGreaterThanOrEqual(1);
    expect(home.html).toContain('href="https://example.org/seeds?year=2026"');
  });

  it('the unknown-host page’s link elsewhere has it too', async () => {
    for (const ua of [UA.smartphone, UA.feature]) {
      const { response, html } = await new Browser('nobody-lives-here.example', ua).get('/');
      expect(response.status).toBe(404);
      expect(checkPage(html, 'nobody-lives-here.example').links).toBe(1);
    }
  });
});
