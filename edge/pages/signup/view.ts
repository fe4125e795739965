// The sign-up page as a Page (view model + both tiers' renderers), shared by the handler and tests.
import type { Page } from '../../ui/render.js';
import { SignupBasic } from './basic.js';
import type { SignupModel } from './model.js';
import { SignupRich } from './rich.js';

export function signupView(model: SignupModel, status: 200 | 400 | 403 | 409 = 200): Page<SignupModel> {
  return { title: 'Sign up', model, rich: SignupRich, basic: SignupBasic, status, forms: true };
}
