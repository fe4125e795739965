// Request signing with node:crypto, for the origin: it verifies every /v1 request, and
// synchronous hashing of a few hundred bytes costs ~4 µs where WebCrypto's two thread-pool
// round trips cost ~120 µs of latency and CPU (measured on this machine, 2,000 signatures).
import { createHash, createHmac } from 'node:crypto';
import type { SigningCrypto } from '../../shared/signing.js';

export const nodeCryptoSigning: SigningCrypto = {
  sha256Hex: (data) => createHash('sha256').update(data).digest('hex'),
  hmacSha256Hex: (secret, text) => createHmac('sha256', secret).update(text).digest('hex'),
};
