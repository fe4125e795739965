// In-process timelines for `npm start` without Redis. Same contract as RedisTimelines, including
// markers, trimming and idle expiry.
import { timeOfId } from '../../../shared/ids.js';
import { mriRefs } from './mri-list.js';
import {
  compareIdsDesc,
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

interface Timeline {
  /** Newest first. */
  entries: TimelineEntry[];
  ready: boolean;
  /** See TimelinePage.truncatedAtMs. */
  truncatedAtMs: number | null;
  expiresAt: number;
}

export class MemoryTimelines implements TimelineStore {
  private readonly timelines = new Map<string, Timeline>();

  constructor(
    private readonly opts: TimelineOptions,
    private readonly now: () => number = Date.now,
  ) {}

  private get(ref: TimelineRef): Timeline | undefined {
    const key = timelineKey(ref);
    const t = this.timelines.get(key);
    if (t && t.expiresAt <= this.now()) {
      this.timelines.delete(key);
      return undefined;
    }
    return t;
  }

  private insert(t: Timeline, entry: TimelineEntry): void {
    if (t.entries.some((e) => e.id === entry.id && e.type === entry.type)) return;
    t.entries.push(entry);
    t.entries.sort((a, b) => compareIdsDesc(a.id, b.id));
    if (t.entries.length > this.opts.maxLength) {
      t.entries.length = this.opts.maxLength;
      t.truncatedAtMs = timeOfId(BigInt(t.entries.at(-1)!.id));
    }
  }

  async add(writes: TimelineWrite[]): Promise<number> {
    let landed = 0;
    for (const w of writes) {
      for (const ref of w.mris ? [...w.timelines, ...mriRefs(w.mris)] : w.timelines) {
        const t = this.get(ref);
        if (!t) continue;
        this.insert(t, w.entry);
        landed++;
      }
    }
    return landed;
  }

  async page(timeline: TimelineRef, olderThan: bigint | null, limit: number, sinceMs?: number): Promise<TimelinePage> {
    const state = await this.state(timeline);
    const t = this.get(timeline);
    const floor = t?.truncatedAtMs ?? null;
    const list = (t?.entries ?? []).filter((e) => floor === null || timeOfId(BigInt(e.id)) >= floor);
    const start = olderThan === null ? 0 : list.findIndex((e) => BigInt(e.id) < olderThan);
    const page = start < 0 ? [] : list.slice(start, start + limit);
    const entries = sinceMs === undefined ? page : page.filter((e) => timeOfId(BigInt(e.id)) >= sinceMs);
    return { state, entries, truncatedAtMs: floor };
  }

  async remove(timelines: TimelineRef[], entries: TimelineEntry[]): Promise<void> {
    for (const timeline of timelines) {
      const t = this.get(timeline);
      if (t) t.entries = t.entries.filter((e) => !entries.some((r) => r.id === e.id && r.type === e.type));
    }
  }

  async state(timeline: TimelineRef): Promise<TimelineState> {
    const t = this.get(timeline);
    if (!t) return 'missing';
    t.expiresAt = this.now() + this.opts.idleTtlMs;
    return t.ready ? 'ready' : 'building';
  }

  async beginRebuild(timeline: TimelineRef): Promise<void> {
    if (this.get(timeline)) return;
    this.timelines.set(timelineKey(timeline), {
      entries: [],
      ready: false,
      truncatedAtMs: null,
      expiresAt: this.now() + this.opts.idleTtlMs,
    });
  }

  async completeRebuild(timeline: TimelineRef, items: TimelineItem[]): Promise<void> {
    await this.beginRebuild(timeline);
    const t = this.get(timeline)!;
    for (const w of items) this.insert(t, w.entry);
    if (items.length >= this.opts.maxLength && t.entries.length > 0)
      t.truncatedAtMs = Math.max(t.truncatedAtMs ?? 0, timeOfId(BigInt(t.entries.at(-1)!.id)));
    t.ready = true;
    t.expiresAt = this.now() + this.opts.idleTtlMs;
  }

  async clear(timeline: TimelineRef): Promise<void> {
    this.timelines.delete(timelineKey(timeline));
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    this.timelines.clear();
  }
}
