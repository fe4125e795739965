// Default import: ua-parser-js 1.x is a UMD file whose module.exports is the UAParser class, which
// every bundler (wrangler's esbuild, the Workers test pool) exposes as the default export.
import UAParser from 'ua-parser-js';
import type { DeviceOverrides } from '../../shared/api.js';
import { adaptToHints } from './adapt.js';
import { type ClientHints, readClientHints } from './hints.js';
import { LruCache } from './lru.js';
import { applyDeviceOverrides } from './overrides.js';
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
const classified = new LruCache<string, Classified>(512);
const parser = new UAParser();

/** What the parser saw in the User-Agent (lowercased names, "" when unknown). */
export type ParsedAgent = Omit<DeviceFeatures, 'ua' | 'uaLower'>;

interface Classified {
  profile: DeviceProfile;
  parsed: ParsedAgent | null;
}

/** Detection with its workings, for GET /_edge/device. */
export interface DeviceExplanation {
  /** The final profile: table entry, then tenant overrides, then client-hint adaptation. */
  profile: DeviceProfile;
  /** The table profile before overrides and hints. */
  matched: DeviceProfile;
  hints: ClientHints;
  /** Parser output, or null when the UA said nothing (or detection failed). */
  parsed: ParsedAgent | null;
  uaLength: number;
  uaTruncated: boolean;
  /** False when detection failed and the safe fallback was served. */
  ok: boolean;
}

/**
 * The capability profile for a request, with the tenant's overrides (if given) applied before the
 * client hints narrow it. Never throws: anything unparseable gets the "unknown" profile (a
 * conservative smartphone profile, see device-profiles/classes.json for why).
 * The result is a fresh object the caller may keep or modify.
 */
export function detectDevice(headers: Headers, overrides?: DeviceOverrides): DeviceProfile {
  return explainDevice(headers, overrides).profile;
}

/** detectDevice, with what it matched and why. Never throws. */
export function explainDevice(headers: Headers, overrides?: DeviceOverrides): DeviceExplanation {
  let uaLength = 0;
  try {
    const hints = readClientHints(headers);
    const raw = headers.get('User-Agent') ?? '';
    uaLength = raw.length;
    const ua = raw.trim().slice(0, MAX_UA_LENGTH);
    const key = `${ua}\n${hints.mobile}\n${hints.model ?? ''}\n${hints.platform ?? ''}`;
    let found = classified.get(key);
    if (found === undefined) {
      found = classify(ua, hints);
      classified.set(key, found);
    }
    const profile = adaptToHints(applyDeviceOverrides(found.profile, overrides), hints);
    return {
      profile,
      matched: copyOf(found.profile),
      hints,
      parsed: found.parsed,
      uaLength,
      uaTruncated: raw.trim().length > MAX_UA_LENGTH,
      ok: true,
    };
  } catch {
    const fallback = profileById(UNKNOWN_ID);
    return {
      profile: copyOf(fallback),
      matched: copyOf(fallback),
      hints: { saveData: false },
      parsed: null,
      uaLength,
      uaTruncated: uaLength > MAX_UA_LENGTH,
      ok: false,
    };
  }
}

/** Picks the table profile for a UA and the identity hints. */
function classify(ua: string, hints: ClientHints): Classified {
  if (ua === '' && hints.mobile === undefined && hints.model === undefined) {
    return { profile: profileById(UNKNOWN_ID), parsed: null };
  }
  const features = describe(ua, hints);
  const { ua: _ua, uaLower: _uaLower, ...parsed } = features;
  return { profile: matchProfile(features) ?? fallbackFor(features.type), parsed };
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
