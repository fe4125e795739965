import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, signupMember, startHarness } from '../support/origin-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe('sign up and log in', () => {
  it('creates a member whose id routes to a shard, and logs in with the right password only', async () => {
    const id = await signupMember(h, 'alice', 'Alice A');
    expect(id).toMatch(/^[1-9][0-9]+$/);
    const ok = await h.call('POST', '/v1/sessions', { body: { username: 'ALICE', password: 'correct horse' } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ id, username: 'alice', displayName: 'Alice A' });
    const wrong = await h.call('POST', '/v1/sessions', { body: { username: 'alice', password: 'wrong horse' } });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('content-type')).toBe('application/problem+json');
    const unknown = await h.call('POST', '/v1/sessions', { body: { username: 'nobody', password: 'x' } });
    expect(unknown.status).toBe(401);
  });

  it('rejects a taken username with 409 and keeps the first member', async () => {
    await signupMember(h, 'taken');
    const again = await h.call('POST', '/v1/members', {
      body: { username: 'taken', displayName: 'Impostor', password: 'another pass' },
    });
    expect(again.status).toBe(409);
    const profile = await h.call('GET', '/v1/members/by-username/taken');
    expect(((await profile.json()) as { member: { displayName: string } }).member.displayName).toBe('taken');
  });

  it('explains invalid sign-up fields one by one', async () => {
    const res = await h.call('POST', '/v1/members', { body: { username: 'x', displayName: '', password: 'short' } });
    expect(res.status).toBe(400);
    const problem = (await res.json()) as { errors: { path: string }[] };
    expect(problem.errors.map((e) => e.path).sort()).toEqual(['displayName', 'password', 'username']);
    expect((await h.call('GET', '/v1/members/by-username/x')).status).toBe(404);
  });
});

describe('email addresses in the directory', () => {
  it('log in by email; a taken or malformed email is refused and claims nothing', async () => {
    const res = await h.call('POST', '/v1/members', {
      body: { username: 'mailer', displayName: 'Mailer', password: 'correct horse', email: 'Mailer@Example.org' },
    });
    expect(res.status).toBe(201);
    const byEmail = await h.call('POST', '/v1/sessions', {
      body: { username: 'mailer@example.org', password: 'correct horse' },
    });
    expect(byEmail.status).toBe(200);
    const dup = await h.call('POST', '/v1/members', {
      body: { username: 'mailer_two', displayName: 'Two', password: 'correct horse', email: 'mailer@example.org' },
    });
    expect(dup.status).toBe(409);
    // The username of the refused sign-up is still free.
    await signupMember(h, 'mailer_two');
    const bad = await h.call('POST', '/v1/members', {
      body: { username: 'mailer_three', displayName: 'Three', password: 'correct horse', email: 'not-an-email' },
    });
    expect(bad.status).toBe(400);
  });
});

describe('friends', () => {
  it('request, accept, list on both sides, unfriend', async () => {
    const a = await signupMember(h, 'fan_a');
    const b = await signupMember(h, 'fan_b');
    expect(await h.call('POST', '/v1/friend-requests', { member: a, body: { to: b } }).then((r) => r.status)).toBe(201);
    const pending = await (await h.call('GET', '/v1/friend-requests', { member: b })).json();
    expect(pending).toMatchObject({ incoming: [{ id: a }], outgoing: [] });
    const seenByA = (await (await h.call('GET', `/v1/members/${b}`, { member: a })).json()) as { relation: string };
    expect(seenByA.relation).toBe('request-sent');
    expect((await h.call('POST', `/v1/friend-requests/${a}/accept`, { member: b })).status).toBe(200);
    for (const [me, other] of [
      [a, b],
      [b, a],
    ]) {
      const profile = (await (await h.call('GET', `/v1/members/${other}`, { member: me })).json()) as {
        relation: string;
        friendCount: number;
      };
      expect(profile).toMatchObject({ relation: 'friend', friendCount: 1 });
      const friends = (await (await h.call('GET', `/v1/members/${me}/friends`)).json()) as {
        members: { id: string }[];
      };
      expect(friends.members.map((m) => m.id)).toEqual([other]);
    }
    expect((await h.call('DELETE', `/v1/friends/${a}`, { member: b })).status).toBe(204);
    const after = (await (await h.call('GET', `/v1/members/${b}`, { member: a })).json()) as { relation: string };
    expect(after.relation).toBe('none');
    expect((await h.call('DELETE', `/v1/friends/${a}`, { member: b })).status).toBe(404);
  });

  it('a request to someone who already asked you makes you friends', async () => {
    const a = await signupMember(h, 'mutual_a');
    const b = await signupMember(h, 'mutual_b');
    await h.call('POST', '/v1/friend-requests', { member: a, body: { to: b } });
    const res = await h.call('POST', '/v1/friend-requests', { member: b, body: { to: a } });
    expect(await res.json()).toEqual({ relation: 'friend' });
  });

  it('declining removes the request on both sides', async () => {
    const a = await signupMember(h, 'decl_a');
    const b = await signupMember(h, 'decl_b');
    await h.call('POST', '/v1/friend-requests', { member: a, body: { to: b } });
    expect((await h.call('POST', `/v1/friend-requests/${a}/decline`, { member: b })).status).toBe(200);
    expect(await (await h.call('GET', '/v1/friend-requests', { member: a })).json()).toEqual({
      incoming: [],
      outgoing: [],
    });
    expect((await h.call('POST', `/v1/friend-requests/${a}/accept`, { member: b })).status).toBe(404);
  });

  it('rejects befriending yourself, unknown and malformed member ids', async () => {
    const a = await signupMember(h, 'lonely');
    expect((await h.call('POST', '/v1/friend-requests', { member: a, body: { to: a } })).status).toBe(400);
    expect((await h.call('POST', '/v1/friend-requests', { member: a, body: { to: '123456789012345' } })).status).toBe(
      404,
    );
    expect((await h.call('POST', '/v1/friend-requests', { member: a, body: { to: 'abc' } })).status).toBe(400);
    expect((await h.call('GET', '/v1/members/not-an-id')).status).toBe(404);
    expect((await h.call('GET', '/v1/members/99999999999999999999999')).status).toBe(404);
    // A well-formed id stamped years in the future was never minted: no lookup, just 404.
    expect((await h.call('GET', `/v1/members/${(1n << 62n).toString()}`)).status).toBe(404);
    expect((await h.call('GET', '/v1/friend-requests')).status).toBe(401);
  });
});

describe('tenants are isolated', () => {
  it('a member of one tenant is invisible from another', async () => {
    const other = await startHarness();
    try {
      const here = await signupMember(h, 'isolated');
      expect((await other.call('GET', `/v1/members/${here}`)).status).toBe(404);
      expect((await other.call('GET', '/v1/members/by-username/isolated')).status).toBe(404);
      // Same username is free in the other tenant.
      await signupMember(other, 'isolated');
    } finally {
      await other.close();
    }
  });

  it("another tenant's post cannot be deleted or restored", async () => {
    const other = await startHarness();
    try {
      const author = await signupMember(other, 'foreign_author');
      const posted = await other.call('POST', '/v1/posts', {
        member: author,
        body: { text: 'mine', audience: 'public' },
      });
      const { id } = (await posted.json()) as { id: string };
      const here = await signupMember(h, 'foreign_reader');
      expect((await h.call('DELETE', `/v1/posts/${id}`, { member: here })).status).toBe(404);
      expect((await other.call('GET', `/v1/members/${author}/stream`)).status).toBe(200);
      const stream = (await (await other.call('GET', `/v1/members/${author}/stream`)).json()) as { entries: unknown[] };
      expect(stream.entries).toHaveLength(1);
    } finally {
      await other.close();
    }
  });

  it('an unknown tenant is a 404', async () => {
    expect((await h.call('GET', '/v1/streams/public', { tenant: 'no-such-tenant' })).status).toBe(404);
  });
});
