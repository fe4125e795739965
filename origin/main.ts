// Origin process entry: config -> adapters -> context -> HTTP server and queue workers.
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { createRuntime } from './adapters.js';
import { createApp } from './app.js';
import { loadConfig } from './config.js';
import { scheduleMaintenance, startProcessors } from './jobs/processors.js';
import { exitOnFatalErrors } from './lifecycle/fatal.js';
import { privateDir } from './lifecycle/private-dir.js';
import { handleShutdownSignals } from './lifecycle/shutdown.js';
import { seedDemo } from './seed/demo.js';

async function main() {
  const redact = exitOnFatalErrors();
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    console.error(redact((err as Error).message));
    process.exit(2);
  }
  // Embedded PGlite keeps members' data under DATA_DIR: this user's only.
  if (!config.DATABASE_URLS?.length) privateDir(config.DATA_DIR);
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
  // serve() without a createServer option makes a node:http Server.
  handleShutdownSignals(server as Server, runtime, {
    drainMs: config.SHUTDOWN_DRAIN_MS,
    timeoutMs: config.SHUTDOWN_TIMEOUT_MS,
  });
}

void main();
