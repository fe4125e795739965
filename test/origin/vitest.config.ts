import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

// Origin code in Node, against real PostgreSQL/Redis when TEST_DATABASE_URL/TEST_REDIS_URL are
// set (see .ci/run) and embedded adapters otherwise.
export default defineProject({
  test: {
    name: 'origin',
    environment: 'node',
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: [
      'origin/**/*.test.ts',
      'test/origin/**/*.test.ts',
      'test/contract/**/*.test.ts',
      'device-profiles/**/*.test.ts',
    ],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
