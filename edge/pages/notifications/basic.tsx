import { ActionForm } from '../../ui/basic/components.js';
import type { Chrome } from '../../ui/chrome.js';
import { Inlines } from '../../ui/inline.js';
import { describeNotification, type NotificationsModel } from './model.js';

export function NotificationsBasic(model: NotificationsModel, chrome: Chrome) {
  return (
    <>
      <h1>Notifications{model.unseen > 0 && ` (${model.unseen} new)`}</h1>
      {model.entries.length === 0 && <p>{model.paged ? 'No older notifications.' : 'No notifications yet.'}</p>}
      {model.entries.map(describeNotification).map((n) => (
        <>
          <p>
            {n.fresh && <b>New: </b>}
            <Inlines parts={n.headline} />
            {n.quote !== null && `: “${n.quote}”`}
            {n.next && (
              <>
                <br />
                <a href={n.next.href}>{n.next.text}</a>
              </>
            )}
            <br />
            <span class="m">{n.time}</span>
          </p>
          {n.markRead && chrome.csrf && <ActionForm csrf={chrome.csrf} button={n.markRead} back={chrome.path} />}
        </>
      ))}
      {model.olderHref && (
        <p>
          <a href={model.olderHref} accesskey="9">
            [9] Older
          </a>
        </p>
      )}
    </>
  );
}
