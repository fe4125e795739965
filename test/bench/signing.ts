// Microseconds to sign one edge-to-origin request (the signature the origin recomputes to verify
// every /v1 request): WebCrypto, as the edge signs, beside node:crypto, as the origin verifies.
// One signature at a time, awaited, as a request handler does; both must give the same bytes.
import { nodeCryptoSigning } from '../../origin/http/node-signing.js';
import { type SignedParts, type SigningCrypto, sign, webCryptoSigning } from '../../shared/signing.js';
import { envNumber } from './support.js';

const count = envNumber('BENCH_RUNS', 20_000);
const SECRET = 'bench-secret-bench-secret-bench-secret';
const parts = (i: number): SignedParts => ({
  method: 'GET',
  pathWithQuery: `/v1/streams/home?limit=50&older=${i}`,
  body: '',
  timestamp: Date.now(),
  tenant: 'bench-tenant',
  member: '123456789012345678',
  requestId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
});

async function microsPerSignature(using: SigningCrypto): Promise<number> {
  for (let i = 0; i < 1000; i++) await sign(SECRET, parts(i), using); // warm up
  const started = performance.now();
  for (let i = 0; i < count; i++) await sign(SECRET, parts(i), using);
  return ((performance.now() - started) * 1000) / count;
}

for (let i = 0; i < 100; i++) {
  const p = parts(i);
  if ((await sign(SECRET, p, webCryptoSigning)) !== (await sign(SECRET, p, nodeCryptoSigning)))
    throw new Error('WebCrypto and node:crypto signatures differ');
}
const webCryptoUs = await microsPerSignature(webCryptoSigning);
const nodeCryptoUs = await microsPerSignature(nodeCryptoSigning);
console.log(
  `signing: ${count} signatures each: WebCrypto ${webCryptoUs.toFixed(1)} µs, node:crypto ${nodeCryptoUs.toFixed(1)} µs`,
);
console.log(
  JSON.stringify({
    webCryptoUs: Number(webCryptoUs.toFixed(1)),
    nodeCryptoUs: Number(nodeCryptoUs.toFixed(1)),
    ratio: Number((webCryptoUs / nodeCryptoUs).toFixed(1)),
    signatures: count,
  }),
);
