// Sending a fuzzed request to the edge as its visitor, and what every answer must be: never a
// 5xx (the origin is up), a redirect only to this site, otherwise a friendly page in the
// visitor's tier (no stack trace, no JSON) that, on the basic tier, is well-formed XML.
import type { EdgeResponse } from '../../support/edge-process.js';
import { xmlProblem } from '../../support/fuzz/xml.js';
import type { EdgeFuzzRequest } from './edge-routes.js';
import { type EdgeSite, type FuzzVisitor, rawRequest, withToken } from './visitors.js';

const BOUNDARY = 'fuzzboundary7MA4YWxkTrZu0gW';

function multipart(fields: [string, string][]): string {
  const parts = fields.map(
    ([n, v]) => `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${n.replace(/"/g, '%22')}"\r\n\r\n${v}\r\n`,
  );
  return `${parts.join('')}--${BOUNDARY}--\r\n`;
}

function csrfFields(req: EdgeFuzzRequest, visitor: FuzzVisitor): [string, string][] {
  switch (req.csrf) {
    case 'valid':
      return [['_csrf', visitor.csrf]];
    case 'forged':
      return [['_csrf', '123.abc']];
    case 'expired':
      return [['_csrf', `1000.${'0'.repeat(64)}`]];
    case 'twice':
      return [
        ['_csrf', `9999999999999.${'f'.repeat(64)}`],
        ['_csrf', visitor.csrf],
      ];
    default:
      return [];
  }
}

export async function sendFuzz(
  site: EdgeSite,
  visitor: FuzzVisitor,
  req: EdgeFuzzRequest,
): Promise<EdgeResponse & { requestId: string }> {
  const path = withToken(req.path, visitor.urlToken);
  const headers: Record<string, string> = visitor.cookie ? { cookie: visitor.cookie } : {};
  if (req.method === 'GET') return rawRequest(site, visitor.device, 'GET', path, headers);
  if (req.origin) headers.origin = req.origin === 'same' ? `http://${site.host}` : 'https://evil.example';
  if (req.csrf === 'in a header') headers['x-csrf-token'] = visitor.csrf;
  const fields = [...csrfFields(req, visitor), ...req.fields];
  let body: string | undefined;
  switch (req.encoding) {
    case 'form':
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(fields).toString();
      break;
    case 'multipart':
      headers['content-type'] = `multipart/form-data; boundary=${BOUNDARY}`;
      body = multipart(fields);
      break;
    case 'json':
      headers['content-type'] = 'application/json';
      body = JSON.stringify(Object.fromEntries(fields));
      break;
    case 'text':
      headers['content-type'] = 'text/plain';
      body = fields.map(([n, v]) => `${n}=${v}`).join('\n');
      break;
  }
  if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
  return rawRequest(site, visitor.device, 'POST', path, headers, body);
}

const STACK_TRACE = /\n\s+at \S+ \(?\S+:\d+:\d+\)?|\b(TypeError|ReferenceError|RangeError|SyntaxError): /;

/** What is wrong with the answer, or null. `page` is false for the edge's operational routes. */
export function answerProblem(res: EdgeResponse, visitor: FuzzVisitor, site: EdgeSite, page: boolean): string | null {
  if (res.status >= 500) return `answered ${res.status}: ${res.body.slice(0, 300)}`;
  if (res.status >= 300 && res.status < 400) {
    const location = String(res.headers.location ?? '');
    const target = new URL(location, `http://${site.host}`);
    if (!location || target.host !== site.host || /^\/[/\\]/.test(location) || target.protocol !== 'http:') {
      return `redirected off the site: ${JSON.stringify(location)}`;
    }
    return null;
  }
  if (!page) return null;
  const type = String(res.headers['content-type'] ?? '');
  if (!/^(text\/html|application\/xhtml\+xml)\b/.test(type)) return `${res.status} with content-type "${type}"`;
  if (/^\s*[[{]/.test(res.body)) return `${res.status} looks like JSON: ${res.body.slice(0, 200)}`;
  if (STACK_TRACE.test(res.body)) return `${res.status} shows a stack trace: ${res.body.slice(0, 500)}`;
  const tier = visitor.device.tier;
  if (!res.body.includes(`class="tier-${tier}"`))
    return `${res.status} is not a ${tier}-tier page: ${res.body.slice(0, 300)}`;
  if (tier === 'basic') {
    const problem = xmlProblem(res.body);
    if (problem) return `${res.status} basic-tier page is not well-formed XML: ${problem}`;
  } else if (!res.body.startsWith('<!DOCTYPE html>')) {
    return `${res.status} rich page without its doctype`;
  }
  return null;
}
