import { defineConfig } from 'vitest/config';

// Three projects: edge code inside workerd, origin code in Node against real or embedded
// services, and end-to-end tests that run the edge (wrangler) against a live origin.
export default defineConfig({
  test: {
    projects: ['test/edge/vitest.config.ts', 'test/origin/vitest.config.ts', 'test/e2e/vitest.config.ts'],
    reporters: ['default', 'json'],
    outputFile: { json: 'test/output/vitest.json' },
  },
});
