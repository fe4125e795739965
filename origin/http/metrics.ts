// Prometheus metrics: one registry per process, exposed at /metrics.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpRequests: new Counter({
      name: 'chorus_http_requests_total',
      help: 'HTTP requests served by the origin',
      labelNames: ['method', 'route', 'status'] as const,
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'chorus_http_request_duration_seconds',
      help: 'Origin request latency',
      labelNames: ['method', 'route'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    signatureRejections: new Counter({
      name: 'chorus_signature_rejections_total',
      help: 'Origin requests rejected for a missing, stale, bad or replayed signature',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    outboxDispatched: new Counter({
      name: 'chorus_outbox_dispatched_total',
      help: 'Outbox records handed to the queue',
      registers: [registry],
    }),
    timelineInserts: new Counter({
      name: 'chorus_timeline_inserts_total',
      help: 'Entries written into timelines by fan-out',
      registers: [registry],
    }),
    degradedCalls: new Counter({
      name: 'chorus_degraded_calls_total',
      help: 'Calls served without a dependency that was not answering (e.g. timeline reads from Postgres while Redis is down)',
      labelNames: ['dependency', 'call'] as const,
      registers: [registry],
    }),
    outboxRedelivered: new Counter({
      name: 'chorus_outbox_redelivered_total',
      help: 'Outbox records handed to the queue again because their job never reported back done',
      registers: [registry],
    }),
    timelineRebuilds: new Counter({
      name: 'chorus_timeline_rebuilds_total',
      help: 'Timelines rebuilt from Postgres because they were missing (new, flushed or expired)',
      labelNames: ['kind'] as const,
      registers: [registry],
    }),
    fanoutLag: new Histogram({
      name: 'chorus_fanout_lag_seconds',
      help: "From an event's commit until its fan-out job finished (what friends wait for)",
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers: [registry],
    }),
    queueJobs: new Gauge({
      name: 'chorus_queue_jobs',
      help: 'Jobs in the queue by state, read when metrics are scraped',
      labelNames: ['state'] as const,
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
