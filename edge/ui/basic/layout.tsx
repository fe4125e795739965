// The basic tier's page frame: XHTML-MP 1.2 body (the XML prolog and doctype are prepended by
// the renderer), no scripts, tiny CSS, numbered access keys on the main links for keypads.
// On a tight budget (chrome.lean) the footer line goes.
import type { Child } from 'hono/jsx';
import { type Chrome, EVERYWHERE_FIELD, LOG_OUT, LOG_OUT_EVERYWHERE } from '../chrome.js';
import { CsrfField } from './components.js';
import { BASIC_CSS } from './styles.js';

export function BasicLayout({ chrome, children }: { chrome: Chrome; children?: Child }) {
  return (
    // biome-ignore lint/a11y/useHtmlLang: XHTML-MP declares the language with xml:lang, not lang
    <html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en">
      <head>
        <meta name="chorus-tier" content="basic" />
        <link rel="icon" href="data:," />
        <title>{`${chrome.title} - ${chrome.tenantName}`}</title>
        <style type="text/css">{BASIC_CSS}</style>
      </head>
      <body class="tier-basic">
        <p>
          <a href="/" accesskey="0">
            {chrome.tenantName}
          </a>
        </p>
        {children}
        <hr />
        <p>
          {chrome.viewerId ? (
            <>
              <a href="/home" accesskey="1">
                [1] Home
              </a>
              <br />
              <a href="/friends" accesskey="2">
                [2] Friends
              </a>
              <br />
              <a href="/notifications" accesskey="3">
                [3] Notifications
              </a>
            </>
          ) : (
            <>
              <a href="/login" accesskey="1">
                [1] Log in
              </a>
              <br />
              <a href="/signup" accesskey="2">
                [2] Sign up
              </a>
            </>
          )}
        </p>
        {chrome.viewerId && chrome.csrf && (
          // One form, two buttons: a second form would repeat the CSRF token, and small phones'
          // pages have no bytes to spare. Only the pressed button is sent; /logout reads it.
          <form method="post" action={LOG_OUT.action}>
            <p>
              <CsrfField token={chrome.csrf} />
              <input type="submit" value={LOG_OUT.label} />{' '}
              <input type="submit" name={EVERYWHERE_FIELD} value={LOG_OUT_EVERYWHERE.label} />
            </p>
          </form>
        )}
        {!chrome.lean && <p class="m">{chrome.tenantName} runs on Chorus. Keys 0-3 and 9 work as shortcuts.</p>}
      </body>
    </html>
  );
}
