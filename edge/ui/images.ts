// Which rendition of an image a device gets. The origin sends every rendition it has (url, width,
// format); the edge shows the largest one that fits the device's maxImageWidth in a format the
// device shows, else the smallest one in such a format (the browser scales it down), else none
// (the page says there is a photo instead). Pure functions: the same answer for every request
// with the same capabilities.
//
// Like page budgets (budget.ts), the device's image capabilities are rounded to a few steps
// before use, so that a shared cached page (the step is part of its variant, see markup.ts) is
// right for every device that gets it.
import type { ImageVariant } from '../../shared/api.js';

export type ImageFormat = ImageVariant['format'];

/** Every format the edge knows, best first: where a page may choose, it takes the first one. */
export const IMAGE_FORMAT_ORDER: readonly ImageFormat[] = ['avif', 'webp', 'jpeg', 'png', 'gif'];

/** What a device can show: the widest image worth sending, and the formats it decodes. */
export interface ImageCaps {
  maxWidth: number;
  /** In IMAGE_FORMAT_ORDER. */
  formats: readonly ImageFormat[];
}

/** Image width steps in pixels, smallest first (common screen and rendition widths). */
export const IMAGE_WIDTH_STEPS: readonly number[] = [
  96, 128, 176, 240, 320, 360, 480, 640, 720, 768, 1080, 1280, 1440, 1920, 2560,
];

/** When nothing is known: a small screen and the formats every browser shows. */
export const DEFAULT_IMAGE_CAPS: ImageCaps = { maxWidth: 240, formats: ['jpeg', 'png', 'gif'] };

/** A device's image capabilities, rounded down to a width step (never below the first). */
export function imageCapsOf(
  device: { maxImageWidth?: number; imageFormats?: readonly string[] } | undefined,
): ImageCaps {
  if (!device) return DEFAULT_IMAGE_CAPS;
  const limit = device.maxImageWidth;
  let maxWidth = IMAGE_WIDTH_STEPS[0]!;
  if (limit === undefined || !Number.isFinite(limit)) maxWidth = DEFAULT_IMAGE_CAPS.maxWidth;
  else for (const step of IMAGE_WIDTH_STEPS) if (step <= limit) maxWidth = step;
  const known = new Set(device.imageFormats ?? DEFAULT_IMAGE_CAPS.formats);
  const formats = IMAGE_FORMAT_ORDER.filter((format) => known.has(format));
  return { maxWidth, formats: formats.length > 0 ? formats : DEFAULT_IMAGE_CAPS.formats };
}

/** Short stable name of the capabilities, e.g. "i1080awjpg" (for cache variants). */
export function imageCapsName(caps: ImageCaps): string {
  const letters: Record<ImageFormat, string> = { avif: 'a', webp: 'w', jpeg: 'j', png: 'p', gif: 'g' };
  return `i${caps.maxWidth}${caps.formats.map((f) => letters[f]).join('')}`;
}

/**
 * The rendition to show: the largest one no wider than `caps.maxWidth` in a supported format;
 * if every supported one is wider, the smallest of them; null when none is in a supported format.
 * Between renditions of the same width, the format the device lists first (the smaller file) wins.
 */
export function pickImage(images: readonly ImageVariant[], caps: ImageCaps): ImageVariant | null {
  const rank = (v: ImageVariant) => caps.formats.indexOf(v.format);
  let fitting: ImageVariant | null = null;
  let smallest: ImageVariant | null = null;
  for (const image of images) {
    const r = rank(image);
    if (r < 0) continue;
    if (image.width <= caps.maxWidth) {
      if (!fitting || image.width > fitting.width || (image.width === fitting.width && r < rank(fitting))) {
        fitting = image;
      }
    } else if (!smallest || image.width < smallest.width || (image.width === smallest.width && r < rank(smallest))) {
      smallest = image;
    }
  }
  return fitting ?? smallest;
}
