// Moves committed outbox records into the queue, two ways:
//   - eagerly: a process that just committed records (items.ts, change.ts) hands them here;
//     within DISPATCH_DELAY_MS they are enqueued, records of every database together, and some
//     MARK_DELAY_MS later marked dispatched with one statement per database. Picking them back
//     out of the outbox in a transaction of their own cost Postgres three statements and a commit
//     per database and pass, about as much as writing them (test/bench/fanout.ts);
//   - by polling: every POLL_MS, records older than GRACE_MS and still not dispatched (their
//     writer crashed before enqueueing or marking them, a shard move copied them, the queue was
//     down) are picked in a transaction, enqueued inside it, marked and committed. A crash in
//     between re-enqueues them.
// Either way a record can reach the queue twice (the job id deduplicates, and jobs are
// idempotent anyway); what is committed is never lost.
// A record is done only when its job reports back (jobs/outbox-acks.ts marks it). Until then the
// poll hands it to the queue again, REDELIVER_MS after it last did and twice as long each time
// after: a job lost with its queue (Redis restarted without persistence) or one that became a
// dead letter is tried again, for as long as it takes, without a poison record flooding the queue.
// A database only relays rows it currently owns per the shard map, and never rows behind a
// write fence: during a shard move those belong to the mover (store/shards/mover.ts).
import type { OriginContext } from '../context.js';
import type { JobData } from '../store/queue/job-queue.js';
import type { Database } from '../store/shards/database.js';
import { fenceKeysMatchSql } from '../store/shards/fence.js';
import { FANOUT_JOB_EVENTS } from '../streams/fanout.js';

/** Records per pick from one database, and at most buffered for one eager enqueue. */
const BATCH = 500;
const POLL_MS = 1000;
/** Records younger than this are their writer's to dispatch (it marks them well within it). */
const GRACE_MS = 2000;
/**
 * How long committed records wait for others to join their enqueue: one bulk add, and jobs that
 * each hold many events of few databases, so fan-out loads them with few queries (at 10 ms, jobs
 * of a handful of events cost more queries per event than polling for them had).
 */
const DISPATCH_DELAY_MS = 50;
/** How long enqueued records wait to be marked dispatched together. */
const MARK_DELAY_MS = 200;

const PICK_SQL = `
SELECT seq::text AS seq, created_at::text AS created_at, owner_id::text AS owner_id, tenant_id, kind, payload,
       attempts
FROM outbox o
WHERE done_at IS NULL
  AND created_at < now() - $4::int * interval '1 millisecond'
  AND (dispatched_at IS NULL
       OR dispatched_at < now() - $5::int * interval '1 millisecond' * power(2, least(attempts - 1, 8)))
  AND (((owner_id >> 12) & 1023) = ANY($1::int[]) OR owner_id = ANY($2::bigint[]))
  AND NOT (owner_id = ANY($3::bigint[]))
  AND NOT EXISTS (SELECT 1 FROM shard_fences f WHERE ${fenceKeysMatchSql('f.key', 'o.owner_id')})
ORDER BY seq
LIMIT ${BATCH}
FOR UPDATE SKIP LOCKED`;

/** Marks enqueued records dispatched, except those a shard move now fences (the mover copies them). */
const MARK_SQL = `
UPDATE outbox o SET dispatched_at = now(), attempts = least(attempts + 1, 1000)
WHERE (seq, created_at) IN (SELECT unnest($1::bigint[]), unnest($2::timestamptz[]))
  AND NOT EXISTS (SELECT 1 FROM shard_fences f WHERE ${fenceKeysMatchSql('f.key', 'o.owner_id')})`;

/** One outbox record, as the relay reads it (seq and created_at, its key, as text). */
export interface OutboxRecord extends Record<string, unknown> {
  seq: string;
  created_at: string;
  /** The member whose shard holds the record (it is acknowledged there: jobs/outbox-acks.ts). */
  owner_id: string;
  tenant_id: string;
  kind: string;
  payload: Record<string, string>;
}

export class OutboxRelay {
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | null = null;
  private stopped = false;
  private started = false;
  /** Committed here, waiting for their enqueue. */
  private buffered: { db: Database; record: OutboxRecord }[] = [];
  private dispatchTimer: NodeJS.Timeout | undefined;
  /** The enqueues, one after the other. */
  private enqueuing: Promise<void> = Promise.resolve();
  /** Enqueued, waiting to be marked dispatched, per database. */
  private readonly unmarked = new Map<Database, OutboxRecord[]>();
  private markTimer: NodeJS.Timeout | undefined;
  private marking: Promise<void> = Promise.resolve();

  constructor(private readonly ctx: Pick<OriginContext, 'cluster' | 'queue' | 'log' | 'metrics' | 'config'>) {}

  start(): void {
    this.started = true;
    // Records of other processes that crashed, of shard moves, or from before this one started.
    this.timer = setInterval(() => this.poll(), POLL_MS);
    this.timer.unref();
    this.poll();
  }

  /**
   * `records` were just committed on `db`: enqueue them within DISPATCH_DELAY_MS. Before start()
   * or after stop() nothing is dispatched here; the outbox keeps the records for a poll.
   */
  dispatch(db: Database, records: OutboxRecord[]): void {
    if (this.stopped || !this.started) return;
    for (const record of records) this.buffered.push({ db, record });
    if (this.buffered.length >= BATCH) void this.flush();
    else this.dispatchTimer ??= setTimeout(() => void this.flush(), DISPATCH_DELAY_MS);
  }

  /** Enqueues what is buffered now, after the enqueues before it. */
  private flush(): Promise<void> {
    clearTimeout(this.dispatchTimer);
    this.dispatchTimer = undefined;
    // By database: consecutive records share a job (jobsOf keeps their order).
    const batch = this.buffered.sort((a, b) => a.db.name.localeCompare(b.db.name));
    this.buffered = [];
    if (batch.length > 0) this.enqueuing = this.enqueuing.then(() => this.enqueue(batch));
    return this.enqueuing;
  }

  private async enqueue(batch: { db: Database; record: OutboxRecord }[]): Promise<void> {
    try {
      await this.ctx.queue.addBulk(jobsOf(batch.map((b) => b.record)));
    } catch (err) {
      this.ctx.log.warn({ err, records: batch.length }, 'outbox relay: enqueue failed; the poll will relay them');
      return;
    }
    this.ctx.metrics.outboxDispatched.inc(batch.length);
    for (const { db, record } of batch) {
      const list = this.unmarked.get(db);
      if (list) list.push(record);
      else this.unmarked.set(db, [record]);
    }
    this.markTimer ??= setTimeout(() => void this.markEnqueued(), MARK_DELAY_MS);
  }

  /** Marks what was enqueued so far, one statement per database. */
  private markEnqueued(): Promise<void> {
    clearTimeout(this.markTimer);
    this.markTimer = undefined;
    const work = [...this.unmarked];
    this.unmarked.clear();
    const marks = work.map(([db, records]) =>
      db
        .rows(MARK_SQL, [records.map((r) => r.seq), records.map((r) => r.created_at)])
        // Left unmarked, they are relayed again by a poll after GRACE_MS: harmless.
        .catch((err) => this.ctx.log.warn({ err, shard: db.name }, 'outbox relay: marking dispatched failed')),
    );
    this.marking = this.marking.then(() => Promise.all(marks)).then(() => {});
    return this.marking;
  }

  /** Everything handed to dispatch() so far is enqueued and marked. */
  private async settle(): Promise<void> {
    await this.flush();
    await this.markEnqueued();
  }

  private poll(): void {
    if (this.stopped || this.polling) return;
    this.polling = this.drain(this.ctx.cluster.router.physical, GRACE_MS)
      .then(() => {})
      .catch((err) => this.ctx.log.warn({ err }, 'outbox relay poll failed; will retry'))
      .finally(() => {
        this.polling = null;
      });
  }

  /** Relays every record not yet dispatched, however young (tests and tools: "nothing left over"). */
  async drainAll(): Promise<number> {
    await this.settle();
    return this.drain(this.ctx.cluster.router.physical, 0);
  }

  /**
   * Relays the undispatched records older than `graceMs`, BATCH per database a round. A round
   * picks from every database at once, each in a transaction of its own, and enqueues all they
   * picked together, so one fan-out job holds events from every database (fewer, fuller jobs);
   * then each marks its records dispatched and commits. A crash or failure after the enqueue and
   * before a commit leaves that database's records to be picked again: their jobs run twice, harmlessly.
   */
  private async drain(shards: readonly Database[], graceMs: number): Promise<number> {
    let total = 0;
    let open = [...shards];
    while (open.length > 0) {
      const picks = await this.round(open, graceMs);
      total += picks.reduce((a, p) => a + p.n, 0);
      open = picks.filter((p) => p.n === BATCH).map((p) => p.shard);
    }
    return total;
  }

  private async round(shards: readonly Database[], graceMs: number): Promise<{ shard: Database; n: number }[]> {
    const router = this.ctx.cluster.router;
    const enqueued = deferred<boolean>();
    // What each database picked; [] when it failed. A promise settles once, so the catch below
    // resolving a second time changes nothing.
    const pickedOn = shards.map(() => deferred<OutboxRecord[]>());
    const transactions = shards.map((shard, i) => {
      const owned = [router.logicalShardsOn(shard.name), router.movedInto(shard.name), router.movedOutOf(shard.name)];
      return shard
        .transaction(async (rows) => {
          const picked = await rows<OutboxRecord & { attempts: number }>(PICK_SQL, [
            ...owned,
            graceMs,
            this.ctx.config.OUTBOX_REDELIVER_MS,
          ]);
          const again = picked.filter((r) => r.attempts > 0).length;
          if (again > 0) this.ctx.metrics.outboxRedelivered.inc(again);
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
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.timer);
    await this.polling;
    // What was handed over still goes out: the next process would relay it only after GRACE_MS.
    await this.settle();
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
export function jobsOf(rows: OutboxRecord[]): { name: string; data: JobData; opts: { jobId: string } }[] {
  const jobs: { name: string; data: JobData; opts: { jobId: string } }[] = [];
  const fanouts = new Map<string, OutboxRecord[]>();
  for (const row of rows) {
    if (row.kind === 'fanout' && row.payload.itemId) {
      const list = fanouts.get(row.tenant_id) ?? [];
      list.push(row);
      fanouts.set(row.tenant_id, list);
      continue;
    }
    jobs.push({
      name: row.kind,
      data: { tenant: row.tenant_id, ...row.payload, [OUTBOX_FIELD]: outboxRefs([row]) },
      opts: { jobId: `${row.kind}-${row.tenant_id}-${Object.values(row.payload).join('-')}-${row.seq}` },
    });
  }
  for (const [tenant, list] of fanouts) {
    for (let i = 0; i < list.length; i += FANOUT_JOB_EVENTS) {
      const chunk = list.slice(i, i + FANOUT_JOB_EVENTS);
      const ids = chunk.map((r) => r.payload.itemId!);
      jobs.push({
        name: 'fanout',
        data: { tenant, itemIds: ids.join(','), [OUTBOX_FIELD]: outboxRefs(chunk) },
        opts: { jobId: `fanout-${tenant}-${ids[0]}-${ids[ids.length - 1]}-${chunk.length}-${chunk[0]!.seq}` },
      });
    }
  }
  return jobs;
}

/** The job data field naming the outbox records a job carries out: acknowledged when it is done. */
export const OUTBOX_FIELD = 'outbox';

/** Records as a job carries them: `owner|seq|created_at`, comma-separated (outbox-acks.ts reads them). */
export function outboxRefs(records: Pick<OutboxRecord, 'owner_id' | 'seq' | 'created_at'>[]): string {
  return records.map((r) => `${r.owner_id}|${r.seq}|${r.created_at}`).join(',');
}

/** A promise and its resolve (Promise.withResolvers arrives in Node 22; we run on 20). */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}
