// Which markup a request gets: the device's tier, for basic phones whether to serve XHTML-MP as
// application/xhtml+xml (only when the device says it accepts it), and the page budget step.
import type { DeviceProfile } from '../device/detect.js';
import { BUDGET_STEPS, budgetStep } from './budget.js';

export type Tier = DeviceProfile['tier'];

export interface Markup {
  tier: Tier;
  xhtml: boolean;
  /** Most bytes the page may have (the device's maxPageBytes rounded down to a step). */
  budget: number;
}

export function markupOf(
  device: (Pick<DeviceProfile, 'tier'> & Partial<Pick<DeviceProfile, 'maxPageBytes'>>) | undefined,
  accept: string | undefined,
): Markup {
  const tier: Tier = device?.tier === 'basic' ? 'basic' : 'rich';
  const xhtml = tier === 'basic' && /application\/xhtml\+xml/i.test(accept ?? '');
  return { tier, xhtml, budget: budgetStep(device?.maxPageBytes) };
}

/**
 * Names the rendering variant, e.g. for the page cache key: tier, content type and budget step
 * (a page rendered for a 64 KB budget must not be served to a phone that takes 8 KB).
 */
export function variantOf(markup: Markup): string {
  return `${markup.xhtml ? `${markup.tier}-xhtml` : markup.tier}-${Math.round(markup.budget / 1024)}k`;
}

export function contentTypeOf(markup: Markup): string {
  return markup.xhtml ? 'application/xhtml+xml; charset=utf-8' : 'text/html; charset=utf-8';
}

/** Every name variantOf can return (e.g. to purge a page from the cache in all its variants). */
export const MARKUP_VARIANTS: readonly string[] = BUDGET_STEPS.flatMap((budget) => [
  variantOf({ tier: 'rich', xhtml: false, budget }),
  variantOf({ tier: 'basic', xhtml: false, budget }),
  variantOf({ tier: 'basic', xhtml: true, budget }),
]);
