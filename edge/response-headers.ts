// Setting a header after the handler ran: Hono's c.header() then re-creates the whole Response
// each time (a copy per header per middleware), which showed up in test/bench/edge.ts. Our
// responses have mutable headers, so set them in place; fall back for immutable ones (a fetched
// or cached Response, whose headers throw on change).
import type { Context } from 'hono';

export function setResponseHeader(c: Context, name: string, value: string, opts: { append?: boolean } = {}): void {
  try {
    if (opts.append) c.res.headers.append(name, value);
    else c.res.headers.set(name, value);
  } catch {
    c.header(name, value, opts);
  }
}
