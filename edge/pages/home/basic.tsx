import { CsrfField, FieldError, StreamList } from '../../ui/basic/components.js';
import type { Chrome } from '../../ui/chrome.js';
import { AUDIENCE_CHOICES, type HomeModel } from './model.js';

export function HomeBasic(model: HomeModel, chrome: Chrome) {
  return (
    <>
      <h1>Hi, {model.me.displayName}</h1>
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
      <StreamList entries={model.entries} olderHref={model.olderHref} lean={chrome.lean} />
    </>
  );
}
