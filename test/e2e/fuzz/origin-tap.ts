// The harness's origin on a loopback port, with a log of the writes the edge sent it. The edge
// does some writes after it has answered (marking notifications seen once the page is out), so a
// change in the databases is put down to the request whose id its write carried.
import type { Harness } from '../../support/origin-harness.js';

export interface OriginWrite {
  requestId: string;
  method: string;
  path: string;
  status: number;
}

export class OriginTap {
  readonly writes: OriginWrite[] = [];
  private inflight = 0;
  private waiters: (() => void)[] = [];

  constructor(private readonly h: Harness) {}

  readonly fetch = async (req: Request): Promise<Response> => {
    this.inflight++;
    try {
      const res = await this.h.app.fetch(req);
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        const url = new URL(req.url);
        const requestId = req.headers.get('x-request-id') ?? '';
        this.writes.push({ requestId, method: req.method, path: url.pathname, status: res.status });
      }
      return res;
    } finally {
      this.inflight--;
      if (this.inflight === 0) for (const wake of this.waiters.splice(0)) wake();
    }
  };

  /** Resolves once no request is being handled. */
  idle(): Promise<void> {
    return this.inflight === 0 ? Promise.resolve() : new Promise((r) => this.waiters.push(r));
  }

  /** Writes the origin accepted (2xx) since `from` (an index into `writes`). */
  acceptedSince(from: number): OriginWrite[] {
    return this.writes.slice(from).filter((w) => w.status < 300);
  }

  async serve(): Promise<{ url: string; close(): Promise<void> }> {
    const { serve } = await import('@hono/node-server');
    return new Promise((resolve) => {
      const server = serve({ fetch: this.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
        resolve({
          url: `http://127.0.0.1:${info.port}`,
          close: () => new Promise<void>((r) => server.close(() => r())),
        });
      });
    });
  }
}
