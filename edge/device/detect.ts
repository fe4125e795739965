// Default import: ua-parser-js 1.x is a UMD file whose module.exports is the UAParser class, which
// every bundler (wrangler's esbuild, the Workers test pool) exposes as the default export.
import UAParser from 'ua-parser-js';
import { adaptToHints } from './adapt.js';
import { type ClientHints, readClientHints } from './hints.js';
import { LruCache } from './lru.js';
import { classDefault, type DeviceFeatures, matchProfile, profileById } from './table.js';

// Device detection at the edge: User-Agent + client hints -> a fully populated capability profile
// from the compiled table (device-profiles/). Runs in the Workers runtime: web APIs only.

export type DeviceClass = 'smartphone' | 'tablet' | 'feature' | 'desktop' | 'bot' | 'tv';
export type Tier = 'rich' | 'basic';

export interface DeviceProfile {
  id: string;
  class: DeviceClass;
  tier: Tier;
  screenWidth: number;
  screenHeight: number;
  maxImageWidth: number;
  imageFormats: string[];
  maxPageBytes: number;
  cookies: boolean;
  js: boolean;
  cssLevel: number;
  input: 'touch' | 'keypad' | 'pointer';
  accessKeys: boolean;
  telLinks: boolean;
}

/** Client hints the edge asks browsers for (send as the Accept-CH response header). */
export const ACCEPT_CH =
  'Sec-CH-UA-Mobile, Sec-CH-UA-Model, Sec-CH-UA-Platform, Sec-CH-Viewport-Width, Sec-CH-DPR, Viewport-Width, DPR, Save-Data, ECT';

/** Request headers detection reads; a response rendered per device must Vary on all of them. */
export const VARY_HEADERS: readonly string[] = [
  'User-Agent',
  'Sec-CH-UA-Mobile',
  'Sec-CH-UA-Model',
  'Sec-CH-UA-Platform',
  'Sec-CH-Viewport-Width',
  'Sec-CH-DPR',
  'Viewport-Width',
  'DPR',
  'Save-Data',
  'ECT',
];

/** VARY_HEADERS as one header value. */
export const VARY = VARY_HEADERS.join(', ');

/** Longer user agents are cut: real ones stay well under this, and parsing cost stays bounded. */
export const MAX_UA_LENGTH = 512;

const UNKNOWN_ID = 'unknown';

// Keyed by UA plus the hints that change the match (not those that only adapt budgets).
const classified = new LruCache<string, DeviceProfile>(512);
const parser = new UAParser();

/**
 * The capability profile for a request. Never throws: anything unparseable gets the "unknown"
 * profile (a conservative smartphone profile, see device-profiles/classes.json for why).
 * The result is a fresh object the caller may keep or modify.
 */
export function detectDevice(headers: Headers): DeviceProfile {
  try {
    const hints = readClientHints(headers);
    const ua = (headers.get('User-Agent') ?? '').trim().slice(0, MAX_UA_LENGTH);
    const key = `${ua}\n${hints.mobile}\n${hints.model ?? ''}\n${hints.platform ?? ''}`;
    let base = classified.get(key);
    if (base === undefined) {
      base = classify(ua, hints);
      classified.set(key, base);
    }
    return adaptToHints(base, hints);
  } catch {
    return copyOf(profileById(UNKNOWN_ID));
  }
}

/** Picks the table profile for a UA and the identity hints. */
function classify(ua: string, hints: ClientHints): DeviceProfile {
  if (ua === '' && hints.mobile === undefined && hints.model === undefined) return profileById(UNKNOWN_ID);
  const features = describe(ua, hints);
  return matchProfile(features) ?? fallbackFor(features.type);
}

/** Unmatched clients fall back to their class default when the parser knows the kind of device. */
function fallbackFor(type: string): DeviceProfile {
  switch (type) {
    case 'mobile':
    case 'wearable':
      return classDefault('smartphone');
    case 'tablet':
      return classDefault('tablet');
    case 'smarttv':
    case 'console':
      return classDefault('tv');
    default:
      return profileById(UNKNOWN_ID);
  }
}

// Sec-CH-UA-Platform spellings mapped to ua-parser's OS names, so one set of rules serves both.
const PLATFORM_AS_OS: Record<string, string> = {
  macos: 'mac os',
  'chrome os': 'chromium os',
  'chromium os': 'chromium os',
};

function describe(ua: string, hints: ClientHints): DeviceFeatures {
  parser.setUA(ua);
  const device = parser.getDevice();
  const os = parser.getOS();
  const browser = parser.getBrowser();

  // Client hints are the browser's own statement and beat UA guesses: Chrome's reduced UA reports
  // the model as "K", and "request desktop site" on a phone still sends Sec-CH-UA-Mobile: ?1.
  let type = device.type ?? 'none';
  if (hints.mobile === true && type === 'none') type = 'mobile';
  const platform = hints.platform?.toLowerCase();
  const osName = os.name?.toLowerCase() || (platform ? (PLATFORM_AS_OS[platform] ?? platform) : '');

  return {
    ua,
    uaLower: ua.toLowerCase(),
    vendor: device.vendor?.toLowerCase() ?? '',
    model: hints.model ?? device.model ?? '',
    os: osName,
    osVersion: majorMinor(os.version),
    browser: browser.name?.toLowerCase() ?? '',
    type,
  };
}

function majorMinor(version: string | undefined): number | undefined {
  const match = version === undefined ? null : /^(\d+)(?:[._](\d+))?/.exec(version);
  if (match === null) return undefined;
  return Number(`${match[1]}.${match[2] ?? '0'}`);
}

function copyOf(profile: DeviceProfile): DeviceProfile {
  return { ...profile, imageFormats: [...profile.imageFormats] };
}
