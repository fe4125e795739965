// GET /login shows the form; POST /login checks the password at the origin and starts a session.
import type { Context } from 'hono';
import type { AppEnv } from '../../env.js';
import { readForm } from '../../forms/read-form.js';
import { startSession } from '../../session/session.js';
import { renderPage } from '../../ui/render.js';
import { type LoginModel, loginModel, submitLogin } from './model.js';
import { loginView } from './view.js';

function render(c: Context<AppEnv>, model: LoginModel, status: 200 | 400 | 401 = 200) {
  return renderPage(c, loginView(model, status));
}

export function loginForm(c: Context<AppEnv>) {
  if (c.get('session')) return c.redirect('/home', 303);
  return render(c, loginModel(c.get('tenant').switches.signup));
}

export async function loginSubmit(c: Context<AppEnv>) {
  const outcome = await submitLogin(c.get('origin'), c.get('tenant').switches.signup, await readForm(c));
  if (!outcome.ok) return render(c, outcome.model, outcome.status);
  await startSession(c, outcome.member);
  return c.redirect('/home', 303);
}
