// Runs in every test file of the cluster project before the file is imported: every Redis the
// suites open (test/support/services.ts testRedisUrl) is the cluster from global-setup.ts, and
// tests listed in known-failures.ts are skipped with their reason.
import { beforeEach, inject } from 'vitest';
import { KNOWN_CLUSTER_FAILURES } from './known-failures.js';

process.env.TEST_REDIS_URL = inject('redisClusterUrl');

beforeEach((ctx) => {
  if (process.env.CLUSTER_RUN_KNOWN_FAILURES) return;
  const reason = KNOWN_CLUSTER_FAILURES[`${ctx.task.file.name} > ${ctx.task.name}`];
  if (reason) ctx.skip(`known failure on a Redis Cluster: ${reason}`);
});
