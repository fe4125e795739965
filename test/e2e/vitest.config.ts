import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

// End-to-end: `wrangler dev` running the edge in front of a live origin on real or embedded
// services. Slow to start, so one file holds the flows and shares both processes.
export default defineProject({
  test: {
    name: 'e2e',
    environment: 'node',
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['test/e2e/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
