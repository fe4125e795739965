import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './origin/store/shards/schema-shard.ts',
  out: './origin/store/migrations/shard',
});
