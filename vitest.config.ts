import { defineConfig } from 'vitest/config';

// Four projects: edge code inside workerd, origin code in Node against real or embedded
// services, end-to-end tests that run the edge (wrangler) against a live origin, and real-browser
// tests in Debian's Chromium.
export default defineConfig({
  test: {
    projects: [
      'test/edge/vitest.config.ts',
      'test/origin/vitest.config.ts',
      'test/e2e/vitest.config.ts',
      'test/browser/vitest.config.ts',
    ],
    reporters: ['default', 'json'],
    outputFile: { json: 'test/output/vitest.json' },
  },
});
