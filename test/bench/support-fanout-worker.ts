// A fan-out worker process for test/bench/fanout.ts (BENCH_WORKER_PROCESSES): an origin runtime
// on the benchmark's databases and Redis, the same queue namespace, and the origin's processors;
// nothing else (no HTTP, no relay). Reports its chorus_timeline_inserts_total and CPU time to the parent.
// Environment: BENCH_WORKER_CONFIG (JSON of origin settings), BENCH_WORKER_NAMESPACE.
import { createRuntime } from '../../origin/adapters.js';
import { ConfigSchema } from '../../origin/config.js';
import { startProcessors } from '../../origin/jobs/processors.js';

const config = ConfigSchema.parse(JSON.parse(process.env.BENCH_WORKER_CONFIG ?? '{}'));
const runtime = await createRuntime(config, { inMemory: true, queueNamespace: process.env.BENCH_WORKER_NAMESPACE });
startProcessors(runtime.ctx);
const report = async () => {
  const landed = (await runtime.ctx.metrics.timelineInserts.get()).values[0]?.value ?? 0;
  const cpu = process.cpuUsage();
  process.send?.({ landed, cpuMs: (cpu.user + cpu.system) / 1000 });
};
const timer = setInterval(() => void report(), 20);
process.send?.({ ready: true });
process.on('message', async (message: { stop?: boolean }) => {
  if (!message.stop) return;
  clearInterval(timer);
  await report();
  await runtime.close();
  process.exit(0);
});
