// The home page as a Page (view model + both tiers' renderers), shared by the handler and tests.
import { streamList } from '../../ui/lists.js';
import type { Page } from '../../ui/render.js';
import { HomeBasic } from './basic.js';
import type { HomeModel } from './model.js';
import { HomeRich } from './rich.js';

/** `load(limit)` gives the same page with fewer entries (for fitting the budget). */
export function homeView(model: HomeModel, load?: (limit: number) => Promise<HomeModel>): Page<HomeModel> {
  const status = Object.keys(model.errors).length > 0 ? 400 : 200;
  return { title: 'Home', model, rich: HomeRich, basic: HomeBasic, status, list: load && streamList(load) };
}
