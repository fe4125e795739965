// A small circuit breaker: after `threshold` consecutive failures the origin is presumed down
// and calls fail fast (no waiting on a timeout per visitor) until `cooldownMs` has passed; then
// one trial call goes through (half-open) and its outcome closes or re-opens the circuit.
// What counts as a failure is the client's choice (origin-client.ts): no answer at all, or the
// origin saying that as a whole it cannot serve; never a 4xx, a 500 or one shard's 503.
export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerOptions {
  threshold: number;
  cooldownMs: number;
  now?: () => number;
}

export class CircuitBreaker {
  private failures = 0;
  private openedAt = 0;
  private trialInFlight = false;
  private readonly now: () => number;

  constructor(private readonly options: BreakerOptions) {
    this.now = options.now ?? Date.now;
  }

  get state(): BreakerState {
    if (this.failures < this.options.threshold) return 'closed';
    return this.now() - this.openedAt >= this.options.cooldownMs ? 'half-open' : 'open';
  }

  /** Whether a call may go out now; in half-open only one trial call at a time. */
  allow(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'open' || this.trialInFlight) return false;
    this.trialInFlight = true;
    return true;
  }

  recordSuccess(): void {
    this.failures = 0;
    this.trialInFlight = false;
  }

  recordFailure(): void {
    this.trialInFlight = false;
    this.failures += 1;
    if (this.failures >= this.options.threshold) this.openedAt = this.now();
  }

  reset(): void {
    this.failures = 0;
    this.openedAt = 0;
    this.trialInFlight = false;
  }
}

// One breaker per origin URL and tenant, shared by all requests in this isolate. Per tenant:
// a tenant whose calls time out (its shard's database hangs) must not stop every other
// community's calls. The host lookup, which has no tenant yet, has its own (tenant '').
const breakers = new Map<string, CircuitBreaker>();
/** Tenants are few, but the map must stay bounded whatever happens. */
const MAX_BREAKERS = 10_000;

export function breakerFor(baseUrl: string, tenant: string): CircuitBreaker {
  const key = `${baseUrl}|${tenant}`;
  let breaker = breakers.get(key);
  if (!breaker) {
    if (breakers.size >= MAX_BREAKERS) breakers.delete(breakers.keys().next().value!);
    breaker = new CircuitBreaker({ threshold: 5, cooldownMs: 10_000 });
    breakers.set(key, breaker);
  }
  return breaker;
}

/** For tests: forget all breaker state. */
export function resetBreakers(): void {
  breakers.clear();
}
