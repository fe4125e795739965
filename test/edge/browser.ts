// A tiny scripted browser for edge tests: keeps cookies, reads CSRF tokens out of forms, and
// sends requests straight into the worker (`exports.default.fetch`, same isolate as the test).
import { exports } from 'cloudflare:workers';

export const UA = {
  smartphone:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  android:
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36',
  feature: 'Nokia6300/2.0 (05.00) Profile/MIDP-2.0 Configuration/CLDC-1.1',
  garbage: '\u00ff}{<script>alert(1)</script>\t%%%'.repeat(60),
} as const;

/** What the page cache did for a response (HIT, MISS, STALE, BYPASS), from its Server-Timing. */
export function cacheStatus(response: Response): string | null {
  return /(?:^|,)\s*cache;desc=([A-Z]+)/.exec(response.headers.get('server-timing') ?? '')?.[1] ?? null;
}

export const XHTML_ACCEPT = 'application/xhtml+xml,application/vnd.wap.xhtml+xml,text/html;q=0.9,*/*;q=0.8';

export class Browser {
  readonly cookies = new Map<string, string>();
  lastCsrf: string | null = null;
  scheme: 'http' | 'https' = 'http';

  constructor(
    readonly host: string,
    readonly userAgent: string = UA.smartphone,
    readonly accept = 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.8',
  ) {}

  private headers(extra: Record<string, string> = {}): Headers {
    const headers = new Headers({ 'user-agent': this.userAgent, accept: this.accept, ...extra });
    if (this.cookies.size > 0) {
      headers.set('cookie', [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '));
    }
    return headers;
  }

  private remember(response: Response): void {
    for (const line of response.headers.getAll('set-cookie')) {
      const [pair, ...attributes] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attributes.some((a) => /max-age=0/i.test(a.trim())) || value === '';
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const request = new Request(`${this.scheme}://${this.host}${path}`, {
      redirect: 'manual',
      ...init,
      headers: this.headers(Object.fromEntries(new Headers(init.headers))),
    });
    const response = await exports.default.fetch(request);
    this.remember(response);
    return response;
  }

  /** GET a page and remember the CSRF token of its first form. */
  async get(path: string, headers: Record<string, string> = {}): Promise<{ response: Response; html: string }> {
    const response = await this.fetch(path, { headers });
    const html = await response.text();
    const token = /name="_csrf" value="([^"]+)"/.exec(html);
    if (token) this.lastCsrf = token[1]!;
    return { response, html };
  }

  /** POST a form; `_csrf` defaults to the last token seen (pass null to leave it out). */
  async post(path: string, fields: Record<string, string>, csrf: string | null = this.lastCsrf): Promise<Response> {
    const body = new URLSearchParams(fields);
    if (csrf !== null) body.set('_csrf', csrf);
    return this.fetch(path, {
      method: 'POST',
      body: body.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  }

  async logIn(username: string, password = 'correct horse'): Promise<Response> {
    await this.get('/login');
    return this.post('/login', { username, password });
  }
}

/** A phone (or its carrier gateway) that never sends cookies back, whatever the edge sets. */
export class CookielessPhone extends Browser {
  override async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    this.cookies.clear();
    const response = await super.fetch(path, init);
    this.cookies.clear();
    return response;
  }
}
