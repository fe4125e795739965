// No private item ever shows outside its audience on the edge's pages, end to end: `wrangler dev`
// runs the edge in front of a live origin (real PostgreSQL shards and Redis in CI). Ann posts to
// her friends, to herself only and to a friend list, all tagged and at a place, then blocks a
// former friend. Every page that lists posts (/, /u/ann, /home, the tag page, the place page) is
// read by an anonymous visitor, a stranger, a friend left off the list and the blocked member,
// on a smartphone and on a feature phone; none of them may see a private post, and the blocked
// member may not see Ann at all. Positive controls show the pages do list what each may see,
// so an empty page cannot pass for a private one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EdgeProcess, edgeRequest, startEdge, Visitor } from '../support/edge-process.js';
import {
  befriend,
  type Harness,
  serveHarness,
  signupMember,
  startHarness,
  TEST_SECRET,
} from '../support/origin-harness.js';

const DEVICES = {
  smartphone:
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36',
  featurePhone:
    'Nokia6300/2.0 (07.21) Profile/MIDP-2.0 Configuration/CLDC-1.1 UP.Browser/6.2.3.3.c.1.101 (GUI) MMP/2.0',
} as const;

const TAG = 'secretgarden';
const PLACE = 'Hidden Grove';
const PLACE_SLUG = 'hidden-grove';

// Markers in the posts' text; each is unique, so a page contains it only if it shows that post.
const PUBLIC = 'PUBLIC-CONTROL-b1e7';
const PRIVATE = {
  friends: 'FRIENDS-ONLY-5c2a',
  onlyMe: 'ONLY-ME-9d41',
  list: 'LIST-ONLY-3f86',
  /** Friends-only, fanned out to Mal while Mal was still a friend; then Ann blocks Mal. */
  beforeBlock: 'BEFORE-BLOCK-7a0e',
} as const;
const ALL_PRIVATE = Object.values(PRIVATE);

const PAGES = ['/', '/u/ann', '/home', `/tags/${TAG}`, `/places/${PLACE_SLUG}`] as const;

let h: Harness;
let origin: { url: string; close(): Promise<void> };
let edge: EdgeProcess;
const ids: Record<string, string> = {};

async function publish(member: string, text: string, audience: string, extra: Record<string, unknown> = {}) {
  const body = { type: 'checkin', place: PLACE, text: `${text} #${TAG}`, audience, ...extra };
  const res = await h.call('POST', '/v1/events', { member, body });
  if (res.status !== 201) throw new Error(`publish ${text}: ${res.status} ${await res.text()}`);
}

beforeAll(async () => {
  h = await startHarness();
  origin = await serveHarness(h);
  edge = await startEdge({
    ORIGIN_URL: origin.url,
    ORIGIN_SECRET: TEST_SECRET,
    SESSION_SECRET: 'e2e-privacy-session-secret-0123456789',
  });
  for (const name of ['ann', 'bob', 'cat', 'dan', 'mal']) ids[name] = await signupMember(h, name, `${name} Member`);
  for (const friend of ['bob', 'cat', 'mal']) await befriend(h, ids.ann!, ids[friend]!);
  const list = await h.call('POST', '/v1/lists', { member: ids.ann, body: { name: 'inner', members: [ids.bob] } });
  if (list.status !== 201) throw new Error(`list: ${list.status} ${await list.text()}`);
  const listId = ((await list.json()) as { id: string }).id;

  // The public control first: the private posts are newer, so a leak would be at the top.
  await publish(ids.ann!, PUBLIC, 'public');
  await publish(ids.ann!, PRIVATE.beforeBlock, 'friends');
  await h.settle();
  const block = await h.call('POST', `/v1/members/${ids.mal}/block`, { member: ids.ann });
  if (block.status !== 204) throw new Error(`block: ${block.status} ${await block.text()}`);
  await publish(ids.ann!, PRIVATE.friends, 'friends');
  await publish(ids.ann!, PRIVATE.onlyMe, 'only_me');
  await publish(ids.ann!, PRIVATE.list, 'list', { listId });
  await h.settle();
});

afterAll(async () => {
  await edge?.stop();
  await origin?.close();
  await h?.close();
});

const host = () => `${h.tenantId}.test`;

async function logIn(username: string, device: string): Promise<Visitor> {
  const visitor = new Visitor(edge.port, host(), device);
  const res = await visitor.submit('/login', '/login', { username, password: 'correct horse' });
  expect(res.status, `${username} logs in: ${res.body.slice(0, 300)}`).toBe(200);
  expect(visitor.hasCookie('chorus_session')).toBe(true);
  return visitor;
}

/** Every page as this visitor sees it (following a redirect to the login page for /home). */
async function readPages(visitor: Visitor): Promise<Map<string, { status: number; body: string }>> {
  const pages = new Map<string, { status: number; body: string }>();
  for (const path of PAGES) {
    const res = await visitor.get(path);
    expect(res.status, path).toBeLessThan(500);
    pages.set(path, { status: res.status, body: res.body });
  }
  return pages;
}

function expectNone(pages: Map<string, { body: string }>, markers: readonly string[], who: string) {
  for (const [path, { body }] of pages) {
    for (const marker of markers) expect(body, `${who} on ${path} sees ${marker}`).not.toContain(marker);
  }
}

describe.each([
  ['smartphone', DEVICES.smartphone, 'rich'],
  ['feature phone', DEVICES.featurePhone, 'basic'],
] as const)('%s', (_name, device, tier) => {
  it('the pages list what each viewer may see (positive controls)', async () => {
    const ann = await readPages(await logIn('ann', device));
    for (const path of ['/u/ann', '/home']) {
      for (const marker of [PUBLIC, ...ALL_PRIVATE]) expect(ann.get(path)!.body, `ann, ${path}`).toContain(marker);
      expect(ann.get(path)!.body).toContain(`tier-${tier}`);
    }
    // Members are sent from the front page to their home page.
    expect(ann.get('/')!.status).toBe(303);
    for (const path of [`/tags/${TAG}`, `/places/${PLACE_SLUG}`]) {
      expect(ann.get(path)!.body, `ann, ${path}`).toContain(PUBLIC);
      // Shared pages list public posts only, even for their author.
      for (const marker of ALL_PRIVATE) expect(ann.get(path)!.body, `ann, ${path}`).not.toContain(marker);
    }

    const bob = await readPages(await logIn('bob', device));
    for (const path of ['/u/ann', '/home']) {
      for (const marker of [PUBLIC, PRIVATE.friends, PRIVATE.list, PRIVATE.beforeBlock]) {
        expect(bob.get(path)!.body, `bob, ${path}`).toContain(marker);
      }
    }
    expectNone(bob, [PRIVATE.onlyMe], 'bob (friend, on the list)');

    const anonymous = await readPages(new Visitor(edge.port, host(), device));
    for (const path of ['/', '/u/ann', `/tags/${TAG}`, `/places/${PLACE_SLUG}`]) {
      expect(anonymous.get(path)!.status, `anonymous, ${path}`).toBe(200);
      expect(anonymous.get(path)!.body, `anonymous, ${path}`).toContain(PUBLIC);
    }
  });

  it('an anonymous visitor sees no private post, before and after members have read the pages', async () => {
    const before = await readPages(new Visitor(edge.port, host(), device));
    expect(before.get('/home')!.status).toBe(303);
    expectNone(before, ALL_PRIVATE, 'anonymous');
    // The author and her friends read everything; then the shared cached copies are served.
    await readPages(await logIn('ann', device));
    await readPages(await logIn('bob', device));
    const after = await readPages(new Visitor(edge.port, host(), device));
    // Nothing personal in a shared copy either: no member's private post, no member's page frame.
    expectNone(after, [...ALL_PRIVATE, 'Log out'], 'anonymous, after members');
    expect(after.get('/')!.body).toContain(PUBLIC);
  });

  it('a stranger sees only the public post', async () => {
    const dan = await readPages(await logIn('dan', device));
    expectNone(dan, ALL_PRIVATE, 'dan (stranger)');
    expect(dan.get('/u/ann')!.body).toContain(PUBLIC);
    expect(dan.get(`/tags/${TAG}`)!.body).toContain(PUBLIC);
    // On a smartphone the home page shows the community's latest public posts beside the stream.
    if (tier === 'rich') expect(dan.get('/home')!.body).toContain(PUBLIC);
  });

  it('a friend left off the list sees the friends post but not the list or only-me posts', async () => {
    const cat = await readPages(await logIn('cat', device));
    expectNone(cat, [PRIVATE.list, PRIVATE.onlyMe], 'cat (friend, not on the list)');
    expect(cat.get('/u/ann')!.body).toContain(PRIVATE.friends);
    expect(cat.get('/home')!.body).toContain(PRIVATE.friends);
  });

  it('the blocked member sees nothing of Ann: no private post, not even the public one', async () => {
    const mal = await readPages(await logIn('mal', device));
    expectNone(mal, [...ALL_PRIVATE, PUBLIC], 'mal (blocked)');
    // Mal's own pages still work: the home page renders (its community box without Ann).
    expect(mal.get('/home')!.status).toBe(200);
    expect(mal.get('/home')!.body).toContain(`tier-${tier}`);
  });
});

describe('bad input over real HTTP', () => {
  it('a 100 KB User-Agent and garbage client hints get a clear 4xx or a normal page, never a 5xx', async () => {
    for (const path of ['/', '/login', `/tags/${TAG}`]) {
      const res = await edgeRequest(edge.port, 'GET', path, {
        host: host(),
        'user-agent': `${DEVICES.featurePhone}${'x'.repeat(100 * 1024)}`,
        'sec-ch-ua-model': `"${'M'.repeat(4096)}"`,
        'sec-ch-viewport-width': '99999999999999999999',
        dpr: 'Infinity',
        ect: '4g, 2g',
        'save-data': 'on; on',
      });
      expect(res.status, path).toBeLessThan(500);
      if (res.status === 200) expect(res.body).toMatch(/tier-(rich|basic)/);
    }
  });
});
