// The front page as a Page (view model + both tiers' renderers), shared by the handler and tests.
import { streamList } from '../../ui/lists.js';
import type { Page } from '../../ui/render.js';
import { FrontBasic } from './basic.js';
import type { FrontModel } from './model.js';
import { FrontRich } from './rich.js';

/** `load(limit)` gives the same page with fewer entries (for fitting the budget). */
export function frontView(model: FrontModel, load?: (limit: number) => Promise<FrontModel>): Page<FrontModel> {
  return { title: 'Welcome', model, rich: FrontRich, basic: FrontBasic, list: load && streamList(load) };
}
