// The pages that show activity, through the worker against the fake origin: every event type on
// the front, profile and home pages; notifications (aggregated, marked seen, marked read); tag
// and place pages (public, cached for anonymous visitors only, canonical addresses); the home
// type filter; and bad input (unknown types, garbage tags) as friendly pages, never a 500.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { detectDevice } from '../../edge/device/detect.js';
import { resetBreakers } from '../../edge/origin-client/circuit-breaker.js';
import { resetRateLimits } from '../../edge/rate-limit/rate-limit.js';
import type { Member } from '../../shared/api.js';
import { HEADER } from '../../shared/headers.js';
import { entriesOfEveryType } from './all-types.js';
import { Browser, cacheStatus, UA, XHTML_ACCEPT } from './browser.js';
import { FakeOrigin } from './fake-origin.js';

let origin: FakeOrigin;
beforeEach(() => {
  resetBreakers();
  resetRateLimits();
  origin = new FakeOrigin().install();
});
afterEach(() => {
  vi.restoreAllMocks();
});

const DEVICES = [
  ['smartphone', UA.smartphone, 'text/html', 'rich'],
  ['feature phone', UA.feature, XHTML_ACCEPT, 'basic'],
] as const;

/** How both tiers mark a notification that is new since the last visit. */
const NEW_MARK = /<span class="badge">New<\/span>|<b>New: <\/b>/g;
/** A script tag other than the rich tier's own (which starts with its function). */
const FOREIGN_SCRIPT = /<script>(?!\(function\(\))/;

const budgetOf = (ua: string) => detectDevice(new Headers({ 'user-agent': ua })).maxPageBytes;
const bytes = (html: string) => new TextEncoder().encode(html).length;
const cacheOf = (r: Response) => cacheStatus(r);
const tierOf = (html: string) => /content="(rich|basic)"/.exec(html)?.[1];

async function getUntil(browser: Browser, path: string, status: string) {
  for (let attempt = 0; attempt < 40; attempt++) {
    const result = await browser.get(path);
    if (cacheOf(result.response) === status) return result;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${path} never came back ${status}`);
}

async function until(check: () => boolean, what: string) {
  for (let attempt = 0; attempt < 40; attempt++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`never happened: ${what}`);
}

/** Every type's sentence as it appears in the HTML (apostrophes escaped). */
const SENTENCES = [
  'posted a photo',
  'added an album',
  'commented on <a href="/u/bob">Bob</a>&#39;s photo',
  'and 3 others liked <a href="/u/bob">Bob</a>&#39;s post',
  'and <a href="/u/bob">Bob</a> are now friends',
  'updated their profile',
  'changed their profile photo',
  'joined the group Riverside Gardeners',
  'wrote a blog post',
  'shared a video',
  'shared a link',
  'scored 1,200 in Tetris',
  'sent <a href="/u/bob">Bob</a> an e-card',
  'It&#39;s <a href="/u/ann">Ann</a>&#39;s birthday',
  'checked in at <a href="/places/caf%C3%A9-luna">Café Luna</a>',
  'status text <a href="/tags/garden">#garden</a>',
];

function addEveryType(actor: Member, other: Member, audience: 'public' | 'friends' = 'public') {
  for (const entry of entriesOfEveryType(actor, other, { audience })) {
    const { id: _, createdAt: __, ...fields } = entry;
    origin.addEvent(actor, entry.type, fields);
  }
}

describe('every event type on the existing pages', () => {
  it.each(DEVICES)('%s: front, profile and home show all 16 types', async (_name, ua, accept, tier) => {
    const ann = origin.addMember('ann', 'Ann');
    const bob = origin.addMember('bob', 'Bob');
    // A friend of Ann's who is not Bob (Bob would read "your post", "sent you an e-card").
    origin.befriend(ann, origin.addMember('carla', 'Carla'));
    addEveryType(ann, bob);
    const visitor = new Browser(origin.host, ua, accept);
    const member = new Browser(origin.host, ua, accept);
    await member.logIn('carla');
    for (const [browser, path] of [
      [visitor, '/'],
      [visitor, '/u/ann'],
      [member, '/home'],
      [member, '/u/ann'],
    ] as const) {
      const { response, html } = await browser.get(path);
      expect(response.status, path).toBe(200);
      expect(tierOf(html), path).toBe(tier);
      expect(bytes(html), path).toBeLessThanOrEqual(budgetOf(ua));
      // Small budgets show fewer entries (the newest); the rest is behind "older".
      const shown = SENTENCES.filter((s) => html.includes(s));
      if (tier === 'rich') expect(shown, path).toEqual(SENTENCES);
      else expect(shown.length, path).toBeGreaterThanOrEqual(3);
    }
  });

  it('sends each device the photo rendition it can show, and caches the copies apart', async () => {
    const ann = origin.addMember('ann', 'Ann');
    origin.addEvent(ann, 'photo', {
      text: 'Sunset',
      images: [
        { url: 'https://img.chorus.test/s-160.jpeg', width: 160, format: 'jpeg' },
        { url: 'https://img.chorus.test/s-1080.jpeg', width: 1080, format: 'jpeg' },
        { url: 'https://img.chorus.test/s-1080.webp', width: 1080, format: 'webp' },
      ],
    });
    const phone = new Browser(origin.host, UA.android);
    const feature = new Browser(origin.host, UA.feature, XHTML_ACCEPT);
    const first = await getUntil(phone, '/', 'HIT');
    expect(first.html).toContain('src="https://img.chorus.test/s-1080.webp"');
    const small = await feature.get('/');
    expect(cacheOf(small.response)).toBe('MISS');
    expect(small.html).toContain('src="https://img.chorus.test/s-160.jpeg"');
    expect(small.html).not.toContain('1080');
    expect((await phone.get('/')).html).toContain('s-1080.webp');
  });
});

describe('notifications', () => {
  function setUp() {
    const ann = origin.addMember('ann', 'Ann');
    const [bob, cy, dee, eve] = ['Bob', 'Cy', 'Dee', 'Eve'].map((n) => origin.addMember(n.toLowerCase(), n)) as [
      Member,
      Member,
      Member,
      Member,
    ];
    const photo = { id: '300000000000001', type: 'photo' as const, text: 'Sunset at the <pier>' };
    const old = origin.addNotification(ann, 'comment', dee, { item: photo, seen: true, read: true });
    const like = origin.addNotification(ann, 'like', bob, { item: photo, others: [cy, dee, eve], actorCount: 4 });
    origin.addNotification(ann, 'like', cy, { item: { ...photo, type: 'status', text: 'hi' }, others: [dee, eve] });
    origin.addNotification(ann, 'friend-request', eve);
    origin.addNotification(ann, 'ecard', bob);
    return { ann, like, old };
  }

  it.each(DEVICES)('%s: aggregated, new ones marked, within budget, then all seen', async (_name, ua, accept, tier) => {
    const { like } = setUp();
    const browser = new Browser(origin.host, ua, accept);
    await browser.logIn('ann');
    const home = await browser.get('/home');
    expect(home.html).toMatch(/4 new notifications|New notifications <span class="badge">4<\/span>/);

    const { response, html } = await browser.get('/notifications');
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(tierOf(html)).toBe(tier);
    expect(bytes(html)).toBeLessThanOrEqual(budgetOf(ua));
    expect(html).toContain('<a href="/u/bob">Bob</a> and 3 others liked your photo');
    expect(html).toContain('“Sunset at the &lt;pier&gt;”');
    expect(html).toContain(
      '<a href="/u/cy">Cy</a>, <a href="/u/dee">Dee</a> and <a href="/u/eve">Eve</a> liked your post',
    );
    expect(html).toContain('<a href="/u/eve">Eve</a> sent you a friend request');
    expect(html).toContain('href="/friends"');
    expect(html).toContain('<a href="/u/bob">Bob</a> sent you an e-card');
    expect(html).toContain('<a href="/u/dee">Dee</a> commented on your photo');
    expect(html.match(NEW_MARK)?.length ?? 0).toBe(4);
    expect(html).toContain(`action="/notifications/${like.id}/read"`);
    if (tier === 'basic') expect(html).not.toMatch(/<script/i);

    // Shown, so seen: the origin is told once the page is out, and the badge is gone.
    await until(
      () => origin.apiCalls().some((c) => c.method === 'POST' && c.path === '/v1/notifications/seen'),
      'seen',
    );
    const again = await browser.get('/notifications');
    expect(again.html).not.toMatch(NEW_MARK);
    expect((await browser.get('/home')).html).not.toContain('new notification');
  });

  it('marks one read with a form post and comes back; bad ids are a 404 page', async () => {
    const { like, old } = setUp();
    const browser = new Browser(origin.host);
    await browser.logIn('ann');
    const page = await browser.get('/notifications');
    expect(page.html).not.toContain(`action="/notifications/${old.id}/read"`);
    const posted = await browser.post(`/notifications/${like.id}/read`, { back: '/notifications' });
    expect(posted.status).toBe(303);
    expect(posted.headers.get('location')).toBe('/notifications');
    const call = origin.apiCalls().find((c) => c.path === `/v1/notifications/${like.id}/read`)!;
    expect(call.method).toBe('POST');
    expect(call.signatureValid).toBe(true);
    expect((await browser.get('/notifications')).html).not.toContain(`action="/notifications/${like.id}/read"`);

    const garbage = await browser.post('/notifications/not-an-id/read', {});
    expect(garbage.status).toBe(404);
    expect(await garbage.text()).toContain('Page not found');
    const unknown = await browser.post('/notifications/999999999999999/read', {});
    expect(unknown.status).toBe(404);
    // Without the CSRF token nothing is marked.
    const before = origin.apiCalls().length;
    expect((await browser.post(`/notifications/${like.id}/read`, {}, null)).status).toBe(403);
    expect(origin.apiCalls().length).toBe(before);
  });

  it('pages with an "older" link, and sends visitors to log in', async () => {
    const ann = origin.addMember('ann', 'Ann');
    const bob = origin.addMember('bob', 'Bob');
    for (let i = 0; i < 45; i++) origin.addNotification(ann, 'friend-accepted', bob);
    const browser = new Browser(origin.host, UA.feature, XHTML_ACCEPT);
    await browser.logIn('ann');
    const first = await browser.get('/notifications');
    const older = /href="(\/notifications\?older=[^"]+)"/.exec(first.html)?.[1];
    expect(older).toBeDefined();
    const next = await browser.get(older!.replace(/&amp;/g, '&'));
    expect(next.response.status).toBe(200);
    expect(next.html).toContain('accepted your friend request');

    const visitor = await new Browser(origin.host).fetch('/notifications');
    expect(visitor.status).toBe(303);
    expect(visitor.headers.get('location')).toBe('/login');
  });

  it('still shows the home page when the notification count cannot be had', async () => {
    origin.addMember('ann', 'Ann');
    const browser = new Browser(origin.host);
    await browser.logIn('ann');
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
      const request = new Request(input as RequestInfo, init as RequestInit);
      if (request.url.includes('/v1/notifications')) return new Response('{"nope":1}', { status: 200 });
      return origin.handle(request);
    });
    const home = await browser.get('/home');
    expect(home.response.status).toBe(200);
    expect(home.html).not.toContain('new notification');
  });
});

describe('tag pages', () => {
  it.each(DEVICES)('%s: public, within budget, cached for visitors', async (_name, ua, accept, tier) => {
    const ann = origin.addMember('ann', 'Ann');
    origin.addPost(ann, 'Planting day #garden');
    origin.addEvent(ann, 'photo', { text: 'Tomatoes! #garden #harvest', images: [] });
    origin.addPost(ann, 'Nothing to see #elsewhere');
    const visitor = new Browser(origin.host, ua, accept);
    const first = await visitor.get('/tags/garden');
    expect(first.response.status).toBe(200);
    expect(tierOf(first.html)).toBe(tier);
    expect(bytes(first.html)).toBeLessThanOrEqual(budgetOf(ua));
    expect(first.html).toContain('<h1>#garden</h1>');
    expect(first.html).toContain('Planting day <a href="/tags/garden">#garden</a>');
    expect(first.html).toContain('<a href="/tags/harvest">#harvest</a>');
    expect(first.html).not.toContain('Nothing to see');
    expect(first.response.headers.getAll('set-cookie')).toEqual([]);
    const hit = await getUntil(visitor, '/tags/garden', 'HIT');
    expect(hit.response.headers.get('cache-control')).toMatch(/^public/);
    expect(hit.html).toBe(first.html);
  });

  it('within budget for members in both tiers too', async () => {
    const ann = origin.addMember('ann', 'Ann');
    for (let i = 0; i < 30; i++) origin.addPost(ann, `${'long words here '.repeat(30)} #garden ${i}`);
    for (const [, ua, accept] of DEVICES) {
      const browser = new Browser(origin.host, ua, accept);
      await browser.logIn('ann');
      const { response, html } = await browser.get('/tags/garden');
      expect(response.status).toBe(200);
      expect(bytes(html)).toBeLessThanOrEqual(budgetOf(ua));
      expect(html).toMatch(/href="\/tags\/garden\?older=cursor-\d+"/);
    }
  });

  it("never shows a member's friends-only post to anyone else through the cache", async () => {
    const ann = origin.addMember('ann', 'Ann');
    const bob = origin.addMember('bob', 'Bob');
    origin.addMember('cat', 'Cat');
    origin.befriend(ann, bob);
    origin.addPost(bob, 'Public #garden news', 'public');
    origin.addPost(bob, 'Secret #garden plans', 'friends');

    const annBrowser = new Browser(origin.host);
    await annBrowser.logIn('ann');
    const annPage = await annBrowser.get('/tags/garden');
    expect(annPage.html).toContain('Secret');
    expect(annPage.response.headers.get('cache-control')).toBe('private, no-store');
    expect(cacheOf(annPage.response)).toBe('BYPASS');
    const tagCall = origin.apiCalls().find((c) => c.path.startsWith('/v1/tags/garden/stream'))!;
    expect(tagCall.headers[HEADER.member]).toBe(ann.id);

    const visitor = new Browser(origin.host);
    const shared = await getUntil(visitor, '/tags/garden', 'HIT');
    expect(shared.html).toContain('Public');
    expect(shared.html).not.toContain('Secret');
    expect(shared.html).not.toContain('_csrf');

    const cat = new Browser(origin.host);
    await cat.logIn('cat');
    const catPage = await cat.get('/tags/garden');
    expect(catPage.html).not.toContain('Secret');
    // Ann still gets her own view, not the anonymous copy.
    expect((await annBrowser.get('/tags/garden')).html).toContain('Secret');
  });

  it('shows a new post with the hashtag at once (the cached page is purged)', async () => {
    origin.addMember('ann', 'Ann');
    const bob = origin.addMember('bob', 'Bob');
    origin.addPost(bob, 'Old #garden news');
    const visitor = new Browser(origin.host);
    await getUntil(visitor, '/tags/garden', 'HIT');
    const ann = new Browser(origin.host);
    await ann.logIn('ann');
    await ann.get('/home');
    expect((await ann.post('/posts', { text: 'Fresh #Garden news', audience: 'public' })).status).toBe(303);
    const after = await visitor.get('/tags/garden');
    expect(after.html).toContain('Fresh <a href="/tags/garden">#Garden</a> news');
  });

  it('redirects every spelling of a tag to its one address', async () => {
    const browser = new Browser(origin.host);
    for (const [path, location] of [
      ['/tags/Garden', '/tags/garden'],
      ['/tags/%23garden', '/tags/garden'],
      ['/tags/GARDEN?older=cursor-20', '/tags/garden?older=cursor-20'],
      ['/tags/Caf%C3%89', '/tags/caf%C3%A9'],
      ['/tags/caf%c3%a9', '/tags/caf%C3%A9'],
    ]) {
      const response = await browser.fetch(path!);
      expect(response.status, path).toBe(301);
      expect(response.headers.get('location'), path).toBe(location);
    }
    expect((await browser.get('/tags/caf%C3%A9')).response.status).toBe(200);
  });

  it.each(DEVICES)('%s: garbage tags and places are a friendly 400 page', async (_name, ua, accept, tier) => {
    const browser = new Browser(origin.host, ua, accept);
    for (const path of [
      '/tags/%00%ff',
      '/tags/%ff',
      '/tags/%3Cscript%3E',
      '/tags/a%2Fb',
      `/tags/${'x'.repeat(51)}`,
      '/tags/%E2%80%AE',
      '/places/%00%ff',
      '/places/---',
      '/places/%F0%9F%8D%95',
      `/places/${'%41'.repeat(500)}`,
    ]) {
      const { response, html } = await browser.get(path);
      expect(response.status, path).toBe(400);
      expect(tierOf(html), path).toBe(tier);
      expect(html, path).toContain('That did not work');
      expect(html, path).not.toMatch(FOREIGN_SCRIPT);
      expect(response.headers.get('cache-control'), path).toBe('private, no-store');
    }
    expect(origin.apiCalls().filter((c) => /\/v1\/(tags|places)\//.test(c.path))).toEqual([]);
  });
});

describe('place pages', () => {
  it.each(DEVICES)('%s: check-ins at a place, named as they spell it', async (_name, ua, accept, tier) => {
    const ann = origin.addMember('ann', 'Ann');
    origin.addEvent(ann, 'checkin', { place: 'Café Luna', text: 'Best flat white' });
    origin.addEvent(ann, 'checkin', { place: 'Somewhere Else' });
    const browser = new Browser(origin.host, ua, accept);
    const { response, html } = await browser.get('/places/caf%C3%A9-luna');
    expect(response.status).toBe(200);
    expect(tierOf(html)).toBe(tier);
    expect(bytes(html)).toBeLessThanOrEqual(budgetOf(ua));
    expect(html).toContain('<h1>Café Luna</h1>');
    expect(html).toContain('Best flat white');
    expect(html).not.toContain('Somewhere Else');
    expect((await getUntil(browser, '/places/caf%C3%A9-luna', 'HIT')).html).toBe(html);

    const spelled = await browser.fetch('/places/Caf%C3%A9%20Luna');
    expect(spelled.status).toBe(301);
    expect(spelled.headers.get('location')).toBe('/places/caf%C3%A9-luna');
  });

  it('names an empty place from its address', async () => {
    const { response, html } = await new Browser(origin.host).get('/places/north-gate');
    expect(response.status).toBe(200);
    expect(html).toContain('<h1>North gate</h1>');
    expect(html).toContain('Nothing here yet.');
  });

  it('sends visitors to log in when the community keeps its pages private', async () => {
    origin.tenant.switches.publicPages = false;
    for (const path of ['/places/north-gate', '/tags/garden']) {
      const response = await new Browser(origin.host).fetch(path);
      expect(response.status, path).toBe(303);
      expect(response.headers.get('location'), path).toBe('/login');
    }
  });
});

describe('home type filter', () => {
  function seed() {
    const ann = origin.addMember('ann', 'Ann');
    for (let i = 0; i < 30; i++) {
      origin.addEvent(ann, 'photo', { text: `Photo number ${i}`, images: [] });
      // Friends only: kept out of the public "around the community" part of the page.
      origin.addPost(ann, `Status number ${i}`, 'friends');
    }
    return ann;
  }

  it('passes the filter to the origin and keeps it on the "older" link', async () => {
    seed();
    const browser = new Browser(origin.host);
    await browser.logIn('ann');
    const { response, html } = await browser.get('/home?types=photo');
    expect(response.status).toBe(200);
    const call = origin.apiCalls().find((c) => c.path.startsWith('/v1/streams/home'))!;
    expect(new URL(call.path, 'http://x').searchParams.get('types')).toBe('photo');
    expect(html).toContain('Photo number');
    expect(html).not.toContain('Status number');
    expect(html).toMatch(/href="\/home\?types=photo&amp;older=cursor-\d+"/);
    const older = /href="(\/home\?types=photo&amp;older=[^"]+)"/.exec(html)![1]!.replace(/&amp;/g, '&');
    const next = await browser.get(older);
    expect(next.html).toContain('Photo number');
    expect(next.html).not.toContain('Status number');
  });

  it.each(DEVICES)(
    '%s: an unknown type is a friendly 400 page; the origin is not asked',
    async (_name, ua, accept, tier) => {
      seed();
      const browser = new Browser(origin.host, ua, accept);
      await browser.logIn('ann');
      for (const query of ['bogus', 'photo,bogus', '%3Cscript%3E', 'x'.repeat(400)]) {
        const { response, html } = await browser.get(`/home?types=${query}`);
        expect(response.status, query).toBe(400);
        expect(tierOf(html), query).toBe(tier);
        expect(html, query).toContain('That did not work');
        expect(html, query).not.toMatch(FOREIGN_SCRIPT);
      }
      expect((await browser.get('/home?types=bogus')).html).toContain('There is no kind of update called “bogus”');
      expect(origin.apiCalls().filter((c) => c.path.startsWith('/v1/streams/home'))).toEqual([]);
      // An empty filter is no filter.
      expect((await browser.get('/home?types=')).response.status).toBe(200);
    },
  );

  it('an origin 400 (a type the edge does not know yet) is a 400 page too, not a 500', async () => {
    seed();
    const browser = new Browser(origin.host);
    await browser.logIn('ann');
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
      const request = new Request(input as RequestInfo, init as RequestInit);
      if (request.url.includes('/v1/tags/')) {
        return Response.json(
          { type: 'about:blank', title: 'Bad request', status: 400, detail: 'unknown event type' },
          { status: 400, headers: { 'content-type': 'application/problem+json' } },
        );
      }
      return origin.handle(request);
    });
    const { response, html } = await browser.get('/tags/garden');
    expect(response.status).toBe(400);
    expect(html).toContain('unknown event type');
  });
});
