// The baseline for `npm run bench -- edge`: the smallest Hono worker, run by the same
// `wrangler dev` runtime as the edge, answering a small fixed HTML page.
import { Hono } from 'hono';

const app = new Hono();
app.get('/_edge/health', (c) => c.json({ status: 'ok' }));
app.get('*', (c) => c.html('<!DOCTYPE html><title>hello</title><p>Hello, world</p>'));

export default { fetch: app.fetch };
