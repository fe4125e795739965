// Password hashing with scrypt (node:crypto, no native addon). Parameters are stored with the
// hash, so raising them never invalidates a password: a hash made at a lower cost is replaced at
// the member's next log-in (needsRehash).
//
// Cost: OWASP's Password Storage Cheat Sheet gives scrypt minimums of equal strength, from
// N=2^17, r=8, p=1 (128 MiB per hash) to N=2^13, r=8, p=10 (8 MiB). We take N=2^14, r=8, p=5
// (16 MiB): the same strength with little memory per concurrent log-in, which matters on small
// machines; about 150 ms of one core here (it runs on libuv's thread pool, off the event loop).
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

const N = 16384;
const R = 8;
const P = 5;
const KEY_LENGTH = 32;
/** Enough for any stored parameters we ever wrote or accept (128 * N * r, with headroom). */
const MAX_MEMORY = 256 * 1024 * 1024;

function derive(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, KEY_LENGTH, { N: n, r, p, maxmem: MAX_MEMORY }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, N, R, P);
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${key.toString('base64')}`;
}

interface Stored {
  n: number;
  r: number;
  p: number;
  salt: Buffer;
  hash: Buffer;
}

function parse(stored: string): Stored | null {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) return null;
  const parsed = {
    n: Number(n),
    r: Number(r),
    p: Number(p),
    salt: Buffer.from(salt, 'base64'),
    hash: Buffer.from(hash, 'base64'),
  };
  // A corrupt row must not make scrypt allocate without bound.
  if (![parsed.n, parsed.r, parsed.p].every((v) => Number.isInteger(v) && v > 0)) return null;
  if (128 * parsed.n * parsed.r > MAX_MEMORY / 2 || parsed.p > 64) return null;
  return parsed;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const s = parse(stored);
  if (!s) return false;
  const key = await derive(password, s.salt, s.n, s.r, s.p);
  return key.length === s.hash.length && timingSafeEqual(key, s.hash);
}

/** Whether a stored hash was made at a lower cost than hashPassword's: re-hash at log-in. */
export function needsRehash(stored: string): boolean {
  const s = parse(stored);
  return !s || s.n * s.r * s.p < N * R * P;
}

/** A real hash of a random password: verifying against it costs the same as a real check. */
export const DECOY_HASH = hashPassword(randomBytes(12).toString('hex'));
