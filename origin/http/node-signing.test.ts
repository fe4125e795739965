import { describe, expect, it } from 'vitest';
import { type SignedParts, sign, verify, webCryptoSigning } from '../../shared/signing.js';
import { nodeCryptoSigning } from './node-signing.js';

// The edge signs with WebCrypto and the origin verifies with node:crypto: both must agree on
// every byte, or every request would be refused.
const parts: SignedParts = {
  method: 'post',
  pathWithQuery: '/v1/posts?x=1',
  body: JSON.stringify({ text: 'grüße, 你好 🎉' }),
  timestamp: 1_764_000_000_000,
  tenant: 'tenant-a',
  member: '123456789012345',
  requestId: 'req-1',
};
const SECRET = 'a-test-secret-that-is-long-enough';

describe('request signing with node:crypto', () => {
  it('gives the signature WebCrypto gives, for text, binary and empty bodies', async () => {
    for (const body of [parts.body, new Uint8Array([0, 255, 128, 7]), '']) {
      const p = { ...parts, body };
      const web = await sign(SECRET, p, webCryptoSigning);
      expect(web).toMatch(/^[0-9a-f]{64}$/);
      expect(await sign(SECRET, p, nodeCryptoSigning)).toBe(web);
    }
  });

  it('verifies what WebCrypto signed and refuses any change', async () => {
    const signature = await sign(SECRET, parts);
    const now = parts.timestamp + 1000;
    expect(await verify(SECRET, parts, signature, { now, using: nodeCryptoSigning })).toEqual({ ok: true });
    for (const changed of [
      { ...parts, body: parts.body.toString().replace('grüße', 'grusse') },
      { ...parts, member: '123456789012346' },
      { ...parts, pathWithQuery: '/v1/posts?x=2' },
    ]) {
      expect(await verify(SECRET, changed, signature, { now, using: nodeCryptoSigning })).toEqual({
        ok: false,
        reason: 'bad-signature',
      });
    }
    expect(
      await verify('another-secret-entirely-000000', parts, signature, { now, using: nodeCryptoSigning }),
    ).toMatchObject({
      ok: false,
    });
  });
});
