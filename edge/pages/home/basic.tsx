import { CsrfField, FieldError, StreamList } from '../../ui/basic/components.js';
import type { Chrome } from '../../ui/chrome.js';
import { TYPE_CHOICES } from '../../ui/type-filter.js';
import { AUDIENCE_CHOICES, type HomeModel } from './model.js';

export function HomeBasic(model: HomeModel, chrome: Chrome) {
  return (
    <>
      <h1>Hi, {model.me.displayName}</h1>
      {model.unseenNotifications > 0 && (
        <p>
          <a href="/notifications">
            {model.unseenNotifications} new {model.unseenNotifications === 1 ? 'notification' : 'notifications'}
          </a>
        </p>
      )}
      {model.postingOpen && !model.paged && (
        <form method="post" action="/posts">
          <p>
            <CsrfField token={chrome.csrf ?? ''} />
            <FieldError message={model.errors.text ?? model.errors.form} />
            <textarea name="text" rows={3} cols={20}>
              {model.draft.text}
            </textarea>
            <br />
            <select name="audience">
              {AUDIENCE_CHOICES.map((choice) => (
                <option value={choice.value} selected={model.draft.audience === choice.value}>
                  {choice.label}
                </option>
              ))}
            </select>
            <input type="submit" value="Post" />
          </p>
        </form>
      )}
      {(!chrome.lean || model.types) && (
        <p>
          {TYPE_CHOICES.map((choice, i) => (
            <>
              {i > 0 && ' | '}
              {model.types === choice.types ? (
                <b>{choice.label}</b>
              ) : (
                <a href={choice.types ? `/home?types=${choice.types}` : '/home'}>{choice.label}</a>
              )}
            </>
          ))}
        </p>
      )}
      <StreamList entries={model.entries} olderHref={model.olderHref} chrome={chrome} />
    </>
  );
}
