// The log-in page as a Page (view model + both tiers' renderers), shared by the handler and tests.
import type { Page } from '../../ui/render.js';
import { LoginBasic } from './basic.js';
import type { LoginModel } from './model.js';
import { LoginRich } from './rich.js';

export function loginView(model: LoginModel, status: 200 | 400 | 401 = 200): Page<LoginModel> {
  return { title: 'Log in', model, rich: LoginRich, basic: LoginBasic, status, forms: true };
}
