// Logged-in pages are composed from a shared fragment (the community's latest public posts,
// cached once for everyone) plus the member's own part, and nothing personal leaks into the
// shared piece.
import { beforeEach, describe, expect, it } from 'vitest';
import { resetBreakers } from '../../edge/origin-client/circuit-breaker.js';
import { resetRateLimits } from '../../edge/rate-limit/rate-limit.js';
import { Browser } from './browser.js';
import { FakeOrigin } from './fake-origin.js';

let origin: FakeOrigin;
beforeEach(() => {
  resetBreakers();
  resetRateLimits();
  origin = new FakeOrigin().install();
});

const publicCalls = () => origin.apiCalls().filter((c) => c.path.startsWith('/v1/streams/public')).length;

describe('home page composition', () => {
  it('shows the shared community fragment beside the personal stream, loading it once for all members', async () => {
    const cat = origin.addMember('cat', 'Cat Carter');
    origin.addPost(cat, 'Fresh pretzels at the corner bakery', 'public');
    origin.addPost(cat, 'Only for my friends', 'friends');
    origin.addMember('ann', 'Ann Archer');
    origin.addMember('bob', 'Bob Baker');

    const ann = new Browser(origin.host);
    await ann.logIn('ann');
    const annHome = await ann.get('/home');
    expect(annHome.html).toContain('Around the community');
    expect(annHome.html).toContain('Fresh pretzels at the corner bakery');
    expect(annHome.html).not.toContain('Only for my friends');
    const afterAnn = publicCalls();
    expect(afterAnn).toBeGreaterThanOrEqual(1);

    const bob = new Browser(origin.host);
    await bob.logIn('bob');
    const bobHome = await bob.get('/home');
    expect(bobHome.html).toContain('Fresh pretzels at the corner bakery');
    // Bob's page reused the fragment Ann's loaded: no second origin call for it.
    expect(publicCalls()).toBe(afterAnn);
    // The fragment is fetched without anyone's identity, so it cannot carry anything personal.
    const fragmentCall = origin.apiCalls().find((c) => c.path.startsWith('/v1/streams/public'))!;
    expect(fragmentCall.headers['x-chorus-member']).toBe('');
    expect(bobHome.html).not.toContain('Ann Archer');
  });

  it('leaves out of the community box everyone the viewer blocked, was blocked by or muted; the fragment stays shared', async () => {
    const ann = origin.addMember('ann', 'Ann Archer');
    const bob = origin.addMember('bob', 'Bob Baker');
    const cat = origin.addMember('cat', 'Cat Carter');
    const dan = origin.addMember('dan', 'Dan Dyer');
    const eve = origin.addMember('eve', 'Eve Ellis');
    origin.addPost(eve, 'Eve: the library opens late on Fridays', 'public');
    origin.addPost(bob, 'Bob: spare seedlings by the gate', 'public');
    origin.addPost(cat, 'Cat: lost keys near the pond', 'public');
    origin.addPost(dan, 'Dan: choir practice moved to seven', 'public');
    origin.block(ann, bob); // Ann blocked Bob
    origin.block(cat, ann); // Cat blocked Ann
    origin.mute(ann, dan); // Ann muted Dan

    const annPhone = new Browser(origin.host);
    await annPhone.logIn('ann');
    const annHome = await annPhone.get('/home');
    expect(annHome.response.status).toBe(200);
    expect(annHome.html).toContain('Around the community');
    expect(annHome.html).toContain('Eve: the library opens late on Fridays');
    for (const hidden of ['Bob: spare seedlings', 'Cat: lost keys', 'Dan: choir practice', 'Bob Baker', 'Cat Carter']) {
      expect(annHome.html).not.toContain(hidden);
    }
    expect(annHome.html).not.toContain('Dan Dyer');
    const afterAnn = publicCalls();

    // Eve blocked and muted no one: the same shared fragment, read again without an origin call,
    // shows her everyone's posts.
    const evePhone = new Browser(origin.host);
    await evePhone.logIn('eve');
    const eveHome = await evePhone.get('/home');
    for (const shown of ['Bob: spare seedlings', 'Cat: lost keys', 'Dan: choir practice']) {
      expect(eveHome.html).toContain(shown);
    }
    expect(publicCalls()).toBe(afterAnn);
    // The shared copy is fetched without a member, so no one's hidden set shaped it.
    for (const call of origin.apiCalls().filter((c) => c.path.startsWith('/v1/streams/public'))) {
      expect(call.headers['x-chorus-member']).toBe('');
    }
  });

  it('shows no community box when the origin does not say whom the viewer must not see', async () => {
    const ann = origin.addMember('ann', 'Ann Archer');
    const bob = origin.addMember('bob', 'Bob Baker');
    origin.addPost(bob, 'Bob: spare seedlings by the gate', 'public');
    origin.block(ann, bob);
    origin.sendsHidden = false;
    const annPhone = new Browser(origin.host);
    await annPhone.logIn('ann');
    const annHome = await annPhone.get('/home');
    expect(annHome.response.status).toBe(200);
    expect(annHome.html).not.toContain('Bob: spare seedlings');
    expect(annHome.html).not.toContain('Around the community');
  });
});
