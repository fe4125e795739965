// Turns a page (a view model and its two renderers) into a response for this device: the rich
// tier gets HTML5; the basic tier gets XHTML-MP with its XML prolog and doctype, served as
// application/xhtml+xml only to devices that say they accept it.
//
// Every page fits the device's budget (markup.ts, budget.ts). The renderer measures what it
// made and, while the page is too big, first leaves out optional parts (Chrome.lean) and then
// shows fewer list entries (Page.list.shorten, which asks the origin for a shorter page so the
// "older" link continues right after the last entry shown). It measures the page as sent: with a
// URL session, after the token has been added to every link and form (session/url-rewrite.ts),
// which on a small phone's page can add a few kilobytes.
import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { withoutForbiddenCharacters } from '../../shared/text.js';
import type { AppEnv } from '../env.js';
import { csrfTokenFor } from '../session/session.js';
import { htmlWithUrlSession } from '../session/url-rewrite.js';
import { BasicLayout } from './basic/layout.js';
import { byteLength, ENTRY_BYTES, listLimit, MAX_LIST_ENTRIES, TIGHT_BUDGET } from './budget.js';
import type { Chrome } from './chrome.js';
import { contentTypeOf, type Markup, markupOf } from './markup.js';
import { RichLayout } from './rich/layout.js';

export const XHTML_MP_PROLOG =
  '<?xml version="1.0" encoding="UTF-8"?>\n' +
  '<!DOCTYPE html PUBLIC "-//WAPFORUM//DTD XHTML Mobile 1.2//EN" "http://www.openmobilealliance.org/tech/DTD/xhtml-mobile12.dtd">\n';
export const HTML5_DOCTYPE = '<!DOCTYPE html>\n';

/** A page's list, for fitting the page into its budget. */
export interface PageList<M> {
  /** Entries the model shows. */
  count(model: M): number;
  /** The model with at most `count` entries (fewer than now). */
  shorten(model: M, count: number): M | Promise<M>;
}

export interface Page<M> {
  title: string;
  model: M;
  rich: (model: M, chrome: Chrome) => Child;
  basic: (model: M, chrome: Chrome) => Child;
  status?: ContentfulStatusCode;
  /** Pages with forms need a token even for anonymous visitors (sets the anonymous cookie). */
  forms?: boolean;
  list?: PageList<M>;
}

export async function chromeFor(
  c: Context<AppEnv>,
  title: string,
  forms: boolean,
  markup: Markup = markupFor(c),
): Promise<Chrome> {
  const viewerId = c.get('session')?.memberId ?? null;
  // Only pages that need one carry a token: anonymous public pages stay cookie-free and cacheable.
  const needsToken = viewerId !== null || forms;
  const device = c.get('device');
  return {
    title,
    tenantName: c.get('tenant')?.name ?? 'Chorus',
    viewerId,
    csrf: needsToken && c.get('tenant') ? await csrfTokenFor(c) : null,
    path: new URL(c.req.url).pathname,
    lean: false,
    js: device?.js ?? false,
    images: markup.images,
  };
}

/**
 * The whole document as sent: prolog or doctype plus the page in its tier's frame. A basic page
 * is XML, which one character XML 1.0 forbids makes unreadable to a phone's parser: such
 * characters are dropped from it whatever their source (members' text stored before the origin
 * refused them, what a visitor typed into a form that comes back). Our own markup holds none, so
 * the whole page is cleaned at once; lone surrogates go too, which would otherwise leave the
 * worker as invalid UTF-8. Rich pages (HTML5, where browsers replace them) are left as they are:
 * they are larger, and the scan costs ~2 ns a character.
 */
export async function renderDocument<M>(markup: Markup, chrome: Chrome, page: Page<M>, model: M): Promise<string> {
  if (markup.tier === 'basic') {
    const html = (await (<BasicLayout chrome={chrome}>{page.basic(model, chrome)}</BasicLayout>).toString()) as string;
    return XHTML_MP_PROLOG + withoutForbiddenCharacters(html);
  }
  const html = (await (<RichLayout chrome={chrome}>{page.rich(model, chrome)}</RichLayout>).toString()) as string;
  return HTML5_DOCTYPE + html;
}

export interface FittedPage {
  /** The rendered page (before the session middleware adds a URL session token, if any). */
  html: string;
  /** Bytes of the page as sent (token included). */
  bytes: number;
  /** Entries shown, when the page has a list. */
  entries: number | null;
  lean: boolean;
}

/** Most rounds of "show fewer entries" (each may cost an origin call). */
const MAX_SHORTEN_ROUNDS = 4;

/** What is done to a rendered page before it is sent (e.g. adding a URL session token). */
export type Delivery = (html: string) => Promise<string>;

const asIs: Delivery = async (html) => html;

/**
 * Renders the page within `markup.budget` bytes as delivered when it can: optional parts go
 * first, then list entries (down to one). A page that still does not fit (one huge entry on a
 * tiny budget) is sent as small as it got.
 */
export async function fitPage<M>(
  markup: Markup,
  chrome: Chrome,
  page: Page<M>,
  delivery: Delivery = asIs,
): Promise<FittedPage> {
  const sentBytes = async (rendered: string) => byteLength(await delivery(rendered));
  let model = page.model;
  let current: Chrome = markup.budget <= TIGHT_BUDGET ? { ...chrome, lean: true } : chrome;
  let html = await renderDocument(markup, current, page, model);
  let bytes = await sentBytes(html);
  if (bytes > markup.budget && !current.lean) {
    current = { ...current, lean: true };
    html = await renderDocument(markup, current, page, model);
    bytes = await sentBytes(html);
  }
  const list = page.list;
  let previous: { count: number; bytes: number } | null = null;
  for (let round = 0; list && bytes > markup.budget && round < MAX_SHORTEN_ROUNDS; round++) {
    const count = list.count(model);
    if (count <= 1) break;
    // First guess: entries take most of an oversized page, so scale their number down by the
    // overshoot. That cuts too little when the overshoot is small (the frame counts as if it
    // were entries), so once two sizes are known, cut by what an entry measured.
    let target = Math.floor((count * markup.budget) / bytes);
    if (previous && previous.count > count && previous.bytes > bytes) {
      const perEntry = (previous.bytes - bytes) / (previous.count - count);
      target = Math.min(target, count - Math.ceil((bytes - markup.budget) / perEntry));
    }
    target = Math.max(1, Math.min(count - 1, target));
    previous = { count, bytes };
    model = await list.shorten(model, target);
    html = await renderDocument(markup, current, page, model);
    bytes = await sentBytes(html);
  }
  return { html, bytes, entries: list ? list.count(model) : null, lean: current.lean };
}

export async function renderPage<M>(c: Context<AppEnv>, page: Page<M>): Promise<Response> {
  const markup = markupOf(c.get('device'), c.req.header('accept'));
  const chrome = await chromeFor(c, page.title, page.forms ?? false, markup);
  const contentType = contentTypeOf(markup);
  // The session middleware adds the token after this; the page must fit with it.
  const urlSession = c.get('urlSession');
  const delivery: Delivery | undefined = urlSession
    ? (html) => htmlWithUrlSession(html, contentType, urlSession.token, c.req.url)
    : undefined;
  const fitted = await fitPage(markup, chrome, page, delivery);
  return c.body(fitted.html, page.status ?? 200, { 'Content-Type': contentType });
}

/** The budget and markup of this request (handlers size their origin queries with it). */
export function markupFor(c: Context<AppEnv>): Markup {
  return markupOf(c.get('device'), c.req.header('accept'));
}

/** Links and forms in a list entry, roughly: what a URL session token is added to. */
const LINKS_PER_ENTRY = 3;

/**
 * How many list entries to ask the origin for: the first guess for this request's budget
 * (fitPage shows fewer when the page turns out too big, at the cost of another origin call).
 * With a URL session every link grows by the token, so each entry is guessed bigger.
 */
export function listLimitFor(c: Context<AppEnv>, entryBytes = ENTRY_BYTES, max = MAX_LIST_ENTRIES): number {
  const markup = markupFor(c);
  const token = c.get('urlSession')?.token;
  const perLink = token ? token.length + '&amp;s='.length : 0;
  return listLimit(markup.budget, markup.tier, entryBytes + LINKS_PER_ENTRY * perLink, max);
}
