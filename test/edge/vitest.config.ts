import { fileURLToPath } from 'node:url';
import { cloudflareTest } from '@cloudflare/vitest-pool-workers';
import { defineProject } from 'vitest/config';

// Edge code runs inside workerd (the Workers runtime), with the worker from wrangler.toml and
// test secrets; the origin is a fake that tests install over `fetch` (see fake-origin.ts).
export default defineProject({
  plugins: [
    cloudflareTest({
      main: './edge/worker.ts',
      wrangler: { configPath: './wrangler.toml' },
      miniflare: { bindings: { ORIGIN_SECRET: 'test-secret', SESSION_SECRET: 'test-session' } },
    }),
  ],
  test: {
    name: 'edge',
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['edge/**/*.test.ts', 'test/edge/**/*.test.ts'],
    testTimeout: 15_000,
  },
});
