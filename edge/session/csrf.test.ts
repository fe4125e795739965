import { describe, expect, it } from 'vitest';
import { CsrfRejected, checkCsrfToken, issueCsrfToken } from './csrf.js';

const SECRET = 'unit-secret';
const NOW = 1_800_000_000_000;

describe('CSRF tokens', () => {
  it('accepts a token for the same tenant and binding', async () => {
    const token = await issueCsrfToken(SECRET, 'demo', 'session-a', NOW);
    await expect(checkCsrfToken(SECRET, 'demo', 'session-a', token, NOW + 1000)).resolves.toBeUndefined();
  });

  it('rejects missing, foreign, expired and malformed tokens', async () => {
    const token = await issueCsrfToken(SECRET, 'demo', 'session-a', NOW);
    const reasons = async (...args: Parameters<typeof checkCsrfToken>) =>
      checkCsrfToken(...args).then(
        () => 'accepted',
        (err) => (err instanceof CsrfRejected ? err.reason : 'other'),
      );
    expect(await reasons(SECRET, 'demo', 'session-a', undefined, NOW)).toBe('missing');
    expect(await reasons(SECRET, 'demo', null, token, NOW)).toBe('no-binding');
    expect(await reasons(SECRET, 'demo', 'session-b', token, NOW)).toBe('invalid');
    expect(await reasons(SECRET, 'other', 'session-a', token, NOW)).toBe('invalid');
    expect(await reasons(SECRET, 'demo', 'session-a', token, NOW + 13 * 3600_000)).toBe('expired');
    expect(await reasons(SECRET, 'demo', 'session-a', 'garbage', NOW)).toBe('invalid');
  });
});
