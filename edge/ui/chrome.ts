// What every page's frame needs besides the page itself: names for the title and header, who
// is logged in, and the CSRF token for forms in the frame (logout) and on the page.
import type { ImageCaps } from './images.js';

export interface Chrome {
  title: string;
  tenantName: string;
  /** Logged-in member id, or null for anonymous visitors. */
  viewerId: string | null;
  /** CSRF token for forms; null on anonymous pages without forms (those may be cached). */
  csrf: string | null;
  /** Path of this page, for forms that come back here after a POST. */
  path: string;
  /**
   * True when the page budget is tight: layouts and pages leave out their optional parts
   * (footers, bios, help text, secondary details of list entries).
   */
  lean: boolean;
  /** The rich tier may add its small progressive script (the device runs JavaScript). */
  js: boolean;
  /** Which image renditions the device gets (images.ts); from the markup variant, not the raw device. */
  images: ImageCaps;
}

/** A small form that POSTs one action: relation buttons, accept/decline, logout. */
export interface ActionButton {
  label: string;
  action: string;
  fields?: Record<string, string>;
}

export const LOG_OUT: ActionButton = { label: 'Log out', action: '/logout' };
/** Ends every session of the member at the origin: other phones and browsers are logged out too. */
export const LOG_OUT_EVERYWHERE: ActionButton = { label: 'Log out everywhere', action: '/logout-everywhere' };
/** The basic tier's log-out form sends this field when its "Log out everywhere" button is pressed. */
export const EVERYWHERE_FIELD = 'everywhere';
