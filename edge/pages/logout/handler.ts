// POST /logout and POST /logout-everywhere (CSRF-checked like every POST), back to the front page.
// Log out ends this session at the origin first, so a copied cookie or URL token stops working,
// then forgets it here. Log out everywhere ends every session of the member at the origin (the
// other phones and browsers find out on their next request) and then this one here. The basic
// tier's log-out form has both buttons (one CSRF token on small pages): /logout with the
// `everywhere` field is log out everywhere.
import type { Context } from 'hono';
import type { AppEnv } from '../../env.js';
import { readForm } from '../../forms/read-form.js';
import { endSession } from '../../session/session.js';
import { EVERYWHERE_FIELD } from '../../ui/chrome.js';

export async function logout(c: Context<AppEnv>) {
  const session = c.get('session');
  if (session && (await readForm(c))[EVERYWHERE_FIELD] !== undefined) return logoutEverywhere(c);
  if (session) {
    try {
      await c.get('origin').delete('/v1/sessions/current');
    } catch (err) {
      // Logging out on this device must work whatever the origin says (down, or the session
      // was ended already): the cookie goes. A copy of it lives until the origin answers again.
      console.warn(
        JSON.stringify({
          level: 'warn',
          msg: 'logout: the origin did not end the session',
          requestId: c.get('requestId'),
          err: String(err),
        }),
      );
    }
  }
  endSession(c);
  return c.redirect('/', 303);
}

/** Errors go to onError: unless the origin ended them all, the member stays logged in to retry. */
export async function logoutEverywhere(c: Context<AppEnv>) {
  await c.get('origin').delete('/v1/sessions');
  endSession(c);
  return c.redirect('/', 303);
}
