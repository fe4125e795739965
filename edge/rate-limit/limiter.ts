// Rate limiter interface and an in-isolate adapter.
//
// Design note: a Worker isolate is one of many (per machine, per colo), so counters kept in
// memory only limit what reaches this isolate: good enough to blunt a single client hammering
// one colo, and free. In production the same interface is backed by something shared:
//   - Cloudflare's Rate Limiting binding (`[[unsafe.bindings]] type = "ratelimit"`, `limit({key})`)
//     for per-colo counting without a round trip, or
//   - a Durable Object per key (idFromName(key)) holding a fixed window or token bucket, for
//     globally exact counts at the cost of one DO round trip per limited request.
// Only `hit` is needed, so swapping the adapter changes no middleware.

export interface RateDecision {
  allowed: boolean;
  /** Hits left in the current window (0 when refused). */
  remaining: number;
  /** Seconds until the window resets (for Retry-After). */
  retryAfterSeconds: number;
}

export interface RateLimiter {
  /** Counts one hit on `key` and says whether it stays within `limit` per `windowSeconds`. */
  hit(key: string, limit: number, windowSeconds: number): Promise<RateDecision>;
}

interface Window {
  count: number;
  resetsAt: number;
}

/** Fixed-window counters in a Map with TTL (entries past their window are dropped lazily). */
export class MemoryRateLimiter implements RateLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly maxKeys = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  async hit(key: string, limit: number, windowSeconds: number): Promise<RateDecision> {
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || window.resetsAt <= now) {
      this.evict(now);
      window = { count: 0, resetsAt: now + windowSeconds * 1000 };
      this.windows.set(key, window);
    }
    window.count += 1;
    const retryAfterSeconds = Math.max(1, Math.ceil((window.resetsAt - now) / 1000));
    const allowed = window.count <= limit;
    return { allowed, remaining: Math.max(0, limit - window.count), retryAfterSeconds };
  }

  /** Bounded memory: drop expired windows, then the oldest, when the map is full. */
  private evict(now: number): void {
    if (this.windows.size < this.maxKeys) return;
    for (const [key, window] of this.windows) if (window.resetsAt <= now) this.windows.delete(key);
    while (this.windows.size >= this.maxKeys) this.windows.delete(this.windows.keys().next().value!);
  }

  clear(): void {
    this.windows.clear();
  }
}
