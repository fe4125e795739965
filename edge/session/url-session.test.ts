import { describe, expect, it } from 'vitest';
import { carryUrlSession, withToken } from './url-rewrite.js';
import { mintUrlToken, readUrlToken, URL_SESSION_TTL_MS } from './url-token.js';

const SECRET = 'unit-secret';
const NOW = 1_800_000_000_000;
const MEMBER = '123456789012345';
const ORIGIN = { id: 'a1b2c3d4e5f60718', version: 2 };
const base = new URL('http://demo.chorus.test/home?s=old');

describe('URL session tokens', () => {
  it('round-trips for the same tenant and device, and nothing else', async () => {
    const parts = { memberId: MEMBER, session: ORIGIN, startedAt: NOW, issuedAt: NOW };
    const token = await mintUrlToken(SECRET, parts, 'demo', 'dev1');
    expect(token.length).toBeLessThan(100);
    const read = await readUrlToken(SECRET, token, 'demo', 'dev1', NOW + 1000);
    expect(read?.session).toMatchObject({
      memberId: MEMBER,
      tenantId: 'demo',
      id: ORIGIN.id,
      origin: ORIGIN,
      via: 'url',
    });
    expect(read?.carry).toBe(token);
    expect(await readUrlToken(SECRET, token, 'other', 'dev1', NOW)).toBeNull();
    expect(await readUrlToken(SECRET, token, 'demo', 'dev2', NOW)).toBeNull();
    expect(await readUrlToken('other-secret', token, 'demo', 'dev1', NOW)).toBeNull();
    expect(await readUrlToken(SECRET, token, 'demo', 'dev1', NOW + URL_SESSION_TTL_MS)).toBeNull();
    const otherSession = token.replace(`.${ORIGIN.version}.`, `.${ORIGIN.version + 1}.`);
    const oldFormat = `${MEMBER}.a1b2c3d4e5f6.${NOW.toString(36)}.${NOW.toString(36)}.${'0'.repeat(32)}`;
    for (const garbage of [
      '',
      'x',
      'a.b.c.d.e',
      `${token}x`,
      token.toUpperCase(),
      '1.2.3.4.5',
      otherSession,
      oldFormat,
    ]) {
      expect(await readUrlToken(SECRET, garbage, 'demo', 'dev1', NOW)).toBeNull();
    }
  });

  it('rotates past half its life, keeping the session id', async () => {
    const parts = { memberId: MEMBER, session: ORIGIN, startedAt: NOW, issuedAt: NOW };
    const token = await mintUrlToken(SECRET, parts, 'demo', 'dev1');
    const later = NOW + URL_SESSION_TTL_MS / 2 + 1;
    const read = await readUrlToken(SECRET, token, 'demo', 'dev1', later);
    expect(read?.carry).not.toBe(token);
    const next = await readUrlToken(SECRET, read!.carry, 'demo', 'dev1', later + 1000);
    expect(next?.session.origin).toEqual(ORIGIN);
    expect(next?.carry).toBe(read!.carry);
  });
});

describe('withToken', () => {
  it('adds the token to same-origin links only', () => {
    expect(withToken('/friends', 'T', base)).toBe('/friends?s=T');
    expect(withToken('/u/bob?older=x#top', 'T', base)).toBe('/u/bob?older=x&s=T#top');
    expect(withToken('/home?s=stale&_ck=1', 'T', base)).toBe('/home?s=T');
    expect(withToken('/home', 'T', base, true)).toBe('/home?_ck=1&s=T');
    expect(withToken('http://demo.chorus.test/x', 'T', base)).toBe('http://demo.chorus.test/x?s=T');
    for (const external of [
      'https://evil.example/',
      '//evil.example/x',
      'http://demo.chorus.test.evil.example/',
      'mailto:a@b.c',
      'tel:123',
      'javascript:alert(1)',
      '#top',
      '',
    ]) {
      expect(withToken(external, 'T', base), external).toBeNull();
    }
  });

  it('rewrites links, POST and GET forms and the Location of a response', async () => {
    const html =
      '<a href="/a?x=1&amp;y=2">a</a><a href="https://other.example/">o</a>' +
      '<form method="post" action="/posts"><input name="t"/></form><form action="/search"><input name="q"/></form>';
    const response = carryUrlSession(
      new Response(html, { headers: { 'content-type': 'text/html', location: '/home' } }),
      'TOK',
      base.href,
    );
    const out = await response.text();
    expect(out).toContain('href="/a?x=1&amp;y=2&amp;s=TOK"');
    expect(out).toContain('href="https://other.example/"');
    expect(out).toContain('action="/posts?s=TOK"');
    expect(out).toContain('<input type="hidden" name="s" value="TOK" />');
    expect(response.headers.get('location')).toBe('/home?s=TOK');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('cache-control')).toBe('private, no-store');
  });
});
