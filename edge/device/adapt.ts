import type { DeviceProfile } from './detect.js';
import type { ClientHints } from './hints.js';

// Narrows a profile with what the browser tells us about this particular request: its viewport,
// pixel density and data-saving wishes. Hints only ever shrink budgets, never raise them above the
// profile, because the profile's limits are what the device is known to handle.

/** Smallest image width worth serving (a thumbnail on a feature phone at half budget). */
const MIN_IMAGE_WIDTH = 96;
/** Smallest page budget: enough for a header, one post and navigation. */
const MIN_PAGE_BYTES = 4096;

/** Save-Data or a 2G-class connection halves the budgets; 3G trims them. */
function budgetFactor(hints: ClientHints): number {
  const slow = hints.ect === 'slow-2g' || hints.ect === '2g';
  if (hints.saveData || slow) return 0.5;
  if (hints.ect === '3g') return 0.75;
  return 1;
}

/** Returns a new profile; the input (a shared table entry) is never modified. */
export function adaptToHints(base: DeviceProfile, hints: ClientHints): DeviceProfile {
  let screenWidth = base.screenWidth;
  let maxImageWidth = base.maxImageWidth;

  if (hints.viewportWidth !== undefined || hints.dpr !== undefined) {
    // Without a DPR hint, assume the density the profile implies (its image width per CSS pixel).
    const width = hints.viewportWidth ?? base.screenWidth;
    const dpr = hints.dpr ?? Math.max(1, base.maxImageWidth / base.screenWidth);
    screenWidth = width;
    maxImageWidth = Math.min(base.maxImageWidth, Math.ceil(width * dpr));
  }

  const factor = budgetFactor(hints);
  return {
    ...base,
    imageFormats: [...base.imageFormats],
    screenWidth,
    maxImageWidth: shrink(maxImageWidth, factor, MIN_IMAGE_WIDTH),
    maxPageBytes: shrink(base.maxPageBytes, factor, MIN_PAGE_BYTES),
  };
}

/** value * factor, but not below floor (nor above value when value is already below floor). */
function shrink(value: number, factor: number, floor: number): number {
  return Math.max(Math.min(value, floor), Math.floor(value * factor));
}
