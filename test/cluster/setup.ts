// Runs in every test file of the cluster project before the file is imported: every Redis the
// suites open (test/support/services.ts testRedisUrl) is the cluster from global-setup.ts.
import { inject } from 'vitest';

process.env.TEST_REDIS_URL = inject('redisClusterUrl');
