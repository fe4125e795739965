// Origin process entry: config -> adapters -> context -> HTTP server and queue workers.
import { serve } from '@hono/node-server';
import { createRuntime } from './adapters.js';
import { createApp } from './app.js';
import { loadConfig } from './config.js';
import { scheduleMaintenance, startProcessors } from './jobs/processors.js';
import { seedDemo } from './seed/demo.js';

async function main() {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    console.error((err as Error).message);
    process.exit(2);
  }
  const runtime = await createRuntime(config);
  const { ctx } = runtime;
  startProcessors(ctx);
  await scheduleMaintenance(ctx);
  runtime.relay.start();
  if (config.DEMO_SEED) {
    const { created } = await seedDemo(ctx);
    if (created) ctx.log.info('created the demo community (members ann, bob, cat, dan; password chorus-demo)');
  }
  const server = serve({ fetch: createApp(ctx).fetch, port: config.PORT, hostname: config.HOST }, (info) => {
    ctx.log.info(
      { port: info.port, databases: ctx.cluster.all().map((d) => `${d.name}:${d.kind}`), redis: ctx.redisMode },
      'origin listening',
    );
  });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    ctx.log.info({ signal }, 'origin stopping');
    server.close();
    await runtime.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

void main();
