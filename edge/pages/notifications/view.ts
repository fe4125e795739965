// The notifications page as a Page (view model + both tiers' renderers), shared by the handler and tests.
import { streamList } from '../../ui/lists.js';
import type { Page } from '../../ui/render.js';
import { NotificationsBasic } from './basic.js';
import type { NotificationsModel } from './model.js';
import { NotificationsRich } from './rich.js';

/** `load(limit)` gives the same page with fewer entries (for fitting the budget). */
export function notificationsView(
  model: NotificationsModel,
  load?: (limit: number) => Promise<NotificationsModel>,
): Page<NotificationsModel> {
  return {
    title: 'Notifications',
    model,
    rich: NotificationsRich,
    basic: NotificationsBasic,
    list: load && streamList(load),
  };
}
