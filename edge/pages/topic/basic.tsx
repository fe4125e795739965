import { StreamList } from '../../ui/basic/components.js';
import type { Chrome } from '../../ui/chrome.js';
import type { TopicModel } from './model.js';

export function TopicBasic(model: TopicModel, chrome: Chrome) {
  return (
    <>
      <h1>{model.heading}</h1>
      {!chrome.lean && (
        <p class="m">{model.kind === 'tag' ? `Updates tagged ${model.heading}` : `Updates at ${model.heading}`}</p>
      )}
      <StreamList entries={model.entries} olderHref={model.olderHref} chrome={chrome} />
    </>
  );
}
