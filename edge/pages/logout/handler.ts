// POST /logout (CSRF-checked like every POST): forget the session cookie, back to the front page.
import type { Context } from 'hono';
import type { AppEnv } from '../../env.js';
import { endSession } from '../../session/session.js';

export function logout(c: Context<AppEnv>) {
  endSession(c);
  return c.redirect('/', 303);
}
