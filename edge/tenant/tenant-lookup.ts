// Host -> tenant. Every request needs its tenant, so lookups are memoized in this isolate for a
// minute and kept in the colo's cache (shared by isolates) for the same time; a switch flipped
// at the origin reaches the edge within that window. Unknown hosts are remembered briefly too,
// so a scanner cannot make every request a round trip to the origin.
import { Tenant } from '../../shared/api.js';
import type { OriginClient } from '../origin-client/origin-client.js';
import { OriginProblem } from '../origin-client/origin-errors.js';

export const TENANT_TTL_MS = 60_000;
export const UNKNOWN_HOST_TTL_MS = 10_000;
const MEMO_MAX_ENTRIES = 1000;

const HOSTNAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

interface MemoEntry {
  tenant: Tenant | null;
  expiresAt: number;
}
const memo = new Map<string, MemoEntry>();

/** For tests: forget memoized tenants. */
export function forgetTenants(): void {
  memo.clear();
}

export function normalizeHost(host: string): string | null {
  const name = host.trim().toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
  return name.length <= 253 && HOSTNAME.test(name) ? name : null;
}

function sharedCacheKey(host: string): string {
  return `https://cache.chorus.internal/_tenants/${host}`;
}

function remember(host: string, tenant: Tenant | null, ttlMs: number): void {
  if (memo.size >= MEMO_MAX_ENTRIES) memo.delete(memo.keys().next().value!);
  memo.set(host, { tenant, expiresAt: Date.now() + ttlMs });
}

async function fromSharedCache(host: string): Promise<Tenant | null> {
  try {
    const hit = await caches.default.match(sharedCacheKey(host));
    if (!hit) return null;
    const parsed = Tenant.safeParse(await hit.json());
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

async function toSharedCache(host: string, tenant: Tenant): Promise<void> {
  const copy = new Response(JSON.stringify(tenant), {
    headers: { 'content-type': 'application/json', 'cache-control': `public, s-maxage=${TENANT_TTL_MS / 1000}` },
  });
  await caches.default.put(sharedCacheKey(host), copy).catch(() => undefined);
}

/**
 * The tenant for a host, or null when no community lives there. Throws OriginUnavailable when
 * the origin cannot say.
 */
export async function lookupTenant(
  origin: OriginClient,
  rawHost: string,
  defer: (work: Promise<unknown>) => void,
): Promise<Tenant | null> {
  const host = normalizeHost(rawHost);
  if (!host) return null;
  const memoized = memo.get(host);
  if (memoized && memoized.expiresAt > Date.now()) return memoized.tenant;

  const cached = await fromSharedCache(host);
  if (cached) {
    remember(host, cached, TENANT_TTL_MS);
    return cached;
  }
  try {
    const tenant = await origin.withIdentity({ tenant: '' }).get('/v1/tenants/resolve', Tenant, { host });
    remember(host, tenant, TENANT_TTL_MS);
    defer(toSharedCache(host, tenant));
    return tenant;
  } catch (err) {
    if (err instanceof OriginProblem && (err.status === 404 || err.status === 400)) {
      remember(host, null, UNKNOWN_HOST_TTL_MS);
      return null;
    }
    throw err;
  }
}
