// Bad input gets a clear 4xx problem and changes nothing: control characters in text fields
// (Postgres refuses NUL; XML forbids most C0 characters; the basic tier must stay well-formed),
// bodies over the origin's limit, and values the database cannot store.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasForbiddenCharacters, withoutForbiddenCharacters } from '../../shared/text.js';
import { type Harness, signupMember, startHarness } from '../support/origin-harness.js';

let h: Harness;
let ann: string;
beforeAll(async () => {
  h = await startHarness();
  ann = await signupMember(h, 'ann_text');
});
afterAll(() => h.close());

async function ownPosts(member: string): Promise<string[]> {
  const res = await h.call('GET', `/v1/members/${member}/stream?limit=100`, { member });
  return ((await res.json()) as { entries: { text: string }[] }).entries.map((e) => e.text);
}

describe('text fields refuse control characters', () => {
  const hostile = ['a\u0000b', 'a\u0007b', 'a\u001bb', 'a\u007fb', 'a\u0085b', 'a\ud800b', 'a\udfffb', 'a\ufffeb'];

  it('a sign-up with one in the display name is a 400 naming the field, and no member is created', async () => {
    for (const [i, displayName] of hostile.entries()) {
      const username = `ctl_${i}`;
      const res = await h.call('POST', '/v1/members', { body: { username, displayName, password: 'long enough' } });
      expect(res.status, JSON.stringify(displayName)).toBe(400);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      const problem = (await res.json()) as { errors: { path: string }[] };
      expect(problem.errors.map((e) => e.path)).toContain('displayName');
      expect((await h.call('GET', `/v1/members/by-username/${username}`)).status).toBe(404);
    }
  });

  it('a post with one is a 400 and nothing is posted; line breaks and tabs are kept', async () => {
    for (const text of hostile) {
      const res = await h.call('POST', '/v1/posts', { member: ann, body: { text } });
      expect(res.status, JSON.stringify(text)).toBe(400);
    }
    expect(await ownPosts(ann)).toEqual([]);
    const ok = await h.call('POST', '/v1/posts', { member: ann, body: { text: 'two\nlines\tand a tab 😀' } });
    expect(ok.status).toBe(201);
    expect(await ownPosts(ann)).toEqual(['two\nlines\tand a tab 😀']);
  });

  it('one-line fields refuse line breaks too; events check every text field', async () => {
    const title = await h.call('POST', '/v1/events', {
      member: ann,
      body: { type: 'blog-post', title: 'a\nb', text: 'body' },
    });
    expect(title.status).toBe(400);
    const place = await h.call('POST', '/v1/events', { member: ann, body: { type: 'checkin', place: 'x\u0000y' } });
    expect(place.status).toBe(400);
    const bio = await h.call('PATCH', '/v1/members/me', { member: ann, body: { bio: 'hi\u0000' } });
    expect(bio.status).toBe(400);
    const search = await h.call('GET', `/v1/members?prefix=${encodeURIComponent('a\u0000')}`);
    expect(search.status).toBe(400);
  });

  it('the rule agrees with what it removes for rendering', () => {
    for (const text of hostile) {
      expect(hasForbiddenCharacters(text, true)).toBe(true);
      expect(hasForbiddenCharacters(withoutForbiddenCharacters(text), true)).toBe(false);
    }
    expect(hasForbiddenCharacters('line\nbreak', true)).toBe(false);
    expect(hasForbiddenCharacters('line\nbreak', false)).toBe(true);
    expect(hasForbiddenCharacters('emoji 😀 and ü', false)).toBe(false);
  });
});

describe('the origin limits and checks bodies before anything reads them', () => {
  it('a body over the limit is a 413 problem and posts nothing', async () => {
    const before = await ownPosts(ann);
    const res = await h.call('POST', '/v1/posts', {
      member: ann,
      rawBody: JSON.stringify({ text: 'x'.repeat(200), pad: 'y'.repeat(h.runtime.ctx.config.ORIGIN_MAX_BODY_BYTES) }),
    });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await ownPosts(ann)).toEqual(before);
  });

  it('a value the database refuses that validation let through is a 400, not a 500', async () => {
    // Tag names reach SQL as parameters; a NUL there is Postgres's "invalid byte sequence".
    const res = await h.call('GET', '/v1/members/by-username/%00abc');
    expect(res.status).toBeLessThan(500);
    const tag = await h.call('GET', `/v1/tags/${encodeURIComponent('a\u0000')}/stream`);
    expect(tag.status).toBe(400);
  });
});
