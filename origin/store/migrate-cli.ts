// `npm run migrate`: applies migrations to the directory and every shard named in the
// environment (DATABASE_URL / DATABASE_URLS), or to the embedded database under DATA_DIR.
import { join } from 'node:path';
import { z } from 'zod';
import { ConfigSchema } from '../config.js';
import { exitOnFatalErrors } from '../lifecycle/fatal.js';
import { openCluster } from './shards/cluster.js';

exitOnFatalErrors();

const env = ConfigSchema.pick({ DATABASE_URL: true, DATABASE_URLS: true, DATA_DIR: true }).extend({
  DATABASE_URLS: z.string().optional(),
});
const config = env.parse(process.env);
const shardUrls =
  config.DATABASE_URLS?.split(/[\s,]+/).filter(Boolean) ?? (config.DATABASE_URL ? [config.DATABASE_URL] : []);
const cluster = await openCluster({
  directoryUrl: config.DATABASE_URL,
  shardUrls,
  dataDir: join(config.DATA_DIR, 'pglite'),
});
console.log(
  `migrated: ${cluster
    .all()
    .map((db) => `${db.name} (${db.kind})`)
    .join(', ')}`,
);
await cluster.close();
