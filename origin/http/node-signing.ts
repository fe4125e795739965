// Request signing with node:crypto, for the origin, which verifies every /v1 request: hashing a
// few hundred bytes synchronously costs under 10 µs, where WebCrypto's two trips through libuv's
// thread pool cost over a hundred (npm run bench -- signing).
import { createHash, createHmac } from 'node:crypto';
import type { SigningCrypto } from '../../shared/signing.js';

export const nodeCryptoSigning: SigningCrypto = {
  sha256Hex: (data) => createHash('sha256').update(data).digest('hex'),
  hmacSha256Hex: (secret, text) => createHmac('sha256', secret).update(text).digest('hex'),
};
