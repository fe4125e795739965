import { describe, expect, it } from 'vitest';
import type { ImageVariant } from '../../shared/api.js';
import { DEFAULT_IMAGE_CAPS, type ImageCaps, imageCapsName, imageCapsOf, pickImage } from './images.js';
import { markupOf, variantOf } from './markup.js';

const v = (width: number, format: ImageVariant['format']): ImageVariant => ({
  url: `https://img.test/${width}.${format}`,
  width,
  format,
});

const PHOTO = [v(160, 'jpeg'), v(320, 'jpeg'), v(640, 'jpeg'), v(1080, 'jpeg'), v(640, 'webp'), v(1080, 'webp')];
const smartphone: ImageCaps = { maxWidth: 1080, formats: ['avif', 'webp', 'jpeg', 'png', 'gif'] };
const featurePhone: ImageCaps = { maxWidth: 240, formats: ['jpeg', 'png', 'gif'] };

describe('pickImage', () => {
  it('takes the largest rendition that fits, in a supported format', () => {
    expect(pickImage(PHOTO, smartphone)).toEqual(v(1080, 'webp'));
    expect(pickImage(PHOTO, { ...smartphone, maxWidth: 700 })).toEqual(v(640, 'webp'));
    expect(pickImage(PHOTO, featurePhone)).toEqual(v(160, 'jpeg'));
    expect(pickImage(PHOTO, { ...featurePhone, maxWidth: 320 })).toEqual(v(320, 'jpeg'));
  });

  it('takes an exact fit (width equal to the limit)', () => {
    expect(pickImage([v(240, 'jpeg'), v(480, 'jpeg')], featurePhone)).toEqual(v(240, 'jpeg'));
  });

  it('skips formats the device cannot show, however well they fit', () => {
    const webpOnlyBig = [v(1080, 'webp'), v(2048, 'avif'), v(320, 'jpeg')];
    expect(pickImage(webpOnlyBig, { maxWidth: 2048, formats: ['jpeg', 'png', 'gif'] })).toEqual(v(320, 'jpeg'));
    expect(pickImage([v(200, 'avif'), v(200, 'webp')], { maxWidth: 240, formats: ['webp', 'jpeg'] })).toEqual(
      v(200, 'webp'),
    );
  });

  it('prefers the format the device lists first between renditions of the same width', () => {
    const same = [v(640, 'jpeg'), v(640, 'avif'), v(640, 'webp')];
    expect(pickImage(same, smartphone)).toEqual(v(640, 'avif'));
    expect(pickImage(same, { maxWidth: 1080, formats: ['webp', 'jpeg'] })).toEqual(v(640, 'webp'));
  });

  it('falls back to the smallest supported rendition when none fits', () => {
    const wide = [v(2048, 'jpeg'), v(800, 'jpeg'), v(1200, 'jpeg'), v(400, 'webp')];
    expect(pickImage(wide, featurePhone)).toEqual(v(800, 'jpeg'));
  });

  it('gives nothing when no rendition is in a supported format, or there are none', () => {
    expect(pickImage([v(160, 'webp'), v(320, 'avif')], featurePhone)).toBeNull();
    expect(pickImage([], smartphone)).toBeNull();
  });
});

describe('imageCapsOf', () => {
  it('rounds the width down to a step and keeps known formats in a fixed order', () => {
    expect(imageCapsOf({ maxImageWidth: 1179, imageFormats: ['jpeg', 'avif', 'webp', 'x-bmp'] })).toEqual({
      maxWidth: 1080,
      formats: ['avif', 'webp', 'jpeg'],
    });
    expect(imageCapsOf({ maxImageWidth: 240, imageFormats: ['gif', 'png', 'jpeg'] })).toEqual(featurePhone);
    expect(imageCapsOf({ maxImageWidth: 20, imageFormats: ['jpeg'] }).maxWidth).toBe(96);
    expect(imageCapsOf({ maxImageWidth: 100_000, imageFormats: ['jpeg'] }).maxWidth).toBe(2560);
  });

  it('has safe defaults for an unknown device or an empty format list', () => {
    expect(imageCapsOf(undefined)).toEqual(DEFAULT_IMAGE_CAPS);
    expect(imageCapsOf({ maxImageWidth: 480, imageFormats: [] }).formats).toEqual(DEFAULT_IMAGE_CAPS.formats);
  });

  it('is part of the cache variant: devices that would get other images get other copies', () => {
    const base = { tier: 'rich' as const, maxPageBytes: 524_288 };
    const a = variantOf(markupOf({ ...base, maxImageWidth: 1080, imageFormats: ['webp', 'jpeg'] }, 'text/html'));
    const b = variantOf(markupOf({ ...base, maxImageWidth: 1080, imageFormats: ['jpeg'] }, 'text/html'));
    const c = variantOf(markupOf({ ...base, maxImageWidth: 720, imageFormats: ['webp', 'jpeg'] }, 'text/html'));
    const d = variantOf(markupOf({ ...base, maxImageWidth: 1100, imageFormats: ['jpeg', 'webp'] }, 'text/html'));
    expect(new Set([a, b, c]).size).toBe(3);
    expect(d).toBe(a);
    expect(imageCapsName(smartphone)).toBe('i1080awjpg');
  });
});
