// `npm run shards -- COMMAND`: operator commands against the databases named in the environment.
//   status                               logical shards per physical database, moved members
//   move-shard LOGICAL TARGET            move one logical shard (e.g. onto a newly added database)
//   move-member TENANT MEMBER_ID TARGET  move one member's rows
//   check                                run the consistency checker now
//   purge                                purge soft-deleted rows past the retention window now
import { createRuntime } from '../adapters.js';
import { ConfigSchema } from '../config.js';
import { runConsistencyCheck } from '../jobs/consistency-check.js';
import { purgeDeleted } from '../jobs/purge.js';
import { exitOnFatalErrors } from '../lifecycle/fatal.js';
import { moveLogicalShard, moveMember } from './shards/mover.js';

const redact = exitOnFatalErrors();
const [command, ...args] = process.argv.slice(2);
const config = ConfigSchema.parse({
  ...process.env,
  // The CLI serves no requests; the secret only has to satisfy the schema.
  ORIGIN_SECRET: process.env.ORIGIN_SECRET ?? 'cli-serves-no-requests-000000',
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  DEMO_SEED: 'false',
});
if (config.DATABASE_URL && !config.DATABASE_URLS?.length) config.DATABASE_URLS = [config.DATABASE_URL];
const runtime = await createRuntime(config);
const { ctx } = runtime;
const router = ctx.cluster.router;
try {
  switch (command) {
    case 'status':
      for (const db of router.physical) {
        console.log(
          `${db.name}: ${router.logicalShardsOn(db.name).length} logical shards, ` +
            `${router.movedInto(db.name).length} members moved in, ${router.movedOutOf(db.name).length} moved out`,
        );
      }
      break;
    case 'move-shard':
      console.log(JSON.stringify(await moveLogicalShard(ctx.cluster, Number(args[0]), args[1] ?? ''), null, 2));
      break;
    case 'move-member':
      console.log(
        JSON.stringify(await moveMember(ctx.cluster, args[0] ?? '', BigInt(args[1] ?? '0'), args[2] ?? ''), null, 2),
      );
      break;
    case 'check':
      console.log(JSON.stringify(await runConsistencyCheck(ctx), null, 2));
      break;
    case 'purge':
      console.log(JSON.stringify(await purgeDeleted(ctx), null, 2));
      break;
    default:
      console.error(
        'usage: npm run shards -- status | move-shard LOGICAL TARGET | move-member TENANT ID TARGET | check | purge',
      );
      process.exitCode = 2;
  }
} catch (err) {
  console.error(`shards ${command} failed: ${redact((err as Error).message)}`);
  process.exitCode = 1;
} finally {
  await runtime.close();
}
