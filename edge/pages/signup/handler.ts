// GET /signup shows the form; POST /signup creates the member at the origin and logs them in.
import type { Context } from 'hono';
import type { AppEnv } from '../../env.js';
import { readForm } from '../../forms/read-form.js';
import { startSession } from '../../session/session.js';
import { renderPage } from '../../ui/render.js';
import { type SignupModel, signupModel, submitSignup } from './model.js';
import { signupView } from './view.js';

function render(c: Context<AppEnv>, model: SignupModel, status: 200 | 400 | 403 | 409 = 200) {
  return renderPage(c, signupView(model, status));
}

export function signupForm(c: Context<AppEnv>) {
  if (c.get('session')) return c.redirect('/home', 303);
  return render(c, signupModel(c.get('tenant').switches.signup));
}

export async function signupSubmit(c: Context<AppEnv>) {
  const outcome = await submitSignup(c.get('origin'), c.get('tenant').switches.signup, await readForm(c));
  if (!outcome.ok) return render(c, outcome.model, outcome.status);
  await startSession(c, outcome.member);
  return c.redirect('/home', 303);
}
