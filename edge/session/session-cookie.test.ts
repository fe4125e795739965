import { describe, expect, it } from 'vitest';
import { decodeSession, encodeSession } from './session-cookie.js';

const SECRET = 'unit-secret';
const MEMBER = '123456789012345';
const NOW = 1_800_000_000_000;

describe('session cookie', () => {
  it('round-trips a member id for the same tenant', async () => {
    const value = await encodeSession(SECRET, MEMBER, 'demo', NOW + 60_000);
    const session = await decodeSession(SECRET, value, 'demo', NOW);
    expect(session).toMatchObject({ memberId: MEMBER, tenantId: 'demo', expiresAt: NOW + 60_000 });
  });

  it('rejects a changed member id, signature, tenant, secret or an expired cookie', async () => {
    const value = await encodeSession(SECRET, MEMBER, 'demo', NOW + 60_000);
    const [, expiry, signature] = value.split('.');
    expect(await decodeSession(SECRET, `123456789012346.${expiry}.${signature}`, 'demo', NOW)).toBeNull();
    expect(await decodeSession(SECRET, `${MEMBER}.${expiry}.${'0'.repeat(64)}`, 'demo', NOW)).toBeNull();
    expect(await decodeSession(SECRET, value, 'other', NOW)).toBeNull();
    expect(await decodeSession('other-secret', value, 'demo', NOW)).toBeNull();
    expect(await decodeSession(SECRET, value, 'demo', NOW + 120_000)).toBeNull();
  });

  it('treats garbage as no session', async () => {
    for (const garbage of ['', 'x', 'a.b.c', '1.2.3.4', `${'9'.repeat(300)}`, '0.1.ab', `${MEMBER}.-1.ab`]) {
      expect(await decodeSession(SECRET, garbage, 'demo', NOW)).toBeNull();
    }
    expect(await decodeSession(SECRET, undefined, 'demo', NOW)).toBeNull();
  });
});
