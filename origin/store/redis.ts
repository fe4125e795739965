// One place that opens Redis connections, so every adapter shares settings (and tests can
// point them all at TEST_REDIS_URL).
//
// Two URL forms:
//   redis://[user:pass@]host:port[/db]  (rediss:// for TLS)        one Redis server
//   redis-cluster://[user:pass@]host:port,host:port,...            a Redis Cluster, by any of
//                                                                  its nodes (rediss-cluster:// for TLS)
// In a cluster every multi-key operation must stay in one hash slot: timeline keys carry a hash
// tag (timelineKey) and BullMQ queues a hash-tagged prefix (BullmqQueue).
import { Cluster, type ClusterNode, Redis } from 'ioredis';
import { redactUrls } from '../log/redact.js';

export type RedisClient = Redis | Cluster;

const CLUSTER_SCHEME = /^(rediss?)-cluster:\/\//;

export function isClusterUrl(url: string): boolean {
  return CLUSTER_SCHEME.test(url);
}

export interface ClusterUrl {
  nodes: { host: string; port: number }[];
  username?: string;
  password?: string;
  tls: boolean;
}

/** Parses `redis-cluster://[user:pass@]host:port,host:port,...`; throws on a malformed one. */
export function parseClusterUrl(url: string): ClusterUrl {
  const scheme = CLUSTER_SCHEME.exec(url);
  if (!scheme) throw new Error(`not a redis-cluster:// URL: ${redactUrls(url)}`);
  let rest = url.slice(scheme[0].length).replace(/\/+$/, '');
  let username: string | undefined;
  let password: string | undefined;
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    const auth = rest.slice(0, at);
    rest = rest.slice(at + 1);
    const colon = auth.indexOf(':');
    username = decodeURIComponent(colon >= 0 ? auth.slice(0, colon) : auth) || undefined;
    password = colon >= 0 ? decodeURIComponent(auth.slice(colon + 1)) : undefined;
  }
  const nodes = rest
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((hostPort) => {
      const m = /^(\[[^\]]+\]|[^:/]+)(?::(\d+))?$/.exec(hostPort);
      const port = m?.[2] ? Number(m[2]) : 6379;
      if (!m || port < 1 || port > 65535) throw new Error(`bad cluster node "${hostPort}" in ${redactUrls(url)}`);
      return { host: m[1]!.replace(/^\[|\]$/g, ''), port };
    });
  if (nodes.length === 0) throw new Error(`no cluster nodes in ${redactUrls(url)}`);
  return { nodes, username, password, tls: scheme[1] === 'rediss' };
}

export interface RedisOptions {
  /**
   * What the connection is for: 'app' (default: every command bounded by a timeout, failing
   * fast once the server is gone), a BullMQ 'producer' (adds fail fast too, so a caller such as
   * the outbox relay never waits on a dead Redis while holding row locks), or a BullMQ 'worker'
   * (blocking commands that wait as long as they like; BullMQ requires maxRetriesPerRequest null).
   */
  role?: 'app' | 'producer' | 'worker';
  /** A command without an answer by then fails (REDIS_COMMAND_TIMEOUT_MS); not for workers. */
  commandTimeoutMs?: number;
}

export const DEFAULT_COMMAND_TIMEOUT_MS = 1000;

export function openRedis(url: string, opts: RedisOptions = {}): RedisClient {
  const role = opts.role ?? 'app';
  const maxRetriesPerRequest = role === 'worker' ? null : 1;
  const enableAutoPipelining = role === 'app';
  const commandTimeout = role === 'worker' ? undefined : (opts.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS);
  if (isClusterUrl(url)) {
    const c = parseClusterUrl(url);
    const startupNodes: ClusterNode[] = c.nodes;
    const cluster = new Cluster(startupNodes, {
      lazyConnect: false,
      // Auto-pipelining in a cluster batches per node (ioredis groups commands by slot owner).
      enableAutoPipelining,
      autoPipeliningIgnoredCommands: [],
      // Per-connection settings go to every node's connection; BullMQ reads
      // maxRetriesPerRequest from here for a Cluster.
      redisOptions: {
        maxRetriesPerRequest,
        connectTimeout: 3000,
        ...(commandTimeout ? { commandTimeout } : {}),
        ...(c.username ? { username: c.username } : {}),
        ...(c.password ? { password: c.password } : {}),
        ...(c.tls ? { tls: {} } : {}),
      },
    });
    sendVariadicScriptsAlone(cluster);
    if (role !== 'worker') failFastOnceReady(cluster);
    return cluster;
  }
  const redis = new Redis(url, {
    lazyConnect: false,
    enableAutoPipelining,
    maxRetriesPerRequest,
    connectTimeout: 3000,
    ...(commandTimeout ? { commandTimeout } : {}),
  });
  if (role !== 'worker') failFastOnceReady(redis);
  return redis;
}

/**
 * Commands sent while the connection is down wait in ioredis's offline queue until it is back
 * (or the command times out): right while connecting at start, wrong afterwards, when every
 * request would wait a command timeout on a Redis that is gone. Once the connection was ready,
 * commands sent while it is down fail at once; callers that have a fallback use it.
 */
function failFastOnceReady(client: RedisClient): void {
  client.once('ready', () => {
    client.options.enableOfflineQueue = false;
  });
  // A client without an error listener crashes the process on a connection error.
  if (client.listenerCount('error') === 0) client.on('error', () => {});
}

/**
 * ioredis's auto-pipelining picks a Cluster node from a command's first key, and for a script
 * defined without `numberOfKeys` it takes the first argument, which is the key count: calls would
 * be grouped by the slot of "1" or "2" and batched with commands for other nodes ("All keys in the
 * pipeline should belong to the same slots allocation group"). Such scripts bypass
 * auto-pipelining and go straight to the node that owns their keys.
 */
function sendVariadicScriptsAlone(cluster: Cluster): void {
  const define = cluster.defineCommand.bind(cluster);
  cluster.defineCommand = (name, definition) => {
    if (definition.numberOfKeys === undefined) {
      cluster.options.autoPipeliningIgnoredCommands = [...(cluster.options.autoPipeliningIgnoredCommands ?? []), name];
    }
    define(name, definition);
  };
}

/** Waits (up to timeoutMs) until a Cluster knows its slots; a single Redis returns at once. */
export async function clusterReady(redis: RedisClient, timeoutMs = 5000): Promise<void> {
  if (!(redis instanceof Cluster) || redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`Redis Cluster not ready after ${timeoutMs} ms (status ${redis.status})`));
    }, timeoutMs);
    const onReady = () => {
      cleanup();
      resolve();
    };
    const cleanup = () => {
      clearTimeout(timer);
      redis.off('ready', onReady);
    };
    redis.on('ready', onReady);
  });
}

/**
 * The server connections behind a client: the client itself for one Redis, every master for a
 * Cluster (for per-server commands such as CONFIG, which a Cluster would send to one random node).
 */
export async function redisServers(redis: RedisClient): Promise<Redis[]> {
  if (!(redis instanceof Cluster)) return [redis];
  await clusterReady(redis);
  return redis.nodes('master');
}

/** Readiness: PING for one Redis; for a Cluster, PING every master and require cluster_state:ok. */
export async function pingRedis(redis: RedisClient): Promise<void> {
  if (!(redis instanceof Cluster)) {
    await redis.ping();
    return;
  }
  const masters = await redisServers(redis);
  if (masters.length === 0) throw new Error('Redis Cluster has no reachable master');
  await Promise.all(masters.map((m) => m.ping()));
  const info = (await masters[0]!.cluster('INFO')) as string;
  if (!/cluster_state:ok/.test(info)) throw new Error('Redis Cluster state is not ok');
}
