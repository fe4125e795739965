import type { Chrome } from '../../ui/chrome.js';
import { StreamList } from '../../ui/rich/components.js';
import type { TopicModel } from './model.js';

export function TopicRich(model: TopicModel, chrome: Chrome) {
  return (
    <>
      <section class="card">
        <h1>{model.heading}</h1>
        {!chrome.lean && (
          <p class="meta">
            {model.kind === 'tag' ? `Updates tagged ${model.heading}` : `Check-ins and updates at ${model.heading}`}
          </p>
        )}
        {!chrome.viewerId && (
          <p>
            <a href="/login">Log in</a> to see what your friends say too.
          </p>
        )}
      </section>
      <StreamList entries={model.entries} olderHref={model.olderHref} chrome={chrome} />
    </>
  );
}
