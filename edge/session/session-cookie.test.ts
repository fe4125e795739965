import { describe, expect, it } from 'vitest';
import { decodeSession, encodeSession } from './session-cookie.js';

const SECRET = 'unit-secret';
const MEMBER = '123456789012345';
const ORIGIN = { id: '0123456789abcdef', version: 3 };
const NOW = 1_800_000_000_000;

describe('session cookie', () => {
  it('round-trips a member id and the origin session for the same tenant', async () => {
    const value = await encodeSession(SECRET, MEMBER, ORIGIN, 'demo', NOW + 60_000);
    const session = await decodeSession(SECRET, value, 'demo', NOW);
    expect(session).toMatchObject({ memberId: MEMBER, tenantId: 'demo', expiresAt: NOW + 60_000, origin: ORIGIN });
    expect(session?.id).toBe(ORIGIN.id);
  });

  it('rejects a changed member id, origin session, signature, tenant, secret or an expired cookie', async () => {
    const value = await encodeSession(SECRET, MEMBER, ORIGIN, 'demo', NOW + 60_000);
    const [, sid, version, expiry, signature] = value.split('.');
    expect(
      await decodeSession(SECRET, `123456789012346.${sid}.${version}.${expiry}.${signature}`, 'demo', NOW),
    ).toBeNull();
    expect(
      await decodeSession(SECRET, `${MEMBER}.fedcba9876543210.${version}.${expiry}.${signature}`, 'demo', NOW),
    ).toBeNull();
    expect(await decodeSession(SECRET, `${MEMBER}.${sid}.4.${expiry}.${signature}`, 'demo', NOW)).toBeNull();
    expect(
      await decodeSession(SECRET, `${MEMBER}.${sid}.${version}.${expiry}.${'0'.repeat(64)}`, 'demo', NOW),
    ).toBeNull();
    expect(await decodeSession(SECRET, value, 'other', NOW)).toBeNull();
    expect(await decodeSession('other-secret', value, 'demo', NOW)).toBeNull();
    expect(await decodeSession(SECRET, value, 'demo', NOW + 120_000)).toBeNull();
  });

  it('treats garbage and cookies of the old format (no origin session) as no session', async () => {
    for (const garbage of ['', 'x', 'a.b.c', '1.2.3.4', `${'9'.repeat(300)}`, '0.1.ab', `${MEMBER}.-1.ab`]) {
      expect(await decodeSession(SECRET, garbage, 'demo', NOW)).toBeNull();
    }
    expect(await decodeSession(SECRET, `${MEMBER}.${NOW + 60_000}.${'a'.repeat(64)}`, 'demo', NOW)).toBeNull();
    expect(
      await decodeSession(SECRET, `${MEMBER}.${ORIGIN.id}.0.${NOW + 60_000}.${'a'.repeat(64)}`, 'demo', NOW),
    ).toBeNull();
    expect(await decodeSession(SECRET, undefined, 'demo', NOW)).toBeNull();
  });
});
