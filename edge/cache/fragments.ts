// Shared fragments: pieces of origin data that are the same for every visitor of a tenant (the
// public stream), cached once in caches.default and reused by every page, tier and language
// that shows them, anonymous or logged in. A page for a member is composed from such shared
// fragments plus the member's own (never cached) part.
//
// Nothing personal can land under a shared key: loaders get an anonymous origin client (no
// member id on the wire), so the origin only ever answers with what anyone may see. What one
// member must not see in a fragment (people they blocked or muted) is taken out per page, after
// the fragment is read (withoutMembers), never by keeping a copy per member.
//
// Freshness: FRAGMENT_FRESH_SECONDS; after that the loader runs again, and when the origin is
// down (or the circuit open) the older copy is used for up to FRAGMENT_STALE_IF_ERROR_SECONDS.
import type { z } from 'zod';
import { type StreamEntry, StreamPage } from '../../shared/api.js';
import type { OriginClient } from '../origin-client/origin-client.js';
import { OriginUnavailable } from '../origin-client/origin-errors.js';
import { bumpGeneration, generationOf } from './generations.js';

export const FRAGMENT_FRESH_SECONDS = 30;
export const FRAGMENT_STALE_IF_ERROR_SECONDS = 24 * 60 * 60;
const STORED_AT = 'x-chorus-stored-at';
const CACHE_ORIGIN = 'https://cache.chorus.internal/_fragments';

export interface FragmentSpec<S extends z.ZodType> {
  tenantId: string;
  /** Fragment name, e.g. 'public-stream'. */
  name: string;
  /** What else the content depends on (paging cursor, limit): part of the key. */
  params?: Record<string, string | number | null | undefined>;
  schema: S;
  load: () => Promise<z.infer<S>>;
}

export function fragmentKey(tenantId: string, name: string, params: FragmentSpec<z.ZodType>['params'] = {}): string {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params).sort(([a], [b]) => a.localeCompare(b))) {
    if (v !== undefined && v !== null && v !== '') query.set(k, String(v));
  }
  const search = query.toString();
  return `${CACHE_ORIGIN}/${encodeURIComponent(tenantId)}/${name}${search ? `?${search}` : ''}`;
}

async function store(key: string, value: unknown): Promise<void> {
  const response = new Response(JSON.stringify(value), {
    headers: {
      'content-type': 'application/json',
      'cache-control': `public, max-age=${FRAGMENT_FRESH_SECONDS + FRAGMENT_STALE_IF_ERROR_SECONDS}`,
      [STORED_AT]: String(Date.now()),
    },
  });
  await caches.default.put(key, response).catch(() => undefined);
}

/** The fragment from the shared cache, or loaded (and stored) when missing or old. */
export async function sharedFragment<S extends z.ZodType>(spec: FragmentSpec<S>): Promise<z.infer<S>> {
  const generation = await generationOf(spec.tenantId, `fragment:${spec.name}`);
  const key = fragmentKey(spec.tenantId, `${spec.name}/g${generation}`, spec.params);
  let stale: z.infer<S> | undefined;
  const hit = await caches.default.match(key).catch(() => undefined);
  if (hit) {
    const age = (Date.now() - Number(hit.headers.get(STORED_AT))) / 1000;
    const parsed = spec.schema.safeParse(await hit.json().catch(() => null));
    if (parsed.success) {
      if (age >= 0 && age < FRAGMENT_FRESH_SECONDS) return parsed.data;
      stale = parsed.data;
    }
  }
  try {
    const value = await spec.load();
    await store(key, value);
    return value;
  } catch (err) {
    if (stale !== undefined && err instanceof OriginUnavailable) return stale;
    throw err;
  }
}

/** Every cached copy of the fragment (all parameters) is out of date. */
export function purgeFragment(tenantId: string, name: string): Promise<void> {
  return bumpGeneration(tenantId, `fragment:${name}`);
}

/** The tenant's public stream (a page of it), shared by everyone: fetched without a member. */
export function publicStreamFragment(
  origin: OriginClient,
  tenantId: string,
  older: string | undefined,
  limit: number,
): Promise<StreamPage> {
  const query = { older, limit };
  return sharedFragment({
    tenantId,
    name: 'public-stream',
    params: query,
    schema: StreamPage,
    load: () => origin.withIdentity({ tenant: tenantId, member: '' }).get('/v1/streams/public', StreamPage, query),
  });
}

/** After a public post: the first page of the public stream is out of date. */
export function purgePublicStream(tenantId: string): Promise<void> {
  return purgeFragment(tenantId, 'public-stream');
}

/**
 * The entries of a shared fragment that name none of `hidden` (as actor, as the author of what
 * the entry is about, as its target or among the others who did the same).
 */
export function withoutMembers(entries: readonly StreamEntry[], hidden: ReadonlySet<string>): StreamEntry[] {
  if (hidden.size === 0) return [...entries];
  return entries.filter(
    (entry) =>
      !hidden.has(entry.actor.id) &&
      !(entry.object && hidden.has(entry.object.actor.id)) &&
      !(entry.target && hidden.has(entry.target.id)) &&
      !entry.others.some((other) => hidden.has(other.id)),
  );
}
