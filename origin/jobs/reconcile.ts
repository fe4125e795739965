// Reconciliation: committed events missing from timelines that are ready, found and repaired. The
// outbox already delivers every event until its fan-out reports back done; what it cannot see is
// a timeline that lost entries after they landed and still says READY — a Redis failover to a
// replica that had not received the last writes, say. Every few minutes this job reads the events
// of a recent window from each shard and checks each author's own timelines (written by the same
// fan-out job as the author's friends' home timelines); an event missing there is fanned out
// again (idempotent: timelines that have it keep one copy).
import { composeId, timeOfId } from '../../shared/ids.js';
import type { OriginContext } from '../context.js';

export interface ReconcileOptions {
  /** How far back to look. */
  windowMs?: number;
  /** Events younger than this are left to their fan-out, which may still be running. */
  settleMs?: number;
  /** Events checked per database and run, newest first. */
  maxPerDatabase?: number;
  /** Only this community's events (an operator looking at one tenant); every tenant by default. */
  tenant?: string;
}

export interface ReconcileReport {
  checked: number;
  repaired: number;
  /** Databases or timelines that could not be checked this time (down, or Redis away). */
  skipped: number;
}

const DEFAULTS = { windowMs: 15 * 60_000, settleMs: 60_000, maxPerDatabase: 2000 };

export async function reconcileTimelines(ctx: OriginContext, opts: ReconcileOptions = {}): Promise<ReconcileReport> {
  const { windowMs, settleMs, maxPerDatabase, tenant } = { ...DEFAULTS, ...opts };
  const now = Date.now();
  const from = composeId(now - windowMs, 0, 0, 0).toString();
  const to = composeId(now - settleMs, 0, 0, 0).toString();
  const report: ReconcileReport = { checked: 0, repaired: 0, skipped: 0 };
  for (const db of ctx.cluster.router.physical) {
    let rows: { tenant_id: string; id: string; actor_id: string }[];
    try {
      rows = await db.rows(
        `SELECT tenant_id, id::text, actor_id::text FROM items
         WHERE id >= $1::bigint AND id < $2::bigint AND deleted_at IS NULL
           AND ($4::text IS NULL OR tenant_id = $4::text)
         ORDER BY id DESC LIMIT $3`,
        [from, to, maxPerDatabase, tenant ?? null],
      );
    } catch (err) {
      ctx.log.warn({ err, shard: db.name }, 'reconcile: shard not answering; next time');
      report.skipped++;
      continue;
    }
    // Each author's events in the window, newest first.
    const byAuthor = new Map<string, { tenant: string; actor: string; ids: string[] }>();
    for (const r of rows) {
      const key = `${r.tenant_id}:${r.actor_id}`;
      const group = byAuthor.get(key) ?? { tenant: r.tenant_id, actor: r.actor_id, ids: [] };
      group.ids.push(r.id);
      byAuthor.set(key, group);
    }
    const missing = new Map<string, string[]>();
    for (const { tenant, actor, ids } of byAuthor.values()) {
      report.checked += ids.length;
      const lost = await missingFromOwnTimelines(ctx, tenant, actor, ids, now - windowMs).catch(() => null);
      if (lost === null) {
        report.skipped++;
        continue;
      }
      if (lost.length > 0) missing.set(tenant, [...(missing.get(tenant) ?? []), ...lost]);
    }
    for (const [tenant, ids] of missing) {
      ctx.log.warn({ tenant, items: ids.length }, 'reconcile: events missing from ready timelines; fanning out again');
      for (let i = 0; i < ids.length; i += 32)
        await ctx.queue.add('fanout', { tenant, itemIds: ids.slice(i, i + 32).join(',') });
      report.repaired += ids.length;
    }
  }
  return report;
}

/**
 * Which of the author's events (newest first) their ORI lacks, or their own home timeline where
 * they have no ORI (one exists only where their profile was read): fan-out writes the event into
 * both, in the same calls as into their friends'. [] when neither is ready (a timeline being
 * rebuilt, or none at all, is read from Postgres, which has every event).
 */
async function missingFromOwnTimelines(
  ctx: OriginContext,
  tenant: string,
  actor: string,
  ids: string[],
  sinceMs: number,
): Promise<string[]> {
  const newest = BigInt(ids[0]!);
  for (const kind of ['ori', 'mri'] as const) {
    const page = await ctx.timelines.page({ tenant, kind, owner: actor }, newest + 1n, ids.length + 16, sinceMs);
    if (page.state !== 'ready') continue;
    const held = new Set(page.entries.map((e) => e.id));
    // Below the point the timeline was trimmed to, entries are read from Postgres anyway.
    const floor = page.truncatedAtMs;
    return ids.filter((id) => !held.has(id) && (floor === null || timeOfId(BigInt(id)) > floor));
  }
  return [];
}
