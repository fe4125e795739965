import { POST_MAX_LENGTH } from '../../../shared/api.js';
import type { Chrome } from '../../ui/chrome.js';
import { CsrfField, FieldError, StreamList } from '../../ui/rich/components.js';
import { TYPE_CHOICES } from '../../ui/type-filter.js';
import { AUDIENCE_CHOICES, type HomeModel } from './model.js';

export function HomeRich(model: HomeModel, chrome: Chrome) {
  return (
    <>
      <h1>
        Hi, <a href={`/u/${model.me.username}`}>{model.me.displayName}</a>
      </h1>
      {model.unseenNotifications > 0 && (
        <p>
          <a href="/notifications">
            New notifications <span class="badge">{model.unseenNotifications}</span>
          </a>
        </p>
      )}
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
      {(!chrome.lean || model.types) && (
        <nav class="filters" aria-label="Show">
          {TYPE_CHOICES.map((choice) => (
            <a
              href={choice.types ? `/home?types=${choice.types}` : '/home'}
              class={model.types === choice.types ? 'on' : undefined}
            >
              {choice.label}
            </a>
          ))}
        </nav>
      )}
      <StreamList entries={model.entries} olderHref={model.olderHref} chrome={chrome} />
      {!chrome.lean && model.community.length > 0 && (
        <aside class="community">
          <h2>Around the community</h2>
          <StreamList entries={model.community} olderHref={null} chrome={chrome} lean />
        </aside>
      )}
    </>
  );
}
