import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

// Real-browser tests: Debian's Chromium (apt-get install chromium), driven by playwright-core,
// against `wrangler dev` running the edge in front of a live origin.
export default defineProject({
  test: {
    name: 'browser',
    environment: 'node',
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['test/browser/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 150_000,
  },
});
