// The shared page cache for anonymous visitors. Public pages (front page, public profiles) look
// the same for every anonymous visitor of a tenant on a given markup variant, so the key is
// exactly that: tenant + variant + path (+ the paging cursor). Members never read or write a
// shared entry: their pages depend on who is asking, and are marked private, no-store.
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.js';
import { markupOf, variantOf } from '../ui/markup.js';
import { deferWork } from '../worker-context.js';

export const SHARED_CACHE_CONTROL = 'public, s-maxage=60, stale-while-revalidate=300';
export const PRIVATE_CACHE_CONTROL = 'private, no-store';

// Headers that describe one response, not the page: never stored in the shared copy.
const PER_RESPONSE_HEADERS = ['set-cookie', 'server-timing', 'x-request-id', 'x-chorus-cache', 'vary'];

/** Only the query parameters a cached page uses go into the key, so junk queries cannot flood it. */
export function pageCacheKey(c: Context<AppEnv>): string {
  const url = new URL(c.req.url);
  const variant = variantOf(markupOf(c.var.device, c.req.header('accept')));
  const older = url.searchParams.get('older');
  const query = older ? `?older=${encodeURIComponent(older)}` : '';
  return `https://cache.chorus.internal/${encodeURIComponent(c.var.tenant.id)}/${variant}${url.pathname}${query}`;
}

/** Marks every response private unless a route opted into the shared cache. */
export const privateByDefault: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  if (!c.res.headers.has('cache-control')) c.header('Cache-Control', PRIVATE_CACHE_CONTROL);
};

export const pageCache: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.req.method !== 'GET' || c.var.session) {
    c.set('cacheStatus', 'BYPASS');
    await next();
    c.header('Cache-Control', PRIVATE_CACHE_CONTROL);
    return;
  }
  const key = pageCacheKey(c);
  const hit = await caches.default.match(key).catch(() => undefined);
  if (hit) {
    c.set('cacheStatus', 'HIT');
    const headers = new Headers(hit.headers);
    headers.append('Vary', 'Cookie');
    return new Response(hit.body, { status: hit.status, headers });
  }
  c.set('cacheStatus', 'MISS');
  await next();
  // A Set-Cookie means the response is about this visitor; redirects and errors are not pages.
  if (c.res.status !== 200 || c.res.headers.has('set-cookie')) {
    c.header('Cache-Control', PRIVATE_CACHE_CONTROL);
    return;
  }
  c.header('Cache-Control', SHARED_CACHE_CONTROL);
  // Downstream caches (carrier proxies) must not hand this anonymous copy to a member.
  c.header('Vary', 'Cookie', { append: true });
  // Clone only after the last header change: each change re-wraps (and consumes) the body.
  const copy = c.res.clone();
  for (const name of PER_RESPONSE_HEADERS) copy.headers.delete(name);
  copy.headers.set('Cache-Control', SHARED_CACHE_CONTROL);
  deferWork(c, caches.default.put(key, copy));
};
