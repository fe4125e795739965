// A profile page as a Page (view model + both tiers' renderers), shared by the handler and tests.
import { streamList } from '../../ui/lists.js';
import type { Page } from '../../ui/render.js';
import { ProfileBasic } from './basic.js';
import type { ProfileModel } from './model.js';
import { ProfileRich } from './rich.js';

/** `load(limit)` gives the same page with fewer entries (for fitting the budget). */
export function profileView(model: ProfileModel, load?: (limit: number) => Promise<ProfileModel>): Page<ProfileModel> {
  const title = model.profile.member.displayName;
  return { title, model, rich: ProfileRich, basic: ProfileBasic, list: load && streamList(load) };
}
