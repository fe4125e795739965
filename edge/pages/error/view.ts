// An error page as a Page (view model + both tiers' renderers), shared by renderError and tests.
import type { Page } from '../../ui/render.js';
import { ErrorBasic } from './basic.js';
import type { ErrorModel } from './model.js';
import { ErrorRich } from './rich.js';

export function errorView(model: ErrorModel): Page<ErrorModel> {
  return { title: model.heading, model, rich: ErrorRich, basic: ErrorBasic, status: model.status };
}
