// Tenants live in the directory. Reads are cached in-process for a few seconds: every request
// needs its tenant, and a switch flipped in the directory takes effect within that window.
import { eq, sql } from 'drizzle-orm';
import { DeviceOverrides, type Tenant } from '../../shared/api.js';
import { DEFAULT_SWITCHES, type Switches, type SwitchName } from '../../shared/switches.js';
import type { OriginContext } from '../context.js';
import { forbidden, notFound, originUnavailable } from '../http/problem.js';
import { processCache } from '../process-cache.js';
import { isConnectionError, ShardUnavailableError } from '../store/shards/database.js';
import { tenantHosts, tenants } from '../store/shards/schema-directory.js';

const CACHE_TTL_MS = 5_000;
const cache = processCache<Tenant>(10_000, CACHE_TTL_MS);

export function normalizeHost(host: string): string {
  return host.trim().toLowerCase().replace(/:\d+$/, '');
}

export async function getTenant(ctx: OriginContext, id: string): Promise<Tenant | null> {
  const hit = cache(ctx).get(id);
  if (hit) return hit;
  return directoryCall(() => loadTenant(ctx, id));
}

/**
 * Every request needs its tenant from the directory: when the directory does not answer, the
 * whole origin cannot serve, which the edge's circuit breaker must know (a shard's outage, by
 * contrast, is only its members' problem).
 */
async function directoryCall<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (isConnectionError(err) || err instanceof ShardUnavailableError)
      throw originUnavailable('the directory database is not answering; try again shortly');
    throw err;
  }
}

async function loadTenant(ctx: OriginContext, id: string): Promise<Tenant | null> {
  const db = ctx.cluster.directory.db;
  const [row] = await db.select().from(tenants).where(eq(tenants.id, id));
  if (!row) return null;
  const hosts = await db.select({ host: tenantHosts.host }).from(tenantHosts).where(eq(tenantHosts.tenantId, id));
  const tenant: Tenant = {
    id: row.id,
    slug: row.slug,
    name: row.name,
    hosts: hosts.map((h) => h.host).sort(),
    switches: { ...DEFAULT_SWITCHES, ...row.switches },
    deviceOverrides: DeviceOverrides.catch({}).parse(row.settings.deviceOverrides ?? {}),
    celebrityLimit: celebrityLimitOf(ctx, row.settings),
  };
  cache(ctx).set(id, tenant);
  return tenant;
}

function celebrityLimitOf(ctx: OriginContext, settings: Record<string, unknown>): number {
  const v = settings.celebrityLimit;
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : ctx.config.CELEBRITY_LIMIT;
}

/** Every tenant's celebrity limit (for rebuilding the activity index). */
export async function celebrityLimits(ctx: OriginContext): Promise<Map<string, number>> {
  const rows = await ctx.cluster.directory.db.select({ id: tenants.id, settings: tenants.settings }).from(tenants);
  return new Map(rows.map((r) => [r.id, celebrityLimitOf(ctx, r.settings)]));
}

export async function requireTenant(ctx: OriginContext, id: string): Promise<Tenant> {
  const tenant = id ? await getTenant(ctx, id) : null;
  if (!tenant) throw notFound(`no tenant with id "${id}"`);
  return tenant;
}

export async function resolveHost(ctx: OriginContext, host: string): Promise<Tenant | null> {
  const [row] = await directoryCall(() =>
    ctx.cluster.directory.db
      .select({ tenantId: tenantHosts.tenantId })
      .from(tenantHosts)
      .where(eq(tenantHosts.host, normalizeHost(host))),
  );
  return row ? getTenant(ctx, row.tenantId) : null;
}

export interface NewTenant {
  id: string;
  slug: string;
  name: string;
  hosts: string[];
  switches?: Partial<Switches>;
  deviceOverrides?: DeviceOverrides;
  celebrityLimit?: number;
}

/** Creates a tenant with its hosts; does nothing if the id exists already. */
export async function ensureTenant(ctx: OriginContext, t: NewTenant): Promise<Tenant> {
  await ctx.cluster.directory.db.transaction(async (tx) => {
    await tx
      .insert(tenants)
      .values({
        id: t.id,
        slug: t.slug,
        name: t.name,
        switches: t.switches ?? {},
        settings: {
          deviceOverrides: t.deviceOverrides ?? {},
          ...(t.celebrityLimit === undefined ? {} : { celebrityLimit: t.celebrityLimit }),
        },
      })
      .onConflictDoNothing();
    if (t.hosts.length > 0) {
      await tx
        .insert(tenantHosts)
        .values(t.hosts.map((host) => ({ host: normalizeHost(host), tenantId: t.id })))
        .onConflictDoNothing();
    }
  });
  cache(ctx).delete(t.id);
  return (await getTenant(ctx, t.id))!;
}

/** Flips a feature switch for one tenant at run time (design to disable). */
export async function setSwitch(ctx: OriginContext, tenantId: string, name: SwitchName, on: boolean): Promise<void> {
  const tenant = await requireTenant(ctx, tenantId);
  const next = { ...tenant.switches, [name]: on };
  await ctx.cluster.directory.db.update(tenants).set({ switches: next }).where(eq(tenants.id, tenantId));
  cache(ctx).delete(tenantId);
}

/** Changes a tenant's celebrity limit; the caller recomputes who is above it. */
export async function setCelebrityLimit(ctx: OriginContext, tenantId: string, limit: number): Promise<void> {
  await requireTenant(ctx, tenantId);
  await ctx.cluster.directory.db
    .update(tenants)
    .set({ settings: sql`${tenants.settings} || ${JSON.stringify({ celebrityLimit: limit })}::jsonb` })
    .where(eq(tenants.id, tenantId));
  cache(ctx).delete(tenantId);
}

export function requireSwitch(tenant: Tenant, name: SwitchName): void {
  if (!tenant.switches[name]) throw forbidden(`${name} is switched off for this community`);
}
