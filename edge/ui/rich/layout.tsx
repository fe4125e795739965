// The rich tier's page frame: HTML5, viewport meta, inline responsive CSS, and for devices that
// run JavaScript a small progressive script (pages work the same without it). On a tight budget
// (chrome.lean) the footer goes.
import type { Child } from 'hono/jsx';
import { type Chrome, LOG_OUT, LOG_OUT_EVERYWHERE } from '../chrome.js';
import { ActionForm } from './components.js';
import { RICH_JS } from './script.js';
import { RICH_CSS } from './styles.js';

export function RichLayout({ chrome, children }: { chrome: Chrome; children?: Child }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="chorus-tier" content="rich" />
        {/* No favicon request: one round trip less on slow networks, and no 404 in the console. */}
        <link rel="icon" href="data:," />
        <title>{`${chrome.title} · ${chrome.tenantName}`}</title>
        <style>{RICH_CSS}</style>
      </head>
      <body class="tier-rich">
        <header>
          <a class="brand" href="/">
            {chrome.tenantName}
          </a>
          <nav>
            {chrome.viewerId ? (
              <>
                <a href="/home">Home</a>
                <a href="/friends">Friends</a>
                <a href="/notifications">Notifications</a>
                {chrome.csrf && (
                  <>
                    <ActionForm csrf={chrome.csrf} button={LOG_OUT} />
                    <ActionForm csrf={chrome.csrf} button={LOG_OUT_EVERYWHERE} />
                  </>
                )}
              </>
            ) : (
              <>
                <a href="/login">Log in</a>
                <a href="/signup">Sign up</a>
              </>
            )}
          </nav>
        </header>
        <main>{children}</main>
        {!chrome.lean && <footer>{chrome.tenantName} · powered by Chorus</footer>}
        {chrome.js && <script dangerouslySetInnerHTML={{ __html: RICH_JS }} />}
      </body>
    </html>
  );
}
