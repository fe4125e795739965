import calculateSlot from 'cluster-key-slot';
import { Cluster, type Redis } from 'ioredis';
import { EVENT_TYPES, type EventType } from '../../../shared/events.js';
import { composeId, ID_EPOCH_MS, timeOfId } from '../../../shared/ids.js';
import { pingRedis } from '../redis.js';
import { mriRefs, splitMriList } from './mri-list.js';
import {
  ADD_LIST_SCRIPT,
  ADD_SCRIPT,
  BEGIN_SCRIPT,
  CLEAR_SCRIPT,
  COMPLETE_SCRIPT,
  PAGE_SCRIPT,
  REMOVE_SCRIPT,
  SEGMENT_ENTRIES,
  STATE_SCRIPT,
} from './redis-timeline-scripts.js';
import {
  MRI_KEY_SUFFIX,
  mriKeyPrefix,
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

// Entry encoding (the layout is in redis-timeline-scripts.ts): an entry is its id and the index
// of its event type in EVENT_TYPES, two list elements that a listpack stores as integers.
const TYPE_INDEX = new Map<string, string>(EVENT_TYPES.map((t, i) => [t, String(i)]));

function typeIndex(type: EventType): string {
  const i = TYPE_INDEX.get(type);
  if (i === undefined) throw new Error(`unknown event type ${type}`);
  return i;
}

/** Newest first, by id (ids are k-sorted). */
const byIdDesc = (a: { id: bigint }, b: { id: bigint }) => (a.id > b.id ? -1 : a.id < b.id ? 1 : 0);

/** Keys per add call on a single Redis: bounds how long one call holds the server. */
const KEYS_PER_CALL = 500;
/** Entries of one timeline per add call (Lua's unpack has a stack limit). */
const ENTRIES_PER_KEY = 1000;

type Scripted = {
  timelineAdd(numKeys: number, ...args: (string | number)[]): Promise<number>;
  timelineAddList(...args: (string | number)[]): Promise<number>;
  timelinePage(
    key: string,
    before: string,
    since: string,
    want: number,
    ttl: number,
  ): Promise<[number, string, ...string[]]>;
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
  private readonly prefix: string;
  /** A timeline's Redis key: this deployment's prefix and timelineKey. */
  private readonly key = (ref: TimelineRef) => this.prefix + timelineKey(ref);

  constructor(
    redis: Redis | Cluster,
    private readonly opts: TimelineOptions,
  ) {
    redis.defineCommand('timelineAdd', { lua: ADD_SCRIPT });
    redis.defineCommand('timelineAddList', { lua: ADD_LIST_SCRIPT, numberOfKeys: 0 });
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
    this.prefix = opts.keyPrefix ?? '';
  }

  async add(writes: TimelineWrite[]): Promise<number> {
    const keyed: TimelineWrite[] = [];
    const listed: TimelineWrite[] = [];
    for (const w of writes) {
      keyed.push(w);
      if (!w.mris || w.mris.count === 0) continue;
      // A cluster routes each key to its slot, so there every MRI is named by its key.
      if (this.isCluster) keyed.push({ entry: w.entry, ms: w.ms, timelines: mriRefs(w.mris) });
      else listed.push(w);
    }
    const landed = await Promise.all([
      ...this.keyedCalls(keyed).map((call) => this.redis.timelineAdd(call.keys.length, ...call.keys, ...call.args)),
      ...this.listCalls(listed).map((args) => this.redis.timelineAddList(...args)),
    ]);
    return landed.reduce((a, b) => a + Number(b), 0);
  }

  /** ADD_SCRIPT calls for the writes' timelines (refs), KEYS_PER_CALL keys or one slot each. */
  private keyedCalls(writes: TimelineWrite[]): { keys: string[]; args: (string | number)[] }[] {
    // Writes that share their timelines array form a group whose entries each key gets in one
    // LPUSHX (a backfill: many entries, one list of readers); in fan-out every event is a group
    // of its own (one entry, its recipients). Grouping by array identity instead of by key keeps
    // this at a few allocations per key (fanout bench: this method allocated a third of the
    // origin's bytes when it grouped by key).
    const groups = new Map<TimelineRef[], { ids: Set<string>; elements: string[] }>();
    for (const w of writes) {
      if (w.timelines.length === 0) continue;
      let g = groups.get(w.timelines);
      if (!g) {
        g = { ids: new Set(), elements: [] };
        groups.set(w.timelines, g);
      }
      if (g.ids.has(w.entry.id)) continue;
      g.ids.add(w.entry.id);
      g.elements.push(typeIndex(w.entry.type), w.entry.id);
    }
    if (groups.size === 0) return [];
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
    for (const [refs, { elements: all }] of groups) {
      const keys = refs.map(this.key);
      for (let at = 0; at < all.length; at += 2 * ENTRIES_PER_KEY) {
        const elements = all.length <= 2 * ENTRIES_PER_KEY ? all : all.slice(at, at + 2 * ENTRIES_PER_KEY);
        // Consecutive keys of the group that land in the same call share one copy of the entries.
        let current: { keys: string[]; args: (string | number)[] } | null = null;
        let count = 0;
        for (const key of keys) {
          const call = callFor(key);
          if (call !== current) {
            if (current) current.args.push(count);
            call.args.push(elements.length / 2, ...elements);
            current = call;
            count = 0;
          }
          call.keys.push(key);
          count++;
        }
        if (current) current.args.push(count);
      }
    }
    return [...calls.values()];
  }

  /** ADD_LIST_SCRIPT calls for the writes' MRI lists (a single Redis), KEYS_PER_CALL MRIs each. */
  private listCalls(writes: TimelineWrite[]): (string | number)[][] {
    const calls: (string | number)[][] = [];
    let args: (string | number)[] = [];
    let size = KEYS_PER_CALL;
    for (const w of writes) {
      for (const part of splitMriList(w.mris!, KEYS_PER_CALL)) {
        if (size + part.count > KEYS_PER_CALL) {
          args = [this.segment, this.opts.maxLength, MRI_KEY_SUFFIX];
          calls.push(args);
          size = 0;
        }
        args.push(this.prefix + mriKeyPrefix(part.tenant), 1, typeIndex(w.entry.type), w.entry.id, part.owners);
        size += part.count;
      }
    }
    return calls;
  }

  async page(timeline: TimelineRef, olderThan: bigint | null, limit: number, sinceMs?: number): Promise<TimelinePage> {
    const since = sinceMs !== undefined && sinceMs > ID_EPOCH_MS ? composeId(sinceMs, 0, 0, 0).toString() : '';
    const reply = await this.redis.timelinePage(
      this.key(timeline),
      olderThan === null ? '' : olderThan.toString(),
      since,
      limit,
      this.opts.idleTtlMs,
    );
    const floorMs = reply[1] ? timeOfId(reply[1]) : null;
    const floorStart = floorMs === null ? null : composeId(floorMs, 0, 0, 0); // its millisecond's first id
    // Unordered, each entry once; below the floor only late arrivals.
    const found: { entry: TimelineEntry; id: bigint }[] = [];
    for (let i = 2; i < reply.length; i += 2) {
      const member = reply[i] as string;
      const type = EVENT_TYPES[Number(reply[i + 1])];
      if (!type) continue;
      const id = BigInt(member);
      if (floorStart !== null && id < floorStart) continue;
      found.push({ entry: { id: member, type }, id });
    }
    const entries = found
      .sort(byIdDesc)
      .slice(0, limit)
      .map((f) => f.entry);
    const state = reply[0] === 2 ? 'ready' : reply[0] === 1 ? 'building' : 'missing';
    return { state, entries, truncatedAtMs: floorMs };
  }

  async remove(timelines: TimelineRef[], entries: TimelineEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const members = entries.map((e) => e.id);
    const keys = new Set(timelines.map(this.key));
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
    const s = await this.redis.timelineState(this.key(timeline), this.opts.idleTtlMs);
    return s === 2 ? 'ready' : s === 1 ? 'building' : 'missing';
  }

  async beginRebuild(timeline: TimelineRef): Promise<void> {
    await this.redis.timelineBegin(this.key(timeline), this.opts.idleTtlMs);
  }

  async completeRebuild(timeline: TimelineRef, items: TimelineItem[]): Promise<void> {
    const byId = new Map<string, { id: bigint; type: string }>();
    for (const w of items) byId.set(w.entry.id, { id: BigInt(w.entry.id), type: typeIndex(w.entry.type) });
    const newest = [...byId.values()].sort(byIdDesc).slice(0, this.opts.maxLength);
    const args: (string | number)[] = [this.segment, this.opts.maxLength, this.opts.idleTtlMs];
    for (const e of newest) args.push(e.id.toString(), e.type);
    await this.redis.timelineComplete(this.key(timeline), ...args);
  }

  async clear(timeline: TimelineRef): Promise<void> {
    await this.redis.timelineClear(this.key(timeline));
  }

  /** Every master of a cluster must answer: each holds a share of the timelines. */
  async ping(): Promise<void> {
    await pingRedis(this.redis);
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
