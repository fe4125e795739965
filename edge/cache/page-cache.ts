// The shared page cache for anonymous visitors (caches.default, per colo). Public pages (front
// page, public profiles) look the same for every anonymous visitor of a tenant on a given markup
// variant and language, so the key is exactly that: tenant + variant + locale + path (+ the
// paging cursor). Members (cookie or URL session) never read or write a shared entry: their
// pages depend on who is asking, and are marked private, no-store.
//
// Freshness is ours, not the Cache API's: a copy is stored for FRESH + STALE_IF_ERROR seconds
// with the time it was made, and on a hit
//   age < FRESH                        HIT, served as is;
//   age < FRESH + STALE_WHILE_REVAL    STALE, served at once, refreshed in the background;
//   older                              rendered again; if the origin is down or the circuit is
//                                      open, the old copy is served (stale-if-error, STALE +
//                                      Warning 111) instead of the 503 page.
// Writes purge the pages they change (purgePublicPages bumps the path's generation, which is
// part of the key: generations.ts), so others see a post within moments in this colo and within
// FRESH_SECONDS elsewhere; the author's own pages are private and always fresh.
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv, Bindings } from '../env.js';
import { OriginUnavailable } from '../origin-client/origin-errors.js';
import { setResponseHeader } from '../response-headers.js';
import { markupOf, variantOf } from '../ui/markup.js';
import { deferWork } from '../worker-context.js';
import { bumpGeneration, generationOf } from './generations.js';
import { type HotPage, hotPage, keepHot } from './hot-pages.js';
import { localeOf } from './locale.js';

export const FRESH_SECONDS = 60;
export const STALE_WHILE_REVALIDATE_SECONDS = 300;
export const STALE_IF_ERROR_SECONDS = 24 * 60 * 60;
export const SHARED_CACHE_CONTROL = `public, s-maxage=${FRESH_SECONDS}, stale-while-revalidate=${STALE_WHILE_REVALIDATE_SECONDS}, stale-if-error=${STALE_IF_ERROR_SECONDS}`;
export const PRIVATE_CACHE_CONTROL = 'private, no-store';

const STORED_AT = 'x-chorus-stored-at';
const STORE_CACHE_CONTROL = `public, max-age=${FRESH_SECONDS + STALE_IF_ERROR_SECONDS}`;
// Headers that describe one response, not the page: never stored in the shared copy.
const PER_RESPONSE_HEADERS = ['set-cookie', 'server-timing', 'x-request-id', 'vary'];
// Request headers a background refresh copies, so it renders the same variant and language.
const VARIANT_HEADERS = [
  'user-agent',
  'accept',
  'accept-language',
  'sec-ch-ua-mobile',
  'sec-ch-ua-model',
  'sec-ch-ua-platform',
  'sec-ch-viewport-width',
  'sec-ch-dpr',
  'viewport-width',
  'dpr',
  'save-data',
  'ect',
];

const CACHE_ORIGIN = 'https://cache.chorus.internal';

export interface PageKeyParts {
  tenantId: string;
  /** Generation of the path (bumped by writes that change it). */
  generation: string;
  variant: string;
  locale: string;
  path: string;
  /** Paging cursor, the only query parameter a cached page uses. */
  older?: string | null;
}

export function keyFor(p: PageKeyParts): string {
  const query = p.older ? `?older=${encodeURIComponent(p.older)}` : '';
  return `${CACHE_ORIGIN}/${encodeURIComponent(p.tenantId)}/g${p.generation}/${p.variant}/${p.locale}${p.path}${query}`;
}

/** tenant + path generation + variant + locale + path (+ cursor): junk queries cannot flood it. */
export async function pageCacheKey(c: Context<AppEnv>): Promise<string> {
  const url = new URL(c.req.url);
  return keyFor({
    tenantId: c.get('tenant').id,
    generation: await generationOf(c.get('tenant').id, `page:${url.pathname}`),
    variant: variantOf(markupOf(c.get('device'), c.req.header('accept'))),
    locale: localeOf(c.req.header('accept-language')),
    path: url.pathname,
    older: url.searchParams.get('older'),
  });
}

/** Every cached copy of these paths (all variants, languages and pages) is out of date. */
export async function purgePublicPages(tenantId: string, paths: string[]): Promise<void> {
  await Promise.all(paths.map((path) => bumpGeneration(tenantId, `page:${path}`)));
}

// Background refresh: the worker registers its own fetch so a refresh is a normal anonymous
// render through every middleware. The marker header's value is random per isolate, so a
// visitor cannot use it to skip the cache.
type WorkerCtx = Context['executionCtx'];
type Renderer = (request: Request, env: Bindings, ctx: WorkerCtx) => Response | Promise<Response>;
let renderer: Renderer | null = null;
const REFRESH_HEADER = 'x-chorus-refresh';
// Made on first use: workerd forbids random values at module scope (outside a request).
let refreshToken: string | null = null;
const REFRESH_TOKEN = () => {
  refreshToken ??= crypto.randomUUID();
  return refreshToken;
};
const refreshing = new Set<string>();

export function setPageRenderer(render: Renderer): void {
  renderer = render;
}

function isRefresh(c: Context<AppEnv>): boolean {
  return c.req.header(REFRESH_HEADER) === REFRESH_TOKEN();
}

function refreshInBackground(c: Context<AppEnv>, key: string): void {
  if (!renderer || refreshing.has(key)) return;
  let ctx: WorkerCtx;
  try {
    ctx = c.executionCtx;
  } catch {
    return; // no execution context: nothing would keep the refresh alive
  }
  const headers = new Headers({ [REFRESH_HEADER]: REFRESH_TOKEN() });
  for (const name of VARIANT_HEADERS) {
    const value = c.req.header(name);
    if (value !== undefined) headers.set(name, value);
  }
  refreshing.add(key);
  const render = renderer;
  const work = (async () => {
    try {
      const response = await render(new Request(c.req.url, { headers }), c.env, ctx);
      await response.body?.cancel();
    } finally {
      refreshing.delete(key);
    }
  })();
  deferWork(c, work);
}

/** A stored copy as every visitor gets it, once per copy: our bookkeeping out, Vary in. */
async function visitorCopy(stored: Response): Promise<HotPage> {
  const headers = new Headers(stored.headers);
  headers.delete(STORED_AT);
  headers.set('Cache-Control', SHARED_CACHE_CONTROL);
  headers.append('Vary', 'Cookie, Accept-Language');
  const storedAt = Number(stored.headers.get(STORED_AT));
  return {
    status: stored.status,
    headers,
    storedAt: Number.isFinite(storedAt) && storedAt > 0 ? storedAt : Date.now(),
    body: await stored.blob(),
  };
}

/**
 * The one Response a cached hit is served as. The Response copies the stored headers (so they
 * stay unchanged for the next hit) and its own copy is mutable for later middleware.
 */
function served(hit: HotPage, ageSeconds: number, stale: boolean): Response {
  const response = new Response(hit.body, { status: hit.status, headers: hit.headers });
  response.headers.set('Age', String(Math.max(0, Math.floor(ageSeconds))));
  if (stale) response.headers.set('Warning', '110 - "Response is Stale"');
  return response;
}

/** Marks every response private unless a route opted into the shared cache. */
export const privateByDefault: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  if (!c.res.headers.has('cache-control')) setResponseHeader(c, 'Cache-Control', PRIVATE_CACHE_CONTROL);
};

/**
 * HEAD is served like GET: Hono runs the GET route for it and drops the body afterwards, so a
 * HEAD of a cached page is a hit (no origin call) and a HEAD miss renders and stores the page
 * as a GET would (monitors and link checkers HEAD public pages a lot).
 */
function readsPage(method: string): boolean {
  return method === 'GET' || method === 'HEAD';
}

export const pageCache: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!readsPage(c.req.method) || c.get('session') || c.get('urlSession')) {
    c.set('cacheStatus', 'BYPASS');
    await next();
    c.header('Cache-Control', PRIVATE_CACHE_CONTROL);
    return;
  }
  const key = await pageCacheKey(c);
  const refresh = isRefresh(c);
  let hit: HotPage | undefined = refresh ? undefined : hotPage(key);
  if (!hit && !refresh) {
    const shared = await caches.default.match(key).catch(() => undefined);
    if (shared) {
      hit = await visitorCopy(shared);
      keepHot(key, hit);
    }
  }
  let fallback: Response | undefined;
  if (hit) {
    const age = (Date.now() - hit.storedAt) / 1000;
    if (age < FRESH_SECONDS) {
      c.set('cacheStatus', 'HIT');
      return served(hit, age, false);
    }
    if (age < FRESH_SECONDS + STALE_WHILE_REVALIDATE_SECONDS) {
      c.set('cacheStatus', 'STALE');
      refreshInBackground(c, key);
      return served(hit, age, true);
    }
    fallback = served(hit, age, true); // too old to serve first; still better than an error page
  }
  c.set('cacheStatus', 'MISS');
  await next();
  if (fallback && (c.error instanceof OriginUnavailable || c.res.status >= 500)) {
    // stale-if-error: the origin is down, slow or the circuit is open.
    const cookies = c.res.headers.getAll('set-cookie');
    fallback.headers.set('Warning', '111 - "Revalidation Failed"');
    for (const cookie of cookies) fallback.headers.append('Set-Cookie', cookie);
    c.set('cacheStatus', 'STALE');
    c.res = undefined;
    c.res = fallback;
    return;
  }
  // A Set-Cookie means the response is about this visitor; redirects and errors are not pages.
  if (c.res.status !== 200 || c.res.headers.has('set-cookie')) {
    c.header('Cache-Control', PRIVATE_CACHE_CONTROL);
    return;
  }
  c.header('Cache-Control', SHARED_CACHE_CONTROL);
  // Downstream caches (carrier proxies) must not hand this anonymous copy to a member.
  c.header('Vary', 'Cookie, Accept-Language', { append: true });
  // Clone only after the last header change: each change re-wraps (and consumes) the body.
  const copy = c.res.clone();
  for (const name of PER_RESPONSE_HEADERS) copy.headers.delete(name);
  copy.headers.set('Cache-Control', STORE_CACHE_CONTROL);
  copy.headers.set(STORED_AT, String(Date.now()));
  const hot = copy.clone();
  deferWork(c, Promise.all([visitorCopy(hot).then((page) => keepHot(key, page)), caches.default.put(key, copy)]));
};
