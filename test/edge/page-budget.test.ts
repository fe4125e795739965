// Page budgets: every page type, for every compiled device profile (and the same profile under
// Save-Data, which halves its budget), fits the profile's maxPageBytes with realistic content:
// posts near the maximum length, long names and bios, long lists. The pages are rendered from
// their view models exactly as the handlers do (the same Page objects, the same first guess of
// the list size), with each profile as the device. A second part sends real requests through the
// worker for a few user agents and checks the bytes on the wire. Both parts are repeated with the
// session in the URL (phones without cookies), where every link and form carries the token.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import compiled from '../../device-profiles/compiled.json';
import type { DeviceProfile } from '../../edge/device/detect.js';
import { detectDevice } from '../../edge/device/detect.js';
import { type ErrorKind, errorModel } from '../../edge/pages/error/model.js';
import { errorView } from '../../edge/pages/error/view.js';
import { MAX_PEOPLE } from '../../edge/pages/friends/handler.js';
import type { FriendLists } from '../../edge/pages/friends/model.js';
import { friendsView } from '../../edge/pages/friends/view.js';
import type { FrontModel } from '../../edge/pages/front/model.js';
import { frontView } from '../../edge/pages/front/view.js';
import type { HomeModel } from '../../edge/pages/home/model.js';
import { homeView } from '../../edge/pages/home/view.js';
import { loginModel } from '../../edge/pages/login/model.js';
import { loginView } from '../../edge/pages/login/view.js';
import type { NotificationsModel } from '../../edge/pages/notifications/model.js';
import { notificationsView } from '../../edge/pages/notifications/view.js';
import { type ProfileModel, relationActions } from '../../edge/pages/profile/model.js';
import { profileView } from '../../edge/pages/profile/view.js';
import { signupModel } from '../../edge/pages/signup/model.js';
import { signupView } from '../../edge/pages/signup/view.js';
import { type TopicKind, type TopicModel, topicPath } from '../../edge/pages/topic/model.js';
import { topicView } from '../../edge/pages/topic/view.js';
import { htmlWithUrlSession } from '../../edge/session/url-rewrite.js';
import { mintUrlToken } from '../../edge/session/url-token.js';
import { budgetStep, listLimit, NOTIFICATION_BYTES, PERSON_BYTES } from '../../edge/ui/budget.js';
import type { Chrome } from '../../edge/ui/chrome.js';
import { contentTypeOf, markupOf, variantOf } from '../../edge/ui/markup.js';
import { fitPage, type Page } from '../../edge/ui/render.js';
import type { Member, Notification, Profile, StreamEntry } from '../../shared/api.js';
import { entriesOfEveryType, entryOf } from './all-types.js';
import { Browser, CookielessPhone, cacheStatus, UA, XHTML_ACCEPT } from './browser.js';
import { FakeOrigin } from './fake-origin.js';

const profiles = (compiled as { profiles: DeviceProfile[] }).profiles;

// ---- realistic content -------------------------------------------------------------------

const WORDS = (
  'the quick brown fox jumps over a lazy dog while we wait for the bus & talk about "weekend" plans, café ' +
  'au lait, naïve résumés <tags> and 10% off ★ tickets to the concert tonight'
).split(' ');

/** Text of exactly `length` UTF-16 units, words, punctuation and a few multi-byte characters. */
function prose(seed: number, length: number): string {
  let text = '';
  for (let i = seed; text.length < length; i++) text += `${WORDS[(i * 7) % WORDS.length]} `;
  // Never cut an emoji in half: drop a dangling high surrogate.
  return text.slice(0, length).replace(/[\uD800-\uDBFF]$/, 'x');
}

function member(i: number): Member {
  return {
    id: String(100_000_000_000_000n + BigInt(i) * 4096n),
    username: `member_${String(i).padStart(4, '0')}_with_long_name`.slice(0, 30),
    displayName: `Maria-Josefina ${i} de la Cruz Fernández-Østergaard`.slice(0, 60),
    bio: prose(i, 480),
    createdAt: '2026-03-01T10:00:00.000Z',
  };
}

const POSTS: StreamEntry[] = Array.from({ length: 120 }, (_, i) =>
  entryOf({
    id: String(200_000_000_000_000n + BigInt(i)),
    type: 'status',
    text: prose(i, 490 + (i % 10)),
    audience: (['public', 'friends', 'only_me', 'list'] as const)[i % 4]!,
    createdAt: new Date(Date.UTC(2026, 2, 1, 12, 120 - i)).toISOString(),
    actor: member(i % 9),
    tags: [],
  }),
);

/**
 * Every event type with the most it can carry: long texts, the longest titles and URLs, a quoted
 * item, photos, three named others out of many, hashtags the text does not show.
 */
const MIXED: StreamEntry[] = Array.from({ length: 8 }, (_, round) =>
  entriesOfEveryType(member(round), member(round + 20), {
    text: (_type, i) => prose(round * 16 + i, 495),
    id: (i) => String(500_000_000_000_000n + BigInt(round * 16 + i)),
    createdAt: (i) => new Date(Date.UTC(2026, 2, 1, 12, 59 - i, 59 - round)).toISOString(),
    audience: 'list',
  }).map(
    (entry): StreamEntry => ({
      ...entry,
      title: entry.title === null ? null : prose(round, 120),
      url: entry.url === null ? null : `https://example.org/${'a'.repeat(470)}?q=${round}&x=<y>`,
      place: entry.place === null ? null : prose(round + 3, 80),
      group: entry.group === null ? null : prose(round + 4, 80),
      object: entry.object === null ? null : { ...entry.object, text: prose(round + 5, 500) },
      others: [member(30), member(31), member(32)],
      actorCount: 1234,
      tags: Array.from({ length: 10 }, (_, t) => `tag_${t}_${'x'.repeat(40)}`),
    }),
  ),
).flat();

/** A stream page as the origin gives it: `limit` entries and a cursor after the last one. */
function streamPage(path: string, limit: number, from: StreamEntry[] = POSTS) {
  const entries = from.slice(0, limit);
  return { entries, olderHref: limit < from.length ? `${path}?older=c${limit}` : null };
}

const ME = member(1);
const CSRF = `${Date.now() + 3_600_000}.${'A'.repeat(64)}`;

function chromeFor(profile: DeviceProfile, viewer: boolean, csrf: boolean, path: string): Chrome {
  return {
    images: markupOf(profile, 'text/html').images,
    title: 'Page',
    tenantName: 'The Riverside Community Garden Association',
    viewerId: viewer ? ME.id : null,
    csrf: csrf ? CSRF : null,
    path,
    lean: false,
    js: profile.js,
  };
}

interface Case {
  name: string;
  path: string;
  viewer: boolean;
  forms: boolean;
  /** Builds the page as its handler does, given the budget's first guess of the list size. */
  page(limit: (perEntry?: number, max?: number) => number): Page<unknown>;
  /** Shortest acceptable list (the page must show at least this many entries). */
  minEntries?: number;
}

const friendLists: FriendLists = {
  incoming: Array.from({ length: 15 }, (_, i) => member(10 + i)),
  outgoing: Array.from({ length: 10 }, (_, i) => member(40 + i)),
  friends: Array.from({ length: 200 }, (_, i) => member(100 + i)),
};

function profileModel(viewer: boolean, limit: number): ProfileModel {
  const other: Profile = { member: member(7), relation: 'request-received', friendCount: 1234 };
  const stream = streamPage('/u/x', limit);
  return {
    profile: other,
    ...(viewer ? relationActions(other, true) : { actions: [], note: null }),
    loginToAct: !viewer,
    entries: stream.entries,
    olderHref: stream.olderHref,
  };
}

function frontModel(limit: number): FrontModel {
  const stream = streamPage('/', limit);
  return { tenantName: 'The Riverside Community Garden Association', publicPages: true, signupOpen: true, ...stream };
}

function homeModel(limit: number, withError: boolean, from: StreamEntry[] = POSTS): HomeModel {
  const stream = streamPage('/home', limit, from);
  return {
    me: ME,
    postingOpen: true,
    draft: withError ? { text: prose(3, 500), audience: 'public' } : { text: '', audience: 'friends' },
    errors: withError ? { text: 'keep it under 500 characters' } : {},
    ...stream,
    paged: false,
    // Heavy shared fragment too: the budget must hold with it (or drop it).
    community: streamPage('/', 3).entries,
    types: from === POSTS ? null : 'photo,album,profile-photo',
    unseenNotifications: 1234,
  };
}

function topicModel(kind: TopicKind, limit: number, from: StreamEntry[] = MIXED): TopicModel {
  const key = kind === 'tag' ? `tag_${'x'.repeat(46)}` : 'the-riverside-community-garden-association-north-gate';
  const stream = streamPage(topicPath(kind, key), limit, from);
  return { kind, key, heading: kind === 'tag' ? `#${key}` : prose(9, 80), path: topicPath(kind, key), ...stream };
}

const KINDS = ['friend-request', 'friend-accepted', 'like', 'comment', 'ecard'] as const;
const NOTIFICATIONS: Notification[] = Array.from({ length: 60 }, (_, i) => ({
  id: String(600_000_000_000_000n + BigInt(i)),
  kind: KINDS[i % KINDS.length]!,
  actor: member(i % 7),
  item: i % 5 < 2 ? null : { id: String(700_000_000_000_000n + BigInt(i)), type: 'blog-post', text: prose(i, 500) },
  createdAt: new Date(Date.UTC(2026, 2, 1, 12, 59 - (i % 60))).toISOString(),
  seen: i % 3 === 0,
  read: false,
  others: [member(8), member(9), member(10)],
  actorCount: 4321,
  ids: [String(600_000_000_000_000n + BigInt(i))],
}));

function notificationsModel(limit: number): NotificationsModel {
  return {
    entries: NOTIFICATIONS.slice(0, limit),
    olderHref: limit < NOTIFICATIONS.length ? `/notifications?older=c${limit}` : null,
    unseen: 40,
    unread: 60,
    paged: false,
  };
}

const asPage = <M>(page: Page<M>) => page as Page<unknown>;

const CASES: Case[] = [
  {
    name: 'front',
    path: '/',
    viewer: false,
    forms: false,
    minEntries: 1,
    page: (limit) => asPage(frontView(frontModel(limit()), async (n) => frontModel(n))),
  },
  {
    name: 'login',
    path: '/login',
    viewer: false,
    forms: true,
    page: () =>
      asPage(
        loginView(
          loginModel(true, 'someone_with_a_long_name', {
            form: 'Wrong username or password.',
            username: 'use 3-30 letters, digits or underscores',
            password: 'use at least 8 characters',
          }),
          400,
        ),
      ),
  },
  {
    name: 'signup',
    path: '/signup',
    viewer: false,
    forms: true,
    page: () =>
      asPage(
        signupView(
          signupModel(true, {
            username: 'someone_with_a_long_name',
            displayName: 'Maria-Josefina de la Cruz Fernández-Østergaard',
            errors: {
              form: 'Something went wrong.',
              username: 'That username is taken. Try another one.',
              displayName: 'enter a name',
              password: 'use at least 8 characters',
            },
          }),
          409,
        ),
      ),
  },
  {
    name: 'home',
    path: '/home',
    viewer: true,
    forms: true,
    minEntries: 1,
    page: (limit) => asPage(homeView(homeModel(limit(), false), async (n) => homeModel(n, false))),
  },
  {
    name: 'home with a rejected 500-character draft',
    path: '/home',
    viewer: true,
    forms: true,
    minEntries: 1,
    page: (limit) => asPage(homeView(homeModel(limit(), true), async (n) => homeModel(n, true))),
  },
  {
    name: 'home with every kind of event, filtered',
    path: '/home',
    viewer: true,
    forms: true,
    minEntries: 1,
    page: (limit) => asPage(homeView(homeModel(limit(), false, MIXED), async (n) => homeModel(n, false, MIXED))),
  },
  {
    name: 'notifications',
    path: '/notifications',
    viewer: true,
    forms: true,
    minEntries: 1,
    page: (limit) =>
      asPage(notificationsView(notificationsModel(limit(NOTIFICATION_BYTES)), async (n) => notificationsModel(n))),
  },
  ...(['tag', 'place'] as const).flatMap((kind): Case[] => [
    {
      name: `${kind} page (anonymous)`,
      path: topicPath(kind, 'x'),
      viewer: false,
      forms: false,
      minEntries: 1,
      page: (limit) => asPage(topicView(topicModel(kind, limit()), async (n) => topicModel(kind, n))),
    },
    {
      name: `${kind} page (member)`,
      path: topicPath(kind, 'x'),
      viewer: true,
      forms: true,
      minEntries: 1,
      page: (limit) => asPage(topicView(topicModel(kind, limit()), async (n) => topicModel(kind, n))),
    },
  ]),
  {
    name: 'profile (anonymous)',
    path: '/u/x',
    viewer: false,
    forms: false,
    minEntries: 1,
    page: (limit) => asPage(profileView(profileModel(false, limit()), async (n) => profileModel(false, n))),
  },
  {
    name: 'profile (member, friend request received)',
    path: '/u/x',
    viewer: true,
    forms: true,
    minEntries: 1,
    page: (limit) => asPage(profileView(profileModel(true, limit()), async (n) => profileModel(true, n))),
  },
  {
    name: 'friends',
    path: '/friends',
    viewer: true,
    forms: true,
    minEntries: 1,
    page: (limit) => asPage(friendsView(friendLists, true, 0, limit(PERSON_BYTES, MAX_PEOPLE))),
  },
  {
    name: 'friends, a later page',
    path: '/friends',
    viewer: true,
    forms: true,
    minEntries: 1,
    page: (limit) => asPage(friendsView(friendLists, true, 30, limit(PERSON_BYTES, MAX_PEOPLE))),
  },
  ...(
    [
      'bad-request',
      'forbidden',
      'csrf',
      'not-found',
      'unknown-host',
      'too-large',
      'rate-limited',
      'unavailable',
      'not-configured',
      'internal',
    ] as ErrorKind[]
  ).map(
    (kind): Case => ({
      name: `error: ${kind}`,
      path: '/x',
      viewer: kind === 'csrf',
      forms: false,
      page: () => asPage(errorView(errorModel(kind, prose(5, 2000)))),
    }),
  ),
];

/** The profile as detection hands it out under Save-Data: half the budget, never below 4 KB. */
function saveData(profile: DeviceProfile): DeviceProfile {
  return {
    ...profile,
    id: `${profile.id}+save-data`,
    maxPageBytes: Math.max(4096, Math.floor(profile.maxPageBytes / 2)),
  };
}

describe('page budgets', () => {
  it('has profiles to check, feature phones among them', () => {
    expect(profiles.length).toBeGreaterThan(10);
    expect(profiles.some((p) => p.class === 'feature' && p.tier === 'basic')).toBe(true);
  });

  const devices = profiles.flatMap((profile) => [profile, saveData(profile)]);

  it.each(CASES.map((c) => [c.name, c] as const))('%s fits every profile', async (_name, pageCase) => {
    const failures: string[] = [];
    for (const device of devices) {
      for (const accept of device.tier === 'basic' ? [XHTML_ACCEPT, 'text/html'] : ['text/html']) {
        const markup = markupOf(device, accept);
        const chrome = chromeFor(device, pageCase.viewer, pageCase.forms || pageCase.viewer, pageCase.path);
        const page = pageCase.page((perEntry, max) => listLimit(markup.budget, markup.tier, perEntry, max));
        const fitted = await fitPage(markup, chrome, page);
        const where = `${device.id} (${device.tier}, ${device.maxPageBytes} B)`;
        if (fitted.bytes > device.maxPageBytes) failures.push(`${where}: ${fitted.bytes} B`);
        if (fitted.bytes > markup.budget) failures.push(`${where}: ${fitted.bytes} B over its step ${markup.budget}`);
        if (pageCase.minEntries && (fitted.entries ?? 0) < pageCase.minEntries) {
          failures.push(`${where}: only ${fitted.entries} entries`);
        }
        if (device.tier === 'basic') {
          if (/<script/i.test(fitted.html)) failures.push(`${where}: basic page with a script`);
          if (!fitted.html.startsWith('<?xml')) failures.push(`${where}: basic page without the XML prolog`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('feature phones get small pages that still show several long posts', async () => {
    const nokia = profiles.find((p) => p.tier === 'basic' && p.maxPageBytes <= 10_240)!;
    expect(nokia).toBeDefined();
    for (const pageCase of CASES.filter((c) => c.name === 'home' || c.name === 'front')) {
      const markup = markupOf(nokia, XHTML_ACCEPT);
      const chrome = chromeFor(nokia, pageCase.viewer, pageCase.viewer, pageCase.path);
      const fitted = await fitPage(
        markup,
        chrome,
        pageCase.page((e, m) => listLimit(markup.budget, markup.tier, e, m)),
      );
      expect(fitted.bytes).toBeLessThanOrEqual(10_240);
      expect(fitted.entries).toBeGreaterThanOrEqual(3);
      expect(fitted.lean).toBe(true);
    }
  });

  it('a shortened list links to the entries right after the last one shown', async () => {
    const small = { ...profiles.find((p) => p.tier === 'basic')!, maxPageBytes: 4096 };
    const markup = markupOf(small, 'text/html');
    // A deliberately generous first guess: the fitter has to cut it down.
    const page = frontView(frontModel(20), async (n) => frontModel(n));
    const fitted = await fitPage(markup, chromeFor(small, false, false, '/'), page);
    expect(fitted.bytes).toBeLessThanOrEqual(4096);
    expect(fitted.entries).toBeGreaterThanOrEqual(1);
    expect(fitted.html).toContain(`href="/?older=c${fitted.entries}"`);
  });

  it('rich pages keep their optional parts when there is room, and drop them when there is not', async () => {
    const phone = profiles.find((p) => p.tier === 'rich' && p.class === 'smartphone')!;
    const roomy = await fitPage(
      markupOf(phone, 'text/html'),
      chromeFor(phone, false, false, '/u/x'),
      profileView(profileModel(false, 20)),
    );
    expect(roomy.lean).toBe(false);
    expect(roomy.html).toContain('<footer>');
    expect(roomy.html).toContain(member(7).bio.slice(0, 20));
    const tight = await fitPage(
      markupOf({ ...phone, maxPageBytes: 16_384 }, 'text/html'),
      chromeFor(phone, false, false, '/u/x'),
      profileView(profileModel(false, 20), async (n) => profileModel(false, n)),
    );
    expect(tight.bytes).toBeLessThanOrEqual(16_384);
    expect(tight.lean).toBe(true);
    expect(tight.html).not.toContain('<footer>');
  });
});

/** A URL session token as long as real ones get: a 19-digit member id, the longest session version, today's times. */
async function longestToken(): Promise<string> {
  const now = Date.now();
  const session = { id: 'abcdef0123456789', version: 999_999_999 };
  const parts = { memberId: '9223372036854775807', session, startedAt: now, issuedAt: now };
  return mintUrlToken('page-budget-secret', parts, 'tenant', 'device');
}

describe('page budgets with the session in the URL', () => {
  // Pages render the same for every device with the same markup variant and JavaScript flag,
  // so each such group is rendered once and held to the smallest maxPageBytes in it.
  const groups = new Map<string, { device: DeviceProfile; accept: string; smallest: number }>();
  for (const device of profiles.flatMap((profile) => [profile, saveData(profile)])) {
    for (const accept of device.tier === 'basic' ? [XHTML_ACCEPT, 'text/html'] : ['text/html']) {
      const key = `${variantOf(markupOf(device, accept))}|${device.js}`;
      const group = groups.get(key);
      if (!group) groups.set(key, { device, accept, smallest: device.maxPageBytes });
      else group.smallest = Math.min(group.smallest, device.maxPageBytes);
    }
  }

  it('groups profiles into a few variants, feature phones without cookies among them', () => {
    expect(groups.size).toBeGreaterThan(5);
    expect(profiles.some((p) => p.tier === 'basic' && !p.cookies && p.maxPageBytes <= 10_240)).toBe(true);
  });

  it.each(CASES.map((c) => [c.name, c] as const))(
    '%s fits every profile with the token added',
    async (_name, pageCase) => {
      const token = await longestToken();
      const failures: string[] = [];
      for (const { device, accept, smallest } of groups.values()) {
        const markup = markupOf(device, accept);
        const url = `https://riverside-community-garden.example.org${pageCase.path}`;
        const delivery = (html: string) => htmlWithUrlSession(html, contentTypeOf(markup), token, url);
        const chrome = chromeFor(device, true, true, pageCase.path);
        const page = pageCase.page((perEntry, max) => listLimit(markup.budget, markup.tier, perEntry, max));
        const fitted = await fitPage(markup, chrome, page, delivery);
        const sent = new TextEncoder().encode(await delivery(fitted.html)).length;
        const where = `${device.id} (${variantOf(markup)}, smallest ${smallest} B)`;
        if (sent !== fitted.bytes) failures.push(`${where}: measured ${fitted.bytes} B, sent ${sent} B`);
        if (sent > smallest || sent > markup.budget) failures.push(`${where}: ${sent} B`);
        if (pageCase.minEntries && (fitted.entries ?? 0) < pageCase.minEntries) {
          failures.push(`${where}: only ${fitted.entries} entries`);
        }
        if (fitted.html.includes(token)) failures.push(`${where}: the token is in the page before delivery`);
      }
      expect(failures).toEqual([]);
    },
  );

  it('a tagged stream on a cookieless feature phone still shows several posts, each link with the token', async () => {
    const phone = profiles.find((p) => p.id === 'midp-nocookie')!;
    expect(phone.cookies).toBe(false);
    const token = await longestToken();
    const markup = markupOf(phone, XHTML_ACCEPT);
    const delivery = (html: string) => htmlWithUrlSession(html, contentTypeOf(markup), token, 'http://x.test/tags/x');
    const kind = 'tag';
    const page = topicView(topicModel(kind, listLimit(markup.budget, markup.tier)), async (n) => topicModel(kind, n));
    const fitted = await fitPage(markup, chromeFor(phone, true, true, '/tags/x'), page, delivery);
    const sent = await delivery(fitted.html);
    expect(new TextEncoder().encode(sent).length).toBeLessThanOrEqual(phone.maxPageBytes);
    expect(fitted.entries).toBeGreaterThanOrEqual(2);
    const links = [...sent.matchAll(/href="(\/[^"]*)"/g)].map((m) => m[1]!);
    expect(links.length).toBeGreaterThan(10);
    for (const href of links) expect(href, href).toContain(`s=${token}`);
  });
});

// ---- through the worker ---------------------------------------------------------------------

describe('page budgets on the wire', () => {
  let origin: FakeOrigin;
  beforeEach(() => {
    origin = new FakeOrigin();
    // The fake origin always answers 20 entries; the real one honours ?limit=. Trim its answers
    // the way the real origin would (the signature check happens before, on the request as sent).
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
      const request = new Request(input as RequestInfo, init as RequestInit);
      const response = await origin.handle(request, (init as RequestInit | undefined)?.signal ?? request.signal);
      const limit = Number(new URL(request.url).searchParams.get('limit'));
      if (!limit || response.status !== 200 || !/\/stream/.test(request.url)) return response;
      const page = (await response.json()) as { entries: unknown[]; older: string | null };
      const more = page.entries.length > limit || page.older !== null;
      return Response.json({ entries: page.entries.slice(0, limit), older: more ? `c${limit}` : null });
    });
    const author = origin.addMember('longposter', 'Maria-Josefina de la Cruz Fernández-Østergaard');
    const other = origin.addMember('otherposter', 'Jean-Baptiste Emmanuel Zorg-Ødegaard');
    for (let i = 0; i < 40; i++) origin.addPost(author, prose(i, 495), 'public');
    // Every kind of event, long, tagged #garden, some at Café Luna.
    for (let round = 0; round < 3; round++) {
      for (const entry of entriesOfEveryType(author, other, { text: (_t, i) => `#garden ${prose(i + round, 480)}` })) {
        const { id: _, createdAt: __, ...fields } = entry;
        origin.addEvent(author, entry.type, { ...fields, place: fields.place ?? 'Café Luna' });
      }
    }
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it.each([
    // midp-nocookie: the profile says no cookies, so the session starts in the URL.
    ['feature phone without cookies', 'Alcatel-OT-708/1.0 ObigoInternetBrowser/Q05A UP.Link/5.1.2.9'],
    // A Nokia that keeps cookies, behind a gateway that drops them: the session falls back to the URL.
    ['feature phone behind a cookie-dropping gateway', UA.feature],
  ])('%s: every member page fits the budget with the token in every link', async (_name, ua) => {
    const maxPageBytes = detectDevice(new Headers({ 'user-agent': ua })).maxPageBytes;
    expect(maxPageBytes).toBeLessThanOrEqual(10_240);
    const budget = budgetStep(maxPageBytes);
    const reader = origin.addMember('reader', 'Reader With A Rather Long Display Name');
    // Posts full of hashtags: many links per entry, so the token weighs a lot here.
    const tagger = origin.addMember('tagger', 'Tilda Tagger');
    origin.befriend(reader, tagger);
    for (let i = 0; i < 30; i++) {
      const tags = '#garden #tomatoes #compost #market #seeds #rain #bees #harvest';
      origin.addPost(tagger, `${tags} ${prose(i, 300)}`, 'public');
    }
    const phone = new CookielessPhone(origin.host, ua, XHTML_ACCEPT);
    await phone.get('/login');
    const login = await phone.post('/login', { username: 'reader', password: 'correct horse' });
    expect(login.status).toBe(303);
    const token = new URL(login.headers.get('location')!, 'http://x').searchParams.get('s')!;
    expect(token).toMatch(/^\d+\./);
    for (const path of [
      '/home',
      '/home?types=photo,video',
      '/friends',
      '/u/longposter',
      '/u/tagger',
      '/notifications',
      '/tags/garden',
      '/places/caf%C3%A9-luna',
    ]) {
      const { response, html } = await phone.get(`${path}${path.includes('?') ? '&' : '?'}s=${token}`);
      expect(response.status, path).toBe(200);
      expect(cacheStatus(response), path).toBe('BYPASS');
      expect(html, path).toContain(`s=${token}`);
      expect(new TextEncoder().encode(html).length, path).toBeLessThanOrEqual(budget);
    }
  });

  it.each([
    ['feature phone', UA.feature, XHTML_ACCEPT],
    ['smartphone', UA.smartphone, 'text/html'],
    ['android', UA.android, 'text/html'],
  ])(
    '%s: front, profile, home, tag, place and notification pages fit the detected budget',
    async (_name, ua, accept) => {
      const budget = detectDevice(new Headers({ 'user-agent': ua })).maxPageBytes;
      const browser = new Browser(origin.host, ua, accept);
      for (const path of [
        '/',
        '/u/longposter',
        '/login',
        '/signup',
        '/nowhere',
        '/tags/garden',
        '/places/caf%C3%A9-luna',
        '/tags/%00%ff',
      ]) {
        const { response, html } = await browser.get(path);
        expect(response.status, path).toBeLessThan(500);
        expect(new TextEncoder().encode(html).length, path).toBeLessThanOrEqual(budget);
      }
      const reader = origin.addMember('reader', 'Reader');
      for (let i = 0; i < 30; i++) {
        origin.addNotification(reader, (['like', 'comment', 'ecard', 'friend-request'] as const)[i % 4]!, member(i), {
          item:
            i % 4 === 3 ? null : { id: String(800_000_000_000_000n + BigInt(i)), type: 'photo', text: prose(i, 500) },
          others: [member(i + 1), member(i + 2), member(i + 3)],
          actorCount: 99,
        });
      }
      const login = await browser.logIn('reader');
      expect(login.status).toBe(303);
      for (const path of [
        '/home',
        '/home?types=photo,video',
        '/friends',
        '/u/longposter',
        '/notifications',
        '/tags/garden',
        '/places/caf%C3%A9-luna',
      ]) {
        const { response, html } = await browser.get(path);
        expect(response.status, path).toBe(200);
        expect(new TextEncoder().encode(html).length, path).toBeLessThanOrEqual(budget);
      }
    },
  );
});
