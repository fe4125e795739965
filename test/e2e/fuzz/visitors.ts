// Who visits the edge in the fuzz suite: a smartphone (rich tier), a feature phone that keeps
// cookies and one that keeps none (basic tier, XHTML-MP served as XML), each anonymous or logged
// in. A visitor's cookies and CSRF token are taken once and then sent as they are: fuzzed
// requests never change who a visitor is (a log-out's cleared cookie is not kept).
import { randomUUID } from 'node:crypto';
import { type EdgeResponse, edgeRequest, hiddenFields } from '../../support/edge-process.js';
import { WORLD_PASSWORD } from '../../support/fuzz/world.js';

export const DEVICES = {
  smartphone: {
    tier: 'rich',
    ua: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
    accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.8',
  },
  // From edge/device/ua-corpus.json: basic tier, keeps cookies.
  featurePhone: {
    tier: 'basic',
    ua: 'Nokia6300/2.0 (07.21) Profile/MIDP-2.0 Configuration/CLDC-1.1',
    accept: 'application/xhtml+xml,application/vnd.wap.xhtml+xml,text/html;q=0.9,*/*;q=0.8',
  },
  // Basic tier, keeps no cookies (midp-nocookie): its session travels in the URL (?s=).
  cookielessPhone: {
    tier: 'basic',
    ua: 'Alcatel-OT-708/1.0 ObigoInternetBrowser/Q05A UP.Link/5.1.2.9',
    accept: 'application/xhtml+xml,text/html;q=0.9,*/*;q=0.8',
  },
} as const;

export type Device = (typeof DEVICES)[keyof typeof DEVICES];

export interface FuzzVisitor {
  label: string;
  device: Device;
  /** Cookie header as taken at the start ('' for none). */
  cookie: string;
  /** A CSRF token issued to this visitor. */
  csrf: string;
  /** URL session token for a phone without cookies. */
  urlToken: string | null;
  member: string | null;
}

export interface EdgeSite {
  port: number;
  host: string;
}

/** Set-Cookie lines of a response as name=value pairs, the cleared ones left out. */
function cookiesOf(res: EdgeResponse): Map<string, string> {
  const out = new Map<string, string>();
  const lines = res.headers['set-cookie'];
  for (const line of Array.isArray(lines) ? lines : lines ? [lines] : []) {
    const [pair] = line.split(';');
    const eq = pair!.indexOf('=');
    const value = pair!.slice(eq + 1).trim();
    if (!/max-age=0/i.test(line) && value !== '') out.set(pair!.slice(0, eq).trim(), value);
  }
  return out;
}

const header = (cookies: Map<string, string>) => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');

function parseHeader(cookie: string): Map<string, string> {
  const pairs = cookie.split('; ').filter(Boolean);
  return new Map(pairs.map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)] as [string, string]));
}

export async function rawRequest(
  site: EdgeSite,
  device: Device,
  method: string,
  path: string,
  extra: Record<string, string> = {},
  body?: string,
): Promise<EdgeResponse & { requestId: string }> {
  const requestId = `fz-${randomUUID()}`;
  const headers = {
    host: site.host,
    'user-agent': device.ua,
    accept: device.accept,
    'x-request-id': requestId,
    ...extra,
  };
  return { ...(await edgeRequest(site.port, method, path, headers, body)), requestId };
}

/** An anonymous visitor with the cookie and token the log-in form hands out. */
export async function anonymous(site: EdgeSite, label: string, device: Device): Promise<FuzzVisitor> {
  const page = await rawRequest(site, device, 'GET', '/login');
  const token = hiddenFields(page.body, '/login')?._csrf;
  if (!token) throw new Error(`${label}: no CSRF token on /login (${page.status})\n${page.body.slice(0, 500)}`);
  return { label, device, cookie: header(cookiesOf(page)), csrf: token, urlToken: null, member: null };
}

/** A visitor logged in through the edge's log-in form (password WORLD_PASSWORD). */
export async function loggedIn(site: EdgeSite, label: string, device: Device, username: string): Promise<FuzzVisitor> {
  const anon = await anonymous(site, label, device);
  const form = new URLSearchParams({ _csrf: anon.csrf, username, password: WORLD_PASSWORD }).toString();
  const res = await rawRequest(
    site,
    device,
    'POST',
    '/login',
    { cookie: anon.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    form,
  );
  const location = String(res.headers.location ?? '');
  if (res.status !== 303) throw new Error(`${label}: log-in answered ${res.status}\n${res.body.slice(0, 500)}`);
  const cookies = new Map([...parseHeader(anon.cookie), ...cookiesOf(res)]);
  const urlToken = new URL(location, 'http://edge').searchParams.get('s');
  const visitor: FuzzVisitor = { label, device, cookie: header(cookies), csrf: '', urlToken: null, member: username };
  if (!cookies.has('chorus_session')) {
    if (!urlToken) throw new Error(`${label}: neither a session cookie nor a URL token after log-in (${location})`);
    visitor.urlToken = urlToken;
  }
  const home = await rawRequest(site, device, 'GET', withToken('/home', visitor.urlToken), { cookie: visitor.cookie });
  // A URL session's forms post to /posts?s=...: the token's field is the same.
  const token = hiddenFields(home.body.replace(/action="([^"?]*)\?[^"]*"/g, 'action="$1"'), '/posts')?._csrf;
  if (home.status !== 200 || !token)
    throw new Error(`${label}: /home answered ${home.status}\n${home.body.slice(0, 500)}`);
  visitor.csrf = token;
  return visitor;
}

/** The path with the visitor's URL session token (first, so a fuzzed `s` after it is ignored). */
export function withToken(path: string, token: string | null): string {
  if (!token) return path;
  const q = path.indexOf('?');
  return q < 0 ? `${path}?s=${token}` : `${path.slice(0, q)}?s=${token}&${path.slice(q + 1)}`;
}
