import type { Chrome } from '../../ui/chrome.js';
import { Inlines } from '../../ui/inline.js';
import { ActionForm } from '../../ui/rich/components.js';
import { describeNotification, type NotificationsModel } from './model.js';

export function NotificationsRich(model: NotificationsModel, chrome: Chrome) {
  return (
    <>
      <h1>Notifications {model.unseen > 0 && <span class="badge">{model.unseen}</span>}</h1>
      {model.entries.length === 0 ? (
        <p class="empty">{model.paged ? 'No older notifications.' : 'No notifications yet.'}</p>
      ) : (
        <ul class="stream">
          {model.entries.map(describeNotification).map((n) => (
            <li class={n.markRead ? 'card unread' : 'card'}>
              <p class="head">
                {n.fresh && (
                  <>
                    <span class="badge">New</span>{' '}
                  </>
                )}
                <Inlines parts={n.headline} />
                {n.quote !== null && <span class="quote">: “{n.quote}”</span>}
              </p>
              {n.next && (
                <p class="title">
                  <a href={n.next.href}>{n.next.text}</a>
                </p>
              )}
              <div class="meta">{n.time}</div>
              {n.markRead && chrome.csrf && (
                <div class="actions">
                  <ActionForm csrf={chrome.csrf} button={n.markRead} back={chrome.path} secondary />
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      {model.olderHref && (
        <a class="older" href={model.olderHref}>
          Older notifications
        </a>
      )}
    </>
  );
}
