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
});
