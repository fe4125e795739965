import { POST_MAX_LENGTH } from '../../../shared/api.js';
import type { Chrome } from '../../ui/chrome.js';
import { CsrfField, FieldError, StreamList } from '../../ui/rich/components.js';
import { AUDIENCE_CHOICES, type HomeModel } from './model.js';

export function HomeRich(model: HomeModel, chrome: Chrome) {
  return (
    <>
      <h1>
        Hi, <a href={`/u/${model.me.username}`}>{model.me.displayName}</a>
      </h1>
      {model.postingOpen && !model.paged && (
        <form class="card" method="post" action="/posts">
          <CsrfField token={chrome.csrf ?? ''} />
          <label for="text">What are you up to?</label>
          <textarea id="text" name="text" maxlength={POST_MAX_LENGTH} required>
            {model.draft.text}
          </textarea>
          <FieldError message={model.errors.text ?? model.errors.form} />
          <label for="audience">Who can see it</label>
          <select id="audience" name="audience">
            {AUDIENCE_CHOICES.map((choice) => (
              <option value={choice.value} selected={model.draft.audience === choice.value}>
                {choice.label}
              </option>
            ))}
          </select>
          <FieldError message={model.errors.audience} />
          <button type="submit" class="primary">
            Post
          </button>
        </form>
      )}
      <h2>Updates</h2>
      <StreamList entries={model.entries} olderHref={model.olderHref} lean={chrome.lean} />
      {!chrome.lean && model.community.length > 0 && (
        <aside class="community">
          <h2>Around the community</h2>
          <StreamList entries={model.community} olderHref={null} lean />
        </aside>
      )}
    </>
  );
}
