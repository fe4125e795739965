// Id generator: k-sorted 64-bit ids carrying the logical shard, minted locally without a round
// trip. Uniqueness across processes comes from a leased generator slot (see schema-directory.ts);
// uniqueness across crashes from never stamping an id past the lease, which the next holder of
// the slot can only take after it has passed.
import { randomUUID } from 'node:crypto';
import { and, eq, lt } from 'drizzle-orm';
import { composeId, ID_EPOCH_MS, LOGICAL_SHARDS, SEQ_BITS, SLOT_BITS } from '../../../shared/ids.js';
import type { Database } from './database.js';
import { idSlots } from './schema-directory.js';

const SLOTS = 1 << Number(SLOT_BITS);
const SEQ_MAX = 1 << Number(SEQ_BITS);

export interface IdGeneratorOptions {
  leaseMs?: number;
  /** How far ahead of the clock a busy shard may borrow milliseconds before waiting. */
  maxBorrowMs?: number;
  now?: () => number;
}

export class IdLeaseLostError extends Error {}

export class IdGenerator {
  private readonly lastMs = new Float64Array(LOGICAL_SHARDS);
  private readonly seq = new Uint8Array(LOGICAL_SHARDS);
  private renewTimer: NodeJS.Timeout | undefined;
  private constructor(
    private readonly directory: Database,
    readonly slot: number,
    private leaseUntilMs: number,
    private readonly holder: string,
    private readonly leaseMs: number,
    private readonly maxBorrowMs: number,
    private readonly now: () => number,
  ) {}

  static async start(directory: Database, opts: IdGeneratorOptions = {}): Promise<IdGenerator> {
    const leaseMs = opts.leaseMs ?? 60_000;
    const now = opts.now ?? Date.now;
    const holder = randomUUID();
    await directory.db
      .insert(idSlots)
      .values(Array.from({ length: SLOTS }, (_, slot) => ({ slot })))
      .onConflictDoNothing();
    const taken = await directory.db.transaction(async (tx) => {
      const t = now();
      const [free] = await tx
        .select()
        .from(idSlots)
        .where(lt(idSlots.leaseUntilMs, t))
        .orderBy(idSlots.leaseUntilMs)
        .limit(1)
        .for('update', { skipLocked: true });
      if (!free) return null;
      await tx
        .update(idSlots)
        .set({ holder, leaseUntilMs: t + leaseMs })
        .where(eq(idSlots.slot, free.slot));
      // Ids must be stamped after everything the previous holder could have minted.
      return { slot: free.slot, previousUntil: free.leaseUntilMs, leaseUntil: t + leaseMs };
    });
    if (!taken) throw new Error(`all ${SLOTS} id generator slots are leased; is a process leaking them?`);
    const gen = new IdGenerator(
      directory,
      taken.slot,
      taken.leaseUntil,
      holder,
      leaseMs,
      opts.maxBorrowMs ?? 1000,
      now,
    );
    gen.lastMs.fill(Math.max(taken.previousUntil + 1, ID_EPOCH_MS));
    gen.renewTimer = setInterval(() => void gen.renew().catch(() => {}), Math.floor(leaseMs / 3));
    gen.renewTimer.unref();
    return gen;
  }

  /** Extends the lease; called on a timer. Fails if another holder took the slot. */
  async renew(): Promise<void> {
    const until = this.now() + this.leaseMs;
    const updated = await this.directory.db
      .update(idSlots)
      .set({ leaseUntilMs: until })
      .where(and(eq(idSlots.slot, this.slot), eq(idSlots.holder, this.holder)))
      .returning({ slot: idSlots.slot });
    if (updated.length === 0) throw new IdLeaseLostError(`id slot ${this.slot} was taken over`);
    this.leaseUntilMs = until;
  }

  /** Mints one id on the given logical shard. Synchronous and allocation-light: the hot path. */
  next(shard: number): bigint {
    let t = this.now();
    const last = this.lastMs[shard]!;
    if (t <= last) {
      t = last;
      const s = this.seq[shard]! + 1;
      if (s >= SEQ_MAX) {
        t = last + 1; // borrow the next millisecond rather than spin
        this.seq[shard] = 0;
      } else {
        this.seq[shard] = s;
      }
    } else {
      this.seq[shard] = 0;
    }
    if (t > this.leaseUntilMs || t - this.now() > this.maxBorrowMs) {
      throw new IdLeaseLostError('id lease expired or borrowing too far ahead; refusing to mint');
    }
    this.lastMs[shard] = t;
    return composeId(t, shard, this.slot, this.seq[shard]!);
  }

  /** Gives the slot back on a clean shutdown so another process can take it at once. */
  async stop(): Promise<void> {
    clearInterval(this.renewTimer);
    // Keep leaseUntil at the highest ms we may have stamped; the slot frees when that passes.
    const highest = Math.max(...this.lastMs);
    await this.directory.db
      .update(idSlots)
      .set({ holder: null, leaseUntilMs: Math.min(this.leaseUntilMs, Math.max(highest, this.now())) })
      .where(and(eq(idSlots.slot, this.slot), eq(idSlots.holder, this.holder)));
  }
}
