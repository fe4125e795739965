// HMAC request signing between edge and origin. WebCrypto only, so the same code runs in
// workerd and in Node 20. The signed string covers everything the origin acts on: method,
// path with query, a hash of the body, the timestamp, and the identity headers (tenant,
// member, request id) — without those a captured request could be replayed as someone else.
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
}

const encoder = new TextEncoder();

function toHex(buffer: ArrayBuffer): string {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');
}

export async function sha256Hex(data: string | Uint8Array): Promise<string> {
  // A copy is always backed by a plain ArrayBuffer, which every WebCrypto typing accepts.
  const bytes = typeof data === 'string' ? encoder.encode(data) : new Uint8Array(data);
  return toHex(await crypto.subtle.digest('SHA-256', bytes));
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

export async function canonicalString(parts: SignedParts): Promise<string> {
  return [
    parts.method.toUpperCase(),
    parts.pathWithQuery,
    await sha256Hex(parts.body),
    String(parts.timestamp),
    parts.tenant,
    parts.member,
    parts.requestId,
  ].join('\n');
}

export async function sign(secret: string, parts: SignedParts): Promise<string> {
  const key = await hmacKey(secret);
  return toHex(await crypto.subtle.sign('HMAC', key, encoder.encode(await canonicalString(parts))));
}

/** Constant-time comparison of two hex strings. */
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
  now = Date.now(),
): Promise<VerifyResult> {
  if (!signature || !Number.isFinite(parts.timestamp)) return { ok: false, reason: 'missing' };
  if (Math.abs(now - parts.timestamp) > SIGNATURE_MAX_AGE_MS) return { ok: false, reason: 'stale' };
  const expected = await sign(secret, parts);
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
  };
}
