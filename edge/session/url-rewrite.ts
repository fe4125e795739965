// Puts a URL session token into a response, centrally, so pages need not know about it: every
// same-origin link (a/href) and form (form/action; a hidden field for GET forms, whose query a
// browser replaces) in the HTML, and a same-origin redirect's Location. External links never
// get it. The response is made private and sent with Referrer-Policy: no-referrer, so the
// token neither lands in a shared cache nor leaks to another site in a Referer.
import { COOKIE_CHECK_PARAM, URL_SESSION_PARAM } from './url-token.js';

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/**
 * `href` with the token added when it points at `base`'s origin; null when it points elsewhere
 * (another site, mailto:, tel:, javascript:, a bare #fragment) and must stay as it is.
 */
export function withToken(href: string, token: string, base: URL, marker = false): string | null {
  const trimmed = href.trim();
  if (trimmed === '' || trimmed.startsWith('#')) return null;
  if (SCHEME.test(trimmed) && !/^https?:/i.test(trimmed)) return null;
  let url: URL;
  try {
    url = new URL(trimmed, base);
  } catch {
    return null;
  }
  if (url.origin !== base.origin) return null;
  url.searchParams.delete(COOKIE_CHECK_PARAM);
  url.searchParams.delete(URL_SESSION_PARAM);
  if (marker) url.searchParams.set(COOKIE_CHECK_PARAM, '1');
  url.searchParams.set(URL_SESSION_PARAM, token);
  // Relative form when the original was relative: shorter pages, and the same host either way.
  const absolute = /^https?:/i.test(trimmed) || trimmed.startsWith('//');
  return absolute ? url.href : url.pathname + url.search + url.hash;
}

/** Escapes a value for a double-quoted HTML/XHTML attribute (setAttribute writes it raw). */
function attribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/** Decodes the few entities our own markup uses in attribute values. */
function decodeAttribute(value: string): string {
  return value
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function isMarkup(response: Response): boolean {
  return /^(text\/html|application\/xhtml\+xml)/i.test(response.headers.get('content-type') ?? '');
}

/** The response with the token in every same-origin link, form and redirect. */
export function carryUrlSession(response: Response, token: string, requestUrl: string, marker = false): Response {
  const base = new URL(requestUrl);
  let out = new Response(response.body, response);
  const location = out.headers.get('location');
  if (location) {
    const rewritten = withToken(location, token, base, marker);
    if (rewritten) out.headers.set('location', rewritten);
  }
  if (isMarkup(out) && out.body) {
    out = new HTMLRewriter()
      .on('a[href]', {
        element(el) {
          const rewritten = withToken(decodeAttribute(el.getAttribute('href') ?? ''), token, base);
          if (rewritten) el.setAttribute('href', attribute(rewritten));
        },
      })
      .on('form', {
        element(el) {
          const action = el.getAttribute('action');
          const method = (el.getAttribute('method') ?? 'get').toLowerCase();
          if (action !== null && withToken(decodeAttribute(action), token, base) === null) return;
          if (method === 'post') {
            const rewritten = withToken(decodeAttribute(action ?? requestUrl), token, base);
            if (rewritten) el.setAttribute('action', attribute(rewritten));
          } else {
            // A GET form's submission replaces the action's query: the token rides in a field.
            el.prepend(`<div><input type="hidden" name="${URL_SESSION_PARAM}" value="${attribute(token)}" /></div>`, {
              html: true,
            });
          }
        },
      })
      .transform(out);
  }
  out.headers.set('Referrer-Policy', 'no-referrer');
  out.headers.set('Cache-Control', 'private, no-store');
  return out;
}

/**
 * A page's markup exactly as carryUrlSession will send it, for measuring it against the page
 * budget before it is sent (the token adds ~90 bytes to every link and form).
 */
export function htmlWithUrlSession(
  html: string,
  contentType: string,
  token: string,
  requestUrl: string,
): Promise<string> {
  const page = new Response(html, { headers: { 'content-type': contentType } });
  return carryUrlSession(page, token, requestUrl).text();
}
