// Which markup a request gets: the device's tier, for basic phones whether to serve XHTML-MP as
// application/xhtml+xml (only when the device says it accepts it), the page budget step, and
// which images it can show (width step and formats, see images.ts).
import type { DeviceProfile } from '../device/detect.js';
import { budgetStep } from './budget.js';
import { type ImageCaps, imageCapsName, imageCapsOf } from './images.js';

export type Tier = DeviceProfile['tier'];

export interface Markup {
  tier: Tier;
  xhtml: boolean;
  /** Most bytes the page may have (the device's maxPageBytes rounded down to a step). */
  budget: number;
  /** Images the device shows (rounded to steps, like the budget). */
  images: ImageCaps;
}

export function markupOf(
  device:
    | (Pick<DeviceProfile, 'tier'> & Partial<Pick<DeviceProfile, 'maxPageBytes' | 'maxImageWidth' | 'imageFormats'>>)
    | undefined,
  accept: string | undefined,
): Markup {
  const tier: Tier = device?.tier === 'basic' ? 'basic' : 'rich';
  const xhtml = tier === 'basic' && /application\/xhtml\+xml/i.test(accept ?? '');
  return { tier, xhtml, budget: budgetStep(device?.maxPageBytes), images: imageCapsOf(device) };
}

/**
 * Names the rendering variant, e.g. for the page cache key: tier, content type, budget step and
 * image capabilities (a page rendered for a 64 KB budget must not be served to a phone that takes
 * 8 KB, nor one with WebP photos to a phone that shows only JPEG).
 */
export function variantOf(markup: Markup): string {
  const tier = markup.xhtml ? `${markup.tier}-xhtml` : markup.tier;
  return `${tier}-${Math.round(markup.budget / 1024)}k-${imageCapsName(markup.images)}`;
}

export function contentTypeOf(markup: Markup): string {
  return markup.xhtml ? 'application/xhtml+xml; charset=utf-8' : 'text/html; charset=utf-8';
}
