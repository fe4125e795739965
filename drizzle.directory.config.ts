import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './origin/store/shards/schema-directory.ts',
  out: './origin/store/migrations/directory',
});
