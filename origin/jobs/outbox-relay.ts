// Moves committed outbox records from every shard into the queue. Enqueue happens inside the
// transaction that marks the records dispatched: a crash in between re-enqueues them (the job id
// deduplicates, and jobs are idempotent anyway), so nothing committed is lost.
// A database only relays rows it currently owns per the shard map, and never rows behind a
// write fence: during a shard move those belong to the mover (store/shards/mover.ts).
import type { OriginContext } from '../context.js';
import type { JobData } from '../store/queue/job-queue.js';
import type { Database } from '../store/shards/database.js';
import { FANOUT_JOB_EVENTS } from '../streams/fanout.js';

const BATCH = 500;
const POLL_MS = 250;
/** How long a kick waits for others to join it (a write is relayed within this, as a rule). */
const KICK_DELAY_MS = 10;

const PICK_SQL = `
SELECT seq::text AS seq, created_at::text AS created_at, tenant_id, kind, payload FROM outbox o
WHERE dispatched_at IS NULL
  AND (((owner_id >> 12) & 1023) = ANY($1::int[]) OR owner_id = ANY($2::bigint[]))
  AND NOT (owner_id = ANY($3::bigint[]))
  AND NOT EXISTS (
    SELECT 1 FROM shard_fences f
    WHERE f.key = 'L:' || ((o.owner_id >> 12) & 1023) OR f.key = 'M:' || o.owner_id)
ORDER BY seq
LIMIT ${BATCH}
FOR UPDATE SKIP LOCKED`;

const MARK_SQL = `
UPDATE outbox SET dispatched_at = now()
WHERE (seq, created_at) IN (SELECT unnest($1::bigint[]), unnest($2::timestamptz[]))`;

export interface Pending extends Record<string, unknown> {
  seq: string;
  created_at: string;
  tenant_id: string;
  kind: string;
  payload: Record<string, string>;
}

export class OutboxRelay {
  private timer: NodeJS.Timeout | undefined;
  private delay: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;
  private again = false;
  /** Databases written to since the last pass (kick), or all of them. */
  private readonly dirty = new Set<Database>();
  private everywhere = false;
  private stopped = false;
  private started = false;

  constructor(private readonly ctx: Pick<OriginContext, 'cluster' | 'queue' | 'log' | 'metrics'>) {}

  start(): void {
    this.started = true;
    // Every database now and then: records written by other processes, or before a crash.
    this.timer = setInterval(() => this.pass(true), POLL_MS);
    this.timer.unref();
    this.pass(true);
  }

  /**
   * A record was written (by `owner`'s shard when given): relay it within KICK_DELAY_MS. Kicks
   * in that window coalesce into one pass over just the databases that were written to: under
   * load a pass per write cost a transaction on every database each time.
   */
  kick(owner?: bigint): void {
    // Before start() (benchmarks, one-off tools) nothing relays; the outbox keeps the records.
    if (this.stopped || !this.started) return;
    if (owner === undefined) this.everywhere = true;
    else this.dirty.add(this.ctx.cluster.router.forMember(owner));
    if (this.delay) return;
    this.delay = setTimeout(() => {
      this.delay = undefined;
      this.pass();
    }, KICK_DELAY_MS);
  }

  /** Runs a relay pass now over the databases kicked (all on the timer), coalescing with one under way. */
  private pass(all = false): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      if (all) this.everywhere = true;
      return;
    }
    const shards = all || this.everywhere ? this.ctx.cluster.router.physical : [...this.dirty];
    this.dirty.clear();
    this.everywhere = false;
    this.running = this.drain(shards)
      .then(() => {})
      .catch((err) => this.ctx.log.warn({ err }, 'outbox relay pass failed; will retry'))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.pass();
        }
      });
  }

  async drainAll(): Promise<number> {
    return this.drain(this.ctx.cluster.router.physical);
  }

  /**
   * Relays what the databases hold, BATCH records per database a round. A round picks from every
   * database at once, each in a transaction of its own, and enqueues all they picked together,
   * so one fan-out job holds events from every database (fewer, fuller jobs); then each marks
   * its records dispatched and commits. A crash or failure after the enqueue and before a
   * commit leaves that database's records to be picked again: their jobs run twice, harmlessly.
   */
  private async drain(shards: readonly Database[]): Promise<number> {
    let total = 0;
    let open = [...shards];
    while (open.length > 0) {
      const picks = await this.round(open);
      total += picks.reduce((a, p) => a + p.n, 0);
      open = picks.filter((p) => p.n === BATCH).map((p) => p.shard);
    }
    return total;
  }

  private async round(shards: readonly Database[]): Promise<{ shard: Database; n: number }[]> {
    const router = this.ctx.cluster.router;
    const enqueued = deferred<boolean>();
    // What each database picked; [] when it failed. A promise settles once, so the catch below
    // resolving a second time changes nothing.
    const pickedOn = shards.map(() => deferred<Pending[]>());
    const transactions = shards.map((shard, i) => {
      const owned = [router.logicalShardsOn(shard.name), router.movedInto(shard.name), router.movedOutOf(shard.name)];
      return shard
        .transaction(async (rows) => {
          const picked = await rows<Pending>(PICK_SQL, owned);
          pickedOn[i]!.resolve(picked);
          if (picked.length === 0) return 0;
          if (!(await enqueued.promise)) throw new Error('outbox relay: enqueue failed');
          await rows(MARK_SQL, [picked.map((r) => r.seq), picked.map((r) => r.created_at)]);
          return picked.length;
        })
        .catch((err) => {
          // One unreachable shard must not stop the others' fan-out.
          pickedOn[i]!.resolve([]);
          this.ctx.log.warn({ err, shard: shard.name }, 'outbox relay: shard unavailable');
          return 0;
        });
    });
    const all = (await Promise.all(pickedOn.map((d) => d.promise))).flat();
    try {
      // One bulk add for the round: awaiting each add held the transactions for a round trip per record.
      if (all.length > 0) await this.ctx.queue.addBulk(jobsOf(all));
      enqueued.resolve(true);
    } catch (err) {
      enqueued.resolve(false);
      this.ctx.log.warn({ err }, 'outbox relay: enqueue failed; will retry');
    }
    const counts = await Promise.all(transactions);
    const relayed = counts.reduce((a, b) => a + b, 0);
    this.ctx.metrics.outboxDispatched.inc(relayed);
    return shards.map((shard, i) => ({ shard, n: counts[i]! }));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.delay);
    await this.running;
  }
}

/**
 * The jobs for a batch of outbox records. Fan-out records become one job per tenant and up to
 * FANOUT_JOB_EVENTS events (streams/fanout.ts loads their items and friends in one query per
 * database); every other record is a job of its own. Job ids name the records: a record
 * dispatched twice (crash before MARK, or copied by a shard move) is the same job when batched
 * the same way (and harmless otherwise: jobs are idempotent), while a later record for the same
 * item (a restore after a delete) is a new one. seq alone is per database, hence the payload too.
 */
export function jobsOf(rows: Pending[]): { name: string; data: JobData; opts: { jobId: string } }[] {
  const jobs: { name: string; data: JobData; opts: { jobId: string } }[] = [];
  const fanouts = new Map<string, Pending[]>();
  for (const row of rows) {
    if (row.kind === 'fanout' && row.payload.itemId) {
      const list = fanouts.get(row.tenant_id) ?? [];
      list.push(row);
      fanouts.set(row.tenant_id, list);
      continue;
    }
    jobs.push({
      name: row.kind,
      data: { tenant: row.tenant_id, ...row.payload },
      opts: { jobId: `${row.kind}-${row.tenant_id}-${Object.values(row.payload).join('-')}-${row.seq}` },
    });
  }
  for (const [tenant, list] of fanouts) {
    for (let i = 0; i < list.length; i += FANOUT_JOB_EVENTS) {
      const chunk = list.slice(i, i + FANOUT_JOB_EVENTS);
      const ids = chunk.map((r) => r.payload.itemId!);
      jobs.push({
        name: 'fanout',
        data: { tenant, itemIds: ids.join(',') },
        opts: { jobId: `fanout-${tenant}-${ids[0]}-${ids[ids.length - 1]}-${chunk.length}-${chunk[0]!.seq}` },
      });
    }
  }
  return jobs;
}

/** A promise and its resolve (Promise.withResolvers arrives in Node 22; we run on 20). */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}
