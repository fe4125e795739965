import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

// The Redis-backed adapters and the origin's stream suites again, against a Redis Cluster of three
// masters that global setup starts on loopback ports (test/support/redis-cluster.ts) and stops
// afterwards. Every test file sees TEST_REDIS_URL=redis-cluster://... (setup.ts); PostgreSQL is
// the same as the origin project's (TEST_DATABASE_URL, or embedded PGlite): each origin test
// file signs up its members in a tenant of its own, so the two projects can share the databases.
export default defineProject({
  test: {
    name: 'cluster',
    environment: 'node',
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: [
      'test/cluster/**/*.test.ts',
      'test/contract/timelines.test.ts',
      'test/contract/nonces.test.ts',
      'test/contract/queue.test.ts',
      'test/origin/posts-and-streams.test.ts',
      'test/origin/notifications.test.ts',
      'test/origin/activity-streams.test.ts',
      'test/origin/streams-past-the-timeline.test.ts',
      'test/origin/audience-and-cursors.test.ts',
      'test/origin/lifecycle.test.ts',
      // On a Redis Cluster of its own (test/origin/oracle/services.ts), beside the shared one.
      'test/origin/streams-oracle.test.ts',
    ],
    globalSetup: ['test/support/global-setup.ts', 'test/cluster/global-setup.ts'],
    setupFiles: ['test/cluster/setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
