// The visitor's IP, for rate limits here and at the origin. Only Cloudflare's CF-Connecting-IP
// is trusted: Cloudflare sets it from the connection and overwrites any the client sent. An
// X-Forwarded-For comes from the client as far as the edge can tell, and a client that names a
// new address on every request would get a fresh limit each time, so it is never read.
export const UNKNOWN_IP = 'unknown';

/** CF-Connecting-IP, or 'unknown' (one shared bucket) when it is absent. */
export function clientIp(headers: Headers): string {
  const cf = headers.get('cf-connecting-ip')?.trim();
  return cf ? cf.slice(0, 64) : UNKNOWN_IP;
}
