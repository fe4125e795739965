import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from './circuit-breaker.js';

describe('circuit breaker', () => {
  it('opens after N consecutive failures, half-opens after the cooldown, closes on success', () => {
    let now = 0;
    const breaker = new CircuitBreaker({ threshold: 3, cooldownMs: 1000, now: () => now });
    breaker.recordFailure();
    breaker.recordFailure();
    expect(breaker.allow()).toBe(true);
    breaker.recordFailure();
    expect(breaker.state).toBe('open');
    expect(breaker.allow()).toBe(false);

    now = 1000;
    expect(breaker.state).toBe('half-open');
    expect(breaker.allow()).toBe(true); // one trial call
    expect(breaker.allow()).toBe(false); // and only one
    breaker.recordSuccess();
    expect(breaker.state).toBe('closed');
  });

  it('re-opens when the trial call fails', () => {
    let now = 0;
    const breaker = new CircuitBreaker({ threshold: 1, cooldownMs: 100, now: () => now });
    breaker.recordFailure();
    now = 100;
    expect(breaker.allow()).toBe(true);
    breaker.recordFailure();
    expect(breaker.state).toBe('open');
    expect(breaker.allow()).toBe(false);
  });

  it('a success resets the failure count', () => {
    const breaker = new CircuitBreaker({ threshold: 2, cooldownMs: 100 });
    breaker.recordFailure();
    breaker.recordSuccess();
    breaker.recordFailure();
    expect(breaker.state).toBe('closed');
  });
});
