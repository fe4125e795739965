// Which markup a request gets: the device's tier, and for basic phones whether to serve
// XHTML-MP as application/xhtml+xml (only when the device says it accepts it).
import type { DeviceProfile } from '../device/detect.js';

export type Tier = DeviceProfile['tier'];

export interface Markup {
  tier: Tier;
  xhtml: boolean;
}

export function markupOf(device: Pick<DeviceProfile, 'tier'> | undefined, accept: string | undefined): Markup {
  const tier: Tier = device?.tier === 'basic' ? 'basic' : 'rich';
  const xhtml = tier === 'basic' && /application\/xhtml\+xml/i.test(accept ?? '');
  return { tier, xhtml };
}

/** Names the rendering variant, e.g. for the page cache key. */
export function variantOf(markup: Markup): string {
  return markup.xhtml ? `${markup.tier}-xhtml` : markup.tier;
}

export function contentTypeOf(markup: Markup): string {
  return markup.xhtml ? 'application/xhtml+xml; charset=utf-8' : 'text/html; charset=utf-8';
}
