// The activity filter: for every member, the last minute they published something. Readers
// merging the timelines of many originators (pull at read time) ask it "which of these posted
// after T?" and skip the rest, so a pull over 1,000 friends touches only the few with news.
//
// Hand-written rather than a Map: 16 million members must fit in well under 256 MB and answer
// 1,000 lookups in well under a millisecond (test/bench/filter.ts). Open addressing over two
// Uint32Arrays — a 32-bit fingerprint of the id and the minute — is 8 bytes per slot. Two ids
// with the same fingerprint in one probe run share a slot holding the later minute, so the
// filter can answer "maybe active" for someone who was not (a wasted pull), never the reverse.
import { ID_EPOCH_MS } from '../../shared/ids.js';

const MINUTE = 60_000;
const MAX_LOAD = 0.8;

export class ActivityFilter {
  private readonly keys: Uint32Array;
  private readonly minutes: Uint32Array;
  private readonly slots: number;
  private used = 0;

  constructor(expectedMembers: number) {
    this.slots = Math.max(16, Math.ceil(expectedMembers / MAX_LOAD));
    this.keys = new Uint32Array(this.slots);
    this.minutes = new Uint32Array(this.slots);
  }

  get bytes(): number {
    return this.keys.byteLength + this.minutes.byteLength;
  }

  get size(): number {
    return this.used;
  }

  /** Empties the filter (before a rebuild). */
  clear(): void {
    this.keys.fill(0);
    this.minutes.fill(0);
    this.used = 0;
  }

  /** Notes that the member published at `ms` (keeps the latest). */
  record(memberId: bigint, ms: number): void {
    const minute = Math.max(1, Math.ceil((ms - ID_EPOCH_MS) / MINUTE));
    const [slot, fp] = this.find(memberId);
    if (this.keys[slot] === 0) {
      if (this.used + 1 > this.slots * 0.95) throw new Error('activity filter is full; size it for more members');
      this.keys[slot] = fp;
      this.used++;
    }
    if (this.minutes[slot]! < minute) this.minutes[slot] = minute;
  }

  /** Milliseconds of the end of the minute the member last published in, or null if never seen. */
  lastActive(memberId: bigint): number | null {
    const [slot] = this.find(memberId);
    return this.keys[slot] === 0 ? null : this.minutes[slot]! * MINUTE + ID_EPOCH_MS;
  }

  /**
   * The members among `memberIds` who may have published after `sinceMs`. Members the filter has
   * never seen are left out, or kept with `unknownIsActive` (when a missed record would hide posts).
   */
  activeSince<T extends bigint>(memberIds: readonly T[], sinceMs: number, unknownIsActive = false): T[] {
    // Stored minutes are rounded up, so anything after sinceMs has minute >= ceil(since): no misses,
    // and only activity in the minute before sinceMs can slip in.
    const sinceMinute = Math.ceil((sinceMs - ID_EPOCH_MS) / MINUTE);
    const out: T[] = [];
    for (const id of memberIds) {
      const [slot] = this.find(id);
      if (this.keys[slot] === 0 ? unknownIsActive : this.minutes[slot]! >= sinceMinute) out.push(id);
    }
    return out;
  }

  /** The slot holding this id (or the empty slot where it would go) and its fingerprint. */
  private find(memberId: bigint): [number, number] {
    const lo = Number(memberId & 0xffffffffn) | 0;
    const hi = Number(memberId >> 32n) | 0;
    // Two independent 32-bit mixes (murmur3 finaliser style): one picks the slot, one is kept.
    let h = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    let f = Math.imul(hi ^ Math.imul(lo, 0x27d4eb2f), 0x165667b1);
    f ^= f >>> 15;
    f = Math.imul(f, 0x85ebca77);
    f ^= f >>> 13;
    const fp = f >>> 0 || 1; // 0 marks an empty slot
    let slot = (h >>> 0) % this.slots;
    for (;;) {
      const k = this.keys[slot];
      if (k === 0 || k === fp) return [slot, fp];
      slot = slot + 1 === this.slots ? 0 : slot + 1;
    }
  }
}
