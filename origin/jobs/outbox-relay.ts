// Moves committed outbox records from every shard into the queue. Enqueue happens inside the
// transaction that marks the records dispatched: a crash in between re-enqueues them (the job id
// deduplicates, and jobs are idempotent anyway), so nothing committed is lost.
import { and, inArray, isNull } from 'drizzle-orm';
import type { OriginContext } from '../context.js';
import type { Database } from '../store/shards/database.js';
import { outbox } from '../store/shards/schema-shard.js';

const BATCH = 500;
const POLL_MS = 250;

export class OutboxRelay {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(private readonly ctx: Pick<OriginContext, 'cluster' | 'queue' | 'log' | 'metrics'>) {}

  start(): void {
    this.timer = setInterval(() => this.kick(), POLL_MS);
    this.timer.unref();
    this.kick();
  }

  /** Runs a relay pass now (coalescing with one already under way). */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drainAll()
      .then(() => {})
      .catch((err) => this.ctx.log.warn({ err }, 'outbox relay pass failed; will retry'))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  async drainAll(): Promise<number> {
    let total = 0;
    for (const shard of this.ctx.cluster.router.physical) {
      for (;;) {
        const n = await this.drainOnce(shard);
        total += n;
        if (n < BATCH) break;
      }
    }
    return total;
  }

  private async drainOnce(shard: Database): Promise<number> {
    return shard.db.transaction(async (tx) => {
      const rows = await tx
        .select()
        .from(outbox)
        .where(isNull(outbox.dispatchedAt))
        .orderBy(outbox.seq)
        .limit(BATCH)
        .for('update', { skipLocked: true });
      if (rows.length === 0) return 0;
      for (const row of rows) {
        const key = Object.values(row.payload).join('-');
        await this.ctx.queue.add(
          row.kind,
          { tenant: row.tenantId, ...row.payload },
          { jobId: `${row.kind}-${row.tenantId}-${key}` },
        );
      }
      await tx
        .update(outbox)
        .set({ dispatchedAt: new Date() })
        .where(
          and(
            isNull(outbox.dispatchedAt),
            inArray(
              outbox.seq,
              rows.map((r) => r.seq),
            ),
          ),
        );
      this.ctx.metrics.outboxDispatched.inc(rows.length);
      return rows.length;
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }
}
