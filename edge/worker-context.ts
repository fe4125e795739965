// Work that may finish after the response is sent (cache writes), when the runtime allows it.
import type { Context } from 'hono';

export function deferWork(c: Context, work: Promise<unknown>): void {
  const settled = work.catch((err) => console.error(JSON.stringify({ msg: 'deferred work failed', err: String(err) })));
  try {
    c.executionCtx.waitUntil(settled);
  } catch {
    // No execution context (plain app.request in a unit test): the promise still runs.
  }
}
