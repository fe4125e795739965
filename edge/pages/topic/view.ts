// A topic page (hashtag or place) as a Page (view model + both tiers' renderers), shared by the handler and tests.
import { streamList } from '../../ui/lists.js';
import type { Page } from '../../ui/render.js';
import { TopicBasic } from './basic.js';
import type { TopicModel } from './model.js';
import { TopicRich } from './rich.js';

/** `load(limit)` gives the same page with fewer entries (for fitting the budget). */
export function topicView(model: TopicModel, load?: (limit: number) => Promise<TopicModel>): Page<TopicModel> {
  return { title: model.heading, model, rich: TopicRich, basic: TopicBasic, list: load && streamList(load) };
}
