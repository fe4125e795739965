// The walking skeleton end to end: `wrangler dev` runs the edge in front of a live origin (real
// PostgreSQL shards and Redis in CI). Two members sign up, befriend, one posts, the other sees
// it on the home page — once with a smartphone and once with a feature phone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EdgeProcess, startEdge, Visitor } from '../support/edge-process.js';
import { type Harness, serveHarness, startHarness, TEST_SECRET } from '../support/origin-harness.js';

const DEVICES = {
  smartphone:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  featurePhone:
    'Nokia6300/2.0 (07.21) Profile/MIDP-2.0 Configuration/CLDC-1.1 UP.Browser/6.2.3.3.c.1.101 (GUI) MMP/2.0',
};

let h: Harness;
let origin: { url: string; close(): Promise<void> };
let edge: EdgeProcess;
const originLog: string[] = [];

beforeAll(async () => {
  h = await startHarness({ logLines: originLog });
  origin = await serveHarness(h);
  edge = await startEdge({
    ORIGIN_URL: origin.url,
    ORIGIN_SECRET: TEST_SECRET,
    SESSION_SECRET: 'e2e-session-secret-0123456789abcdef',
  });
});

afterAll(async () => {
  await edge?.stop();
  await origin?.close();
  await h?.close();
});

const host = () => `${h.tenantId}.test`;

async function signUp(device: string, username: string, displayName: string): Promise<Visitor> {
  const visitor = new Visitor(edge.port, host(), device);
  const res = await visitor.submit('/signup', '/signup', { username, displayName, password: 'correct horse battery' });
  expect(res.status, res.body.slice(0, 500)).toBe(200);
  expect(visitor.hasCookie('chorus_session')).toBe(true);
  return visitor;
}

describe.each([
  ['smartphone', DEVICES.smartphone, 'rich'],
  ['feature phone', DEVICES.featurePhone, 'basic'],
] as const)('%s', (_name, device, tier) => {
  it('two members sign up, befriend, one posts, the other sees it at home', async () => {
    const suffix = tier === 'rich' ? 'r' : 'b';
    const ann = await signUp(device, `ann_${suffix}`, `Ann ${tier}`);
    const bob = await signUp(device, `bob_${suffix}`, `Bob ${tier}`);

    const requested = await ann.submit(`/u/bob_${suffix}`, '/friends/request');
    expect(requested.status).toBe(200);
    const annId = await idOf(`ann_${suffix}`);
    const accepted = await bob.submit('/friends', `/friends/${annId}/accept`);
    expect(accepted.status).toBe(200);

    const text = `Hello from Ann on a ${tier} device`;
    const posted = await ann.submit('/home', '/posts', { text, audience: 'friends' });
    expect(posted.status).toBe(200);
    await h.settle();

    const home = await bob.get('/home');
    expect(home.status).toBe(200);
    expect(home.body).toContain(text);
    expect(home.body).toContain(`tier-${tier}`);
    if (tier === 'rich') {
      expect(home.body).toMatch(/^<!DOCTYPE html>/i);
      expect(home.body).toContain('name="viewport"');
    } else {
      expect(home.body).toContain('-//WAPFORUM//DTD XHTML Mobile 1.2//EN');
      expect(home.body).not.toMatch(/<script/i);
      expect(home.body).toMatch(/accesskey="/);
    }
    expect(home.headers['cache-control']).toMatch(/private|no-store/);

    // A stranger sees neither the post nor a shared cached copy of Bob's home.
    const stranger = await signUp(device, `eve_${suffix}`, 'Eve');
    const strangerHome = await stranger.get('/home');
    expect(strangerHome.body).not.toContain(text);
  });
});

async function idOf(username: string): Promise<string> {
  const res = await h.call('GET', `/v1/members/by-username/${username}`);
  return ((await res.json()) as { member: { id: string } }).member.id;
}

describe('edge and origin together', () => {
  it('one request id appears in the edge log and the origin log', async () => {
    const visitor = new Visitor(edge.port, host(), DEVICES.smartphone);
    const res = await visitor.get('/');
    expect(res.status).toBe(200);
    const id = res.headers['x-request-id'];
    expect(typeof id).toBe('string');
    await new Promise((r) => setTimeout(r, 200));
    expect(edge.output()).toContain(id as string);
    expect(originLog.some((line) => line.includes(id as string))).toBe(true);
  });

  it('an unknown host gets a friendly 404 page', async () => {
    const visitor = new Visitor(edge.port, 'nobody-lives-here.test', DEVICES.smartphone);
    const res = await visitor.get('/');
    expect(res.status).toBe(404);
    expect(res.body).toMatch(/No community lives at this address/);
  });

  it('a wrong password and a form without its CSRF token change nothing', async () => {
    const visitor = new Visitor(edge.port, host(), DEVICES.smartphone);
    await signUp(DEVICES.smartphone, 'csrf_victim', 'Victim');
    const wrong = await visitor.submit('/login', '/login', { username: 'csrf_victim', password: 'not the password' });
    expect(wrong.status).toBe(401);
    expect(visitor.hasCookie('chorus_session')).toBe(false);
    const forged = await visitor.request('POST', '/posts', { text: 'forged' });
    expect([302, 303, 403]).toContain(forged.status);
    const noToken = await visitor.request('POST', '/login', {
      username: 'csrf_victim',
      password: 'correct horse battery',
    });
    expect(noToken.status).toBe(403);
    expect(visitor.hasCookie('chorus_session')).toBe(false);
  });
});
