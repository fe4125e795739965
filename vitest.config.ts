import { defineConfig } from 'vitest/config';

// Five projects: edge code inside workerd, origin code in Node against real or embedded
// services, the Redis-backed adapters and stream suites again on a Redis Cluster the tests start,
// end-to-end tests that run the edge (wrangler) against a live origin, and real-browser tests in
// Debian's Chromium.
export default defineConfig({
  test: {
    projects: [
      'test/edge/vitest.config.ts',
      'test/origin/vitest.config.ts',
      'test/cluster/vitest.config.ts',
      'test/e2e/vitest.config.ts',
      'test/browser/vitest.config.ts',
    ],
    reporters: ['default', 'json'],
    outputFile: { json: 'test/output/vitest.json' },
  },
});
