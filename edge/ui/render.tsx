// Turns a page (a view model and its two renderers) into a response for this device: the rich
// tier gets HTML5; the basic tier gets XHTML-MP with its XML prolog and doctype, served as
// application/xhtml+xml only to devices that say they accept it.
import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from '../env.js';
import { csrfTokenFor } from '../session/session.js';
import { BasicLayout } from './basic/layout.js';
import type { Chrome } from './chrome.js';
import { contentTypeOf, markupOf } from './markup.js';
import { RichLayout } from './rich/layout.js';

export const XHTML_MP_PROLOG =
  '<?xml version="1.0" encoding="UTF-8"?>\n' +
  '<!DOCTYPE html PUBLIC "-//WAPFORUM//DTD XHTML Mobile 1.2//EN" "http://www.openmobilealliance.org/tech/DTD/xhtml-mobile12.dtd">\n';
export const HTML5_DOCTYPE = '<!DOCTYPE html>\n';

export interface Page<M> {
  title: string;
  model: M;
  rich: (model: M, chrome: Chrome) => Child;
  basic: (model: M, chrome: Chrome) => Child;
  status?: ContentfulStatusCode;
  /** Pages with forms need a token even for anonymous visitors (sets the anonymous cookie). */
  forms?: boolean;
}

export async function chromeFor(c: Context<AppEnv>, title: string, forms: boolean): Promise<Chrome> {
  const viewerId = c.var.session?.memberId ?? null;
  // Only pages that need one carry a token: anonymous public pages stay cookie-free and cacheable.
  const needsToken = viewerId !== null || forms;
  return {
    title,
    tenantName: c.var.tenant?.name ?? 'Chorus',
    viewerId,
    csrf: needsToken && c.var.tenant ? await csrfTokenFor(c) : null,
    path: new URL(c.req.url).pathname,
  };
}

export async function renderPage<M>(c: Context<AppEnv>, page: Page<M>): Promise<Response> {
  const markup = markupOf(c.var.device, c.req.header('accept'));
  const chrome = await chromeFor(c, page.title, page.forms ?? false);
  const document =
    markup.tier === 'basic' ? (
      <BasicLayout chrome={chrome}>{page.basic(page.model, chrome)}</BasicLayout>
    ) : (
      <RichLayout chrome={chrome}>{page.rich(page.model, chrome)}</RichLayout>
    );
  const html = (await document.toString()) as string;
  const prolog = markup.tier === 'basic' ? XHTML_MP_PROLOG : HTML5_DOCTYPE;
  return c.body(prolog + html, page.status ?? 200, { 'Content-Type': contentTypeOf(markup) });
}
