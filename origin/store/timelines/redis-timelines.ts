import calculateSlot from 'cluster-key-slot';
import { Cluster, type Redis } from 'ioredis';
import { EVENT_TYPES, type EventType } from '../../../shared/events.js';
import { timeOfId } from '../../../shared/ids.js';
import { pingRedis } from '../redis.js';
import {
  ADD_SCRIPT,
  BEGIN_SCRIPT,
  CLEAR_SCRIPT,
  COMPLETE_SCRIPT,
  PAGE_SCRIPT,
  REMOVE_SCRIPT,
  SCORE_OFFSET,
  SEGMENT_ENTRIES,
  STATE_SCRIPT,
} from './redis-timeline-scripts.js';
import {
  type TimelineEntry,
  type TimelineItem,
  type TimelineOptions,
  type TimelinePage,
  type TimelineRef,
  type TimelineState,
  type TimelineStore,
  type TimelineWrite,
  timelineKey,
} from './timeline-store.js';

// Entry encoding (the layout is in redis-timeline-scripts.ts): the member is the bare decimal id
// (a listpack stores it as a 64-bit integer), the score OFFSET - (ms * 32 + type index), so the
// type needs no bytes of its own and the newest entry sorts first.
const TYPE_SLOTS = 32;

function typeIndex(type: EventType): number {
  const i = EVENT_TYPES.indexOf(type);
  if (i < 0) throw new Error(`unknown event type ${type}`);
  return i;
}

/** The score of an entry of `type` at millisecond `ms`. */
export function entryScore(ms: number, type: EventType): number {
  return SCORE_OFFSET - (ms * TYPE_SLOTS + typeIndex(type));
}

function entryOfScore(member: string, score: number): TimelineEntry | null {
  if (member.startsWith('~')) return null; // a marker
  const type = EVENT_TYPES[(SCORE_OFFSET - score) % TYPE_SLOTS];
  return type ? { id: member, type } : null;
}

/**
 * Segments hold up to 100 entries plus late arrivals (listpack, about 20 bytes an entry). Redis's
 * default limit (128) already fits a head; a little more keeps a segment that took late entries
 * compact too. Managed Redis may forbid CONFIG: then timelines work, a few segments bigger.
 */
export async function tuneForTimelines(redis: Redis | Cluster): Promise<string | null> {
  try {
    const nodes = redis instanceof Cluster ? redis.nodes('master') : [redis];
    for (const node of nodes) {
      const [, current] = (await node.config('GET', 'zset-max-listpack-entries')) as [string, string];
      if (Number(current) < LISTPACK_ENTRIES) await node.config('SET', 'zset-max-listpack-entries', LISTPACK_ENTRIES);
    }
    return null;
  } catch (err) {
    return `could not raise zset-max-listpack-entries: ${(err as Error).message}`;
  }
}

const LISTPACK_ENTRIES = 256;

/** Keys per add call on a single Redis: bounds how long one call holds the server. */
const KEYS_PER_CALL = 500;
/** Entries of one timeline per add call (Lua's unpack has a stack limit). */
const ENTRIES_PER_KEY = 1000;
/** Page reads fetch this many more than asked: entries of one millisecond are ordered by id here (more than 16 of one timeline in one millisecond: vanishingly rare). */
const PAGE_HEADROOM = 16;

type Scripted = {
  timelineAdd(numKeys: number, ...args: (string | number)[]): Promise<number>;
  timelinePage(key: string, lo: string, hi: string, want: number, ttl: number): Promise<[number, number, ...string[]]>;
  timelineState(key: string, ttl: number): Promise<number>;
  timelineBegin(key: string, ttl: number): Promise<number>;
  timelineComplete(key: string, ...args: (string | number)[]): Promise<number>;
  timelineRemove(numKeys: number, ...args: string[]): Promise<number>;
  timelineClear(key: string): Promise<number>;
};

export class RedisTimelines implements TimelineStore {
  private readonly redis: (Redis | Cluster) & Scripted;
  private readonly isCluster: boolean;
  private readonly segment: number;

  constructor(
    redis: Redis | Cluster,
    private readonly opts: TimelineOptions,
  ) {
    redis.defineCommand('timelineAdd', { lua: ADD_SCRIPT });
    redis.defineCommand('timelinePage', { lua: PAGE_SCRIPT, numberOfKeys: 1 });
    redis.defineCommand('timelineState', { lua: STATE_SCRIPT, numberOfKeys: 1 });
    redis.defineCommand('timelineBegin', { lua: BEGIN_SCRIPT, numberOfKeys: 1 });
    redis.defineCommand('timelineComplete', { lua: COMPLETE_SCRIPT, numberOfKeys: 1 });
    redis.defineCommand('timelineRemove', { lua: REMOVE_SCRIPT });
    redis.defineCommand('timelineClear', { lua: CLEAR_SCRIPT, numberOfKeys: 1 });
    this.redis = redis as (Redis | Cluster) & Scripted;
    this.isCluster = redis instanceof Cluster;
    // A short timeline is trimmed exactly at every seal.
    this.segment = Math.min(SEGMENT_ENTRIES, opts.maxLength);
  }

  async add(writes: TimelineWrite[]): Promise<number> {
    // Writes that share their timelines array form a group whose entries each key gets in one
    // ZADD (a backfill: many entries, one list of readers); in fan-out every event is a group
    // of its own (one entry, its recipients). Grouping by array identity instead of by key keeps
    // this at a few allocations per key (fanout bench: this method allocated a third of the
    // origin's bytes when it grouped by key).
    const groups = new Map<TimelineRef[], { ids: Set<string>; pairs: string[] }>();
    for (const w of writes) {
      if (w.timelines.length === 0) continue;
      let g = groups.get(w.timelines);
      if (!g) {
        g = { ids: new Set(), pairs: [] };
        groups.set(w.timelines, g);
      }
      if (g.ids.has(w.entry.id)) continue;
      g.ids.add(w.entry.id);
      g.pairs.push(String(entryScore(w.ms, w.entry.type)), w.entry.id);
    }
    if (groups.size === 0) return 0;
    // Calls: KEYS_PER_CALL keys each (one slot each on a cluster); a group may span calls, and a
    // group with more entries than a call takes is sent in parts.
    const calls = new Map<string, { keys: string[]; args: (string | number)[] }>();
    let open = 0;
    let openCount = 0;
    const callFor = (key: string) => {
      let id: string;
      if (this.isCluster) id = String(calculateSlot(key));
      else {
        if (openCount >= KEYS_PER_CALL) {
          open++;
          openCount = 0;
        }
        openCount++;
        id = `c${open}`;
      }
      let call = calls.get(id);
      if (!call) {
        call = { keys: [], args: [this.segment, this.opts.maxLength] };
        calls.set(id, call);
      }
      return call;
    };
    for (const [refs, { pairs: all }] of groups) {
      const keys = refs.map(timelineKey);
      for (let at = 0; at < all.length; at += 2 * ENTRIES_PER_KEY) {
        const pairs = all.slice(at, at + 2 * ENTRIES_PER_KEY);
        // Consecutive keys of the group that land in the same call share one copy of the entries.
        let current: { keys: string[]; args: (string | number)[] } | null = null;
        let count = 0;
        for (const key of keys) {
          const call = callFor(key);
          if (call !== current) {
            if (current) current.args.push(count);
            call.args.push(pairs.length / 2, ...pairs);
            current = call;
            count = 0;
          }
          call.keys.push(key);
          count++;
        }
        if (current) current.args.push(count);
      }
    }
    const landed = await Promise.all(
      [...calls.values()].map((call) => this.redis.timelineAdd(call.keys.length, ...call.keys, ...call.args)),
    );
    return landed.reduce((a, b) => a + Number(b), 0);
  }

  async page(timeline: TimelineRef, olderThan: bigint | null, limit: number, sinceMs?: number): Promise<TimelinePage> {
    // Scores order by millisecond then type, not by id within one millisecond: read from the
    // cursor's millisecond (inclusive) with headroom, order by id, keep those strictly older.
    const lo = olderThan === null ? 0 : SCORE_OFFSET - (timeOfId(olderThan) * TYPE_SLOTS + TYPE_SLOTS - 1);
    const hi = sinceMs === undefined || sinceMs <= 0 ? SCORE_OFFSET : SCORE_OFFSET - sinceMs * TYPE_SLOTS;
    const reply = await this.redis.timelinePage(
      timelineKey(timeline),
      String(lo),
      String(hi),
      limit + PAGE_HEADROOM,
      this.opts.idleTtlMs,
    );
    const found = new Map<string, { entry: TimelineEntry; id: bigint }>();
    for (let i = 2; i < reply.length; i += 2) {
      const member = reply[i] as string;
      if (found.has(member)) continue; // a late copy in the head of an entry already sealed
      const entry = entryOfScore(member, Number(reply[i + 1]));
      if (!entry) continue;
      const id = BigInt(entry.id);
      if (olderThan === null || id < olderThan) found.set(member, { entry, id });
    }
    const entries = [...found.values()]
      .sort((a, b) => (a.id > b.id ? -1 : a.id < b.id ? 1 : 0))
      .slice(0, limit)
      .map((f) => f.entry);
    const state = reply[0] === 2 ? 'ready' : reply[0] === 1 ? 'building' : 'missing';
    return { state, entries, truncatedAtMs: reply[1] ? Number(reply[1]) : null };
  }

  async remove(timelines: TimelineRef[], entries: TimelineEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const members = entries.map((e) => e.id);
    const keys = new Set(timelines.map(timelineKey));
    await Promise.all(
      this.callGroups(keys).map((group) => this.redis.timelineRemove(group.length, ...group, ...members)),
    );
  }

  /** Keys per script call: one slot each on a cluster, KEYS_PER_CALL at a time on one Redis. */
  private callGroups(keys: Iterable<string>): string[][] {
    const groups: string[][] = [];
    if (this.isCluster) {
      const bySlot = new Map<number, string[]>();
      for (const key of keys) {
        const slot = calculateSlot(key);
        const g = bySlot.get(slot);
        if (g) g.push(key);
        else bySlot.set(slot, [key]);
      }
      groups.push(...bySlot.values());
    } else {
      const list = [...keys];
      for (let i = 0; i < list.length; i += KEYS_PER_CALL) groups.push(list.slice(i, i + KEYS_PER_CALL));
    }
    return groups;
  }

  async state(timeline: TimelineRef): Promise<TimelineState> {
    const s = await this.redis.timelineState(timelineKey(timeline), this.opts.idleTtlMs);
    return s === 2 ? 'ready' : s === 1 ? 'building' : 'missing';
  }

  async beginRebuild(timeline: TimelineRef): Promise<void> {
    await this.redis.timelineBegin(timelineKey(timeline), this.opts.idleTtlMs);
  }

  async completeRebuild(timeline: TimelineRef, items: TimelineItem[]): Promise<void> {
    const scored = new Map<string, number>();
    for (const w of items) scored.set(w.entry.id, entryScore(w.ms, w.entry.type));
    const newest = [...scored].sort((a, b) => a[1] - b[1]).slice(0, this.opts.maxLength);
    const args: (string | number)[] = [this.segment, this.opts.maxLength, this.opts.idleTtlMs];
    for (const [id, score] of newest) args.push(String(score), id);
    await this.redis.timelineComplete(timelineKey(timeline), ...args);
  }

  async clear(timeline: TimelineRef): Promise<void> {
    await this.redis.timelineClear(timelineKey(timeline));
  }

  /** Every master of a cluster must answer: each holds a share of the timelines. */
  async ping(): Promise<void> {
    await pingRedis(this.redis);
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
