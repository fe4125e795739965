// HMAC request signing between edge and origin. The signed string covers everything the origin
// acts on: method, path with query, a hash of the body, the timestamp, and the identity headers
// (tenant, member, session, client IP, request id) — without those a captured request could be
// replayed as someone else, or a visitor's rate limits counted against another address. The hashing is pluggable: WebCrypto (the default) runs in workerd and in Node; the
// origin verifies with node:crypto (origin/http/node-signing.ts), where each WebCrypto call is a
// trip through libuv's thread pool.
import { HEADER } from './headers.js';

export const SIGNATURE_MAX_AGE_MS = 30_000;

export interface SignedParts {
  method: string;
  pathWithQuery: string;
  body: string | Uint8Array;
  timestamp: number;
  tenant: string;
  member: string;
  requestId: string;
  /** The member's session as `<sid>.<version>` (the origin checks it is still live); '' for none. */
  session?: string;
  /** The visitor's address as the edge saw it (CF-Connecting-IP): the origin's rate limits count by it. */
  clientIp?: string;
}

/** SHA-256 and HMAC-SHA-256 as lowercase hex: what signing needs from a crypto library. */
export interface SigningCrypto {
  sha256Hex(data: string | Uint8Array): string | Promise<string>;
  hmacSha256Hex(secret: string, text: string): string | Promise<string>;
}

const encoder = new TextEncoder();

function toHex(buffer: ArrayBuffer): string {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');
}

type HmacKey = ReturnType<typeof crypto.subtle.importKey>;
const keyCache = new Map<string, HmacKey>();
function hmacKey(secret: string): HmacKey {
  let key = keyCache.get(secret);
  if (!key) {
    key = crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    keyCache.set(secret, key);
  }
  return key;
}

/** HMAC-SHA-256 of `text` with WebCrypto, hex: request signatures, and the edge's session tokens. */
export async function hmacHex(secret: string, text: string): Promise<string> {
  return toHex(await crypto.subtle.sign('HMAC', await hmacKey(secret), encoder.encode(text)));
}

export const webCryptoSigning: SigningCrypto = {
  async sha256Hex(data) {
    // A copy is always backed by a plain ArrayBuffer, which every WebCrypto typing accepts.
    const bytes = typeof data === 'string' ? encoder.encode(data) : new Uint8Array(data);
    return toHex(await crypto.subtle.digest('SHA-256', bytes));
  },
  hmacSha256Hex: hmacHex,
};

export async function canonicalString(parts: SignedParts, using: SigningCrypto = webCryptoSigning): Promise<string> {
  return [
    parts.method.toUpperCase(),
    parts.pathWithQuery,
    await using.sha256Hex(parts.body),
    String(parts.timestamp),
    parts.tenant,
    parts.member,
    parts.requestId,
    parts.session ?? '',
    parts.clientIp ?? '',
  ].join('\n');
}

export async function sign(
  secret: string,
  parts: SignedParts,
  using: SigningCrypto = webCryptoSigning,
): Promise<string> {
  return using.hmacSha256Hex(secret, await canonicalString(parts, using));
}

/** Constant-time comparison, so a forged value cannot be found byte by byte from timing. */
export function safeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

export type VerifyResult = { ok: true } | { ok: false; reason: 'missing' | 'stale' | 'bad-signature' };

export async function verify(
  secret: string,
  parts: SignedParts,
  signature: string | undefined,
  { now = Date.now(), using = webCryptoSigning }: { now?: number; using?: SigningCrypto } = {},
): Promise<VerifyResult> {
  if (!signature || !Number.isFinite(parts.timestamp)) return { ok: false, reason: 'missing' };
  if (Math.abs(now - parts.timestamp) > SIGNATURE_MAX_AGE_MS) return { ok: false, reason: 'stale' };
  const expected = await sign(secret, parts, using);
  return safeEqual(expected, signature) ? { ok: true } : { ok: false, reason: 'bad-signature' };
}

/** Headers the edge adds to every origin request. */
export async function signedHeaders(
  secret: string,
  parts: Omit<SignedParts, 'timestamp'> & { timestamp?: number },
): Promise<Record<string, string>> {
  const timestamp = parts.timestamp ?? Date.now();
  const signature = await sign(secret, { ...parts, timestamp });
  return {
    [HEADER.timestamp]: String(timestamp),
    [HEADER.signature]: signature,
    [HEADER.tenant]: parts.tenant,
    [HEADER.member]: parts.member,
    [HEADER.requestId]: parts.requestId,
    ...(parts.session ? { [HEADER.session]: parts.session } : {}),
    ...(parts.clientIp ? { [HEADER.clientIp]: parts.clientIp } : {}),
  };
}
