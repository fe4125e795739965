// Runs the edge under `wrangler dev` (the same way `npm start` does) for end-to-end tests, and a
// small HTTP client that can set the Host header (fetch cannot) and keeps cookies like a phone.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface EdgeProcess {
  port: number;
  output: () => string;
  stop(): Promise<void>;
}

/** The edge under `wrangler dev` with these vars (the secrets among them), logging every request. */
export async function startEdge(vars: Record<string, string>): Promise<EdgeProcess> {
  // Every test visitor comes from 127.0.0.1, so per-IP limits would trip across tests; the limits
  // themselves are tested in workerd (test/edge/rate-limit.test.ts).
  const withDefaults = {
    RATE_LOGINS_PER_MIN_IP: '10000',
    RATE_WRITES_PER_MIN_IP: '10000',
    RATE_WRITES_PER_MIN_SESSION: '10000',
    ...vars,
  };
  return startWrangler([], 'log', withDefaults);
}

/**
 * `vars` as a dotenv file for `wrangler dev --env-file`, in a private temporary directory: on
 * the command line (`--var`) the secrets among them would be visible to every local user.
 */
function envFile(vars: Record<string, string>): { path: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'chorus-edge-'));
  const lines = Object.entries(vars).map(([k, v]) => {
    if (/['\n\r]/.test(v)) throw new Error(`${k}: a var for --env-file may not hold quotes or newlines`);
    return `${k}='${v}'`;
  });
  const path = join(dir, 'edge.env');
  writeFileSync(path, `${lines.join('\n')}\n`, { mode: 0o600 });
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Any worker under `wrangler dev` (extra args: --config ...) with `vars` bound (through a file,
 * which wrangler reads instead of .dev.vars), ready when it answers.
 */
export async function startWrangler(
  extra: string[],
  logLevel: 'log' | 'warn' = 'warn',
  vars?: Record<string, string>,
): Promise<EdgeProcess> {
  const file = vars ? envFile(vars) : null;
  try {
    const edge = await runWrangler([...extra, ...(file ? ['--env-file', file.path] : [])], logLevel);
    return {
      ...edge,
      async stop() {
        await edge.stop();
        file?.remove();
      },
    };
  } catch (err) {
    file?.remove();
    throw err;
  }
}

async function runWrangler(extra: string[], logLevel: 'log' | 'warn'): Promise<EdgeProcess> {
  const port = await freePort();
  const inspector = await freePort();
  const args = ['dev', ...extra, '--port', String(port), '--ip', '127.0.0.1', '--inspector-port', String(inspector)];
  args.push('--log-level', logLevel, '--show-interactive-dev-session=false');
  let output = '';
  const child: ChildProcess = spawn(`${root}node_modules/.bin/wrangler`, args, {
    cwd: root,
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', CI: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
    // A process group of its own: wrangler runs workerd as a child, and killing wrangler alone
    // leaves workerd serving (and reloading on every file change) long after a failed run.
    detached: true,
  });
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  const onExit = () => killGroup('SIGKILL');
  process.once('exit', onExit);
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) {
      killGroup('SIGKILL');
      throw new Error(`wrangler dev exited (${child.exitCode}):\n${output}`);
    }
    try {
      await edgeRequest(port, 'GET', '/_edge/health', { host: 'localhost' });
      break;
    } catch {
      if (Date.now() > deadline) {
        killGroup('SIGKILL');
        throw new Error(`wrangler dev did not answer within 90 s:\n${output}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  return {
    port,
    output: () => output,
    async stop() {
      process.off('exit', onExit);
      if (child.exitCode !== null) return killGroup('SIGKILL');
      const exited = new Promise((r) => child.once('exit', r));
      killGroup('SIGTERM');
      const timer = setTimeout(() => killGroup('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
      killGroup('SIGKILL'); // workerd, should it outlive wrangler
    },
  };
}

export interface EdgeResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export function edgeRequest(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<EdgeResponse> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers, timeout: 15_000 }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        data += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: data }));
    });
    req.on('timeout', () => req.destroy(new Error(`timeout ${method} ${path}`)));
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

/** A visitor: one device (User-Agent), one host, a cookie jar; follows no redirects by itself. */
export class Visitor {
  private readonly cookies = new Map<string, string>();
  constructor(
    private readonly port: number,
    private readonly host: string,
    private readonly userAgent: string,
  ) {}

  async request(method: string, path: string, form?: Record<string, string>): Promise<EdgeResponse> {
    const headers: Record<string, string> = { host: this.host, 'user-agent': this.userAgent, accept: 'text/html,*/*' };
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const body = form ? new URLSearchParams(form).toString() : undefined;
    if (body) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await edgeRequest(this.port, method, path, headers, body);
    const setCookie = res.headers['set-cookie'];
    for (const line of Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : []) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  get(path: string) {
    return this.request('GET', path);
  }

  /**
   * Loads `pagePath`, finds the form posting to `action`, sends its hidden fields (the CSRF token
   * among them) plus `fields`, and follows redirects, as a browser would.
   */
  async submit(pagePath: string, action: string, fields: Record<string, string> = {}): Promise<EdgeResponse> {
    const page = await this.get(pagePath);
    const hidden = hiddenFields(page.body, action);
    if (!hidden)
      throw new Error(`no form posting to ${action} on ${pagePath} (${page.status}):\n${page.body.slice(0, 2000)}`);
    let res = await this.request('POST', action, { ...hidden, ...fields });
    for (let hops = 0; hops < 3; hops++) {
      const location = res.headers.location;
      if (res.status < 300 || res.status >= 400 || typeof location !== 'string') break;
      const next = new URL(location, `http://${this.host}`);
      res = await this.get(next.pathname + next.search);
    }
    return res;
  }

  hasCookie(name: string) {
    return this.cookies.has(name);
  }

  /** The Cookie header this visitor sends (for load generators that replay its session). */
  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

const decode = (v: string) =>
  v
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** Hidden inputs of the form whose action is exactly `action`, or null when there is none. */
export function hiddenFields(html: string, action: string): Record<string, string> | null {
  for (const form of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
    const actionAttr = /action="([^"]*)"/.exec(form[1]!)?.[1];
    if (actionAttr === undefined || decode(actionAttr) !== action) continue;
    const fields: Record<string, string> = {};
    for (const input of form[2]!.matchAll(/<input\b([^>]*)\/?>/g)) {
      const attrs = input[1]!;
      if (!/type="hidden"/.test(attrs)) continue;
      const name = /name="([^"]*)"/.exec(attrs)?.[1];
      const value = /value="([^"]*)"/.exec(attrs)?.[1] ?? '';
      if (name) fields[decode(name)] = decode(value);
    }
    return fields;
  }
  return null;
}
