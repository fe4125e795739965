// Page budgets: every page must fit the device's maxPageBytes (the HTML as sent). Budgets are
// rounded down to a few steps so that pages render the same for every device in a step: that
// keeps shared cache entries few (the step is part of the cache variant, see markup.ts) and
// makes the output a pure function of (tier, step, content). Images are fetched separately and
// are not part of the budget, but their <img> tags are (they are in the HTML); which rendition
// an image tag names is decided in images.ts.
import type { Tier } from './markup.js';

/** Budget steps in bytes, smallest first. The last one also covers every larger budget. */
export const BUDGET_STEPS: readonly number[] = [4096, 6144, 8192, 12288, 16384, 32768, 65536];

/** The page budget for a device: its maxPageBytes rounded down to a step (never below the first). */
export function budgetStep(maxPageBytes: number | undefined): number {
  const limit = maxPageBytes !== undefined && Number.isFinite(maxPageBytes) ? maxPageBytes : Number.POSITIVE_INFINITY;
  let step = BUDGET_STEPS[0]!;
  for (const candidate of BUDGET_STEPS) if (candidate <= limit) step = candidate;
  return step;
}

/** Most list entries a page ever shows (the origin allows up to 100). */
export const MAX_LIST_ENTRIES = 20;

// Rough sizes for the first guess of how many entries fit: the frame (head, CSS, header, forms,
// navigation) and one entry with a long post. The renderer measures the real page afterwards and
// shows fewer entries when the guess was too generous.
const FRAME_BYTES: Record<Tier, number> = { rich: 6144, basic: 2048 };
/** A 500-character post, a long display name and the entry's markup. */
export const ENTRY_BYTES = 900;
/** One person on the friends page, with its action form (CSRF token included). */
export const PERSON_BYTES = 520;
/** One notification with a quote of what it is about and its "mark read" form. */
export const NOTIFICATION_BYTES = 560;

/** How many list entries (of about `entryBytes` each) to ask for, for this budget. */
export function listLimit(budget: number, tier: Tier, entryBytes = ENTRY_BYTES, max = MAX_LIST_ENTRIES): number {
  const fit = Math.floor((budget - FRAME_BYTES[tier]) / entryBytes);
  return Math.max(1, Math.min(max, fit));
}

/** Budgets at or below this drop the page's optional parts from the start. */
export const TIGHT_BUDGET = 8192;

const encoder = new TextEncoder();

/** Bytes of a string as sent (UTF-8). */
export function byteLength(text: string): number {
  return encoder.encode(text).length;
}
