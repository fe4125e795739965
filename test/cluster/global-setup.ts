// Starts the Redis Cluster the cluster project runs against and hands its URL to the test files
// (setup.ts); the returned teardown stops it, and the servers die with this process regardless.
import type { TestProject } from 'vitest/node';
import { startRedisCluster } from '../support/redis-cluster.js';

declare module 'vitest' {
  export interface ProvidedContext {
    redisClusterUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const cluster = await startRedisCluster({ masters: 3 });
  project.provide('redisClusterUrl', cluster.url);
  return () => cluster.stop();
}
