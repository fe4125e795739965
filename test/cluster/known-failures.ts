// Tests of the cluster project that fail on a Redis Cluster for a known reason outside the
// cluster plumbing, skipped there with that reason (they still run in the origin project).
// Run them anyway with CLUSTER_RUN_KNOWN_FAILURES=1 to see whether the reason is gone, and delete
// the entry when it is.
//
// Fan-out: RedisTimelines.add (origin/store/timelines/redis-timelines.ts) sends one fan-out batch
// as a single ioredis pipeline over timelines of several members; on a cluster those keys live on
// different nodes and ioredis rejects the pipeline ("All keys in the pipeline should belong to
// the same slots allocation group"), so fan-out jobs fail and timelines that already exist stop
// receiving posts (missing ones are still rebuilt from the shards on read, which is why most
// stream tests pass). The RedisTimelines rewrite that groups writes per slot fixes this.
const FANOUT_ACROSS_NODES =
  'fan-out pipeline spans cluster nodes (redis-timelines.ts, until the per-slot RedisTimelines lands)';

/** `file > test name` (the file relative to the repository root) → why it fails on a cluster. */
export const KNOWN_CLUSTER_FAILURES: Record<string, string> = {
  'test/origin/posts-and-streams.test.ts > pages with an opaque "older" cursor without gaps or repeats':
    FANOUT_ACROSS_NODES,
  'test/origin/posts-and-streams.test.ts > unfriending hides already fanned-out posts at once': FANOUT_ACROSS_NODES,
};
