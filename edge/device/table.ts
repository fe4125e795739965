import compiled from '../../device-profiles/compiled.json';
import type { CompiledTable, MatchRule } from '../../device-profiles/schema.js';
import type { DeviceClass, DeviceProfile } from './detect.js';

// The compiled profile table (built by `npm run build:profiles`) and the matcher that walks it.

/** What detection knows about a client, normalised for matching (names lowercased, "" when unknown). */
export interface DeviceFeatures {
  ua: string;
  uaLower: string;
  vendor: string;
  model: string;
  os: string;
  /** major.minor as a number (e.g. 17.4); undefined when the version is not numeric. */
  osVersion: number | undefined;
  browser: string;
  /** ua-parser device type, or "none". */
  type: string;
}

interface Rule {
  ua?: RegExp;
  uaContains?: string[];
  vendor?: string;
  model?: RegExp;
  os?: string;
  browser?: string;
  type?: string;
  osVersionMin?: number;
  osVersionBelow?: number;
}

interface Matcher {
  profile: DeviceProfile;
  rules: Rule[];
}

const table = compiled as CompiledTable;

/** Version of the compiled data; part of anything cached per profile. */
export const PROFILES_VERSION: string = table.version;

// Frozen: detection hands out copies, so a caller editing its profile cannot corrupt the table.
const profilesById = new Map<string, DeviceProfile>(
  table.profiles.map((profile): [string, DeviceProfile] => {
    Object.freeze(profile.imageFormats);
    return [profile.id, Object.freeze(profile)];
  }),
);

// Regexes are compiled once per isolate, not per request.
const matchers: Matcher[] = table.matchers.map((matcher) => ({
  profile: profileById(matcher.profile),
  rules: matcher.rules.map(compileRule),
}));

function compileRule(rule: MatchRule): Rule {
  return {
    ...rule,
    ua: rule.ua === undefined ? undefined : new RegExp(rule.ua, 'i'),
    model: rule.model === undefined ? undefined : new RegExp(rule.model, 'i'),
  };
}

const lineage: Record<string, readonly string[]> = table.lineage ?? {};

/** A profile's ancestors, nearest first ([] for class defaults and unknown ids). */
export function lineageOf(id: string): readonly string[] {
  return Object.hasOwn(lineage, id) ? (lineage[id] ?? []) : [];
}

/** All profiles, frozen (tests and tooling). */
export function allProfiles(): readonly DeviceProfile[] {
  return [...profilesById.values()];
}

/** A profile by id; the compiler guarantees class defaults and "unknown" exist. */
export function profileById(id: string): DeviceProfile {
  const profile = profilesById.get(id);
  if (profile === undefined) throw new Error(`device profile "${id}" is not in the compiled table`);
  return profile;
}

export function classDefault(deviceClass: DeviceClass): DeviceProfile {
  return profileById(deviceClass);
}

/** The first matcher (in the compiled priority order) with a rule that holds, if any. */
export function matchProfile(features: DeviceFeatures): DeviceProfile | undefined {
  for (const matcher of matchers) {
    if (matcher.rules.some((rule) => ruleHolds(rule, features))) return matcher.profile;
  }
  return undefined;
}

// Cheap equality checks first, regexes last.
function ruleHolds(rule: Rule, f: DeviceFeatures): boolean {
  if (rule.type !== undefined && rule.type !== f.type) return false;
  if (rule.os !== undefined && rule.os !== f.os) return false;
  if (rule.vendor !== undefined && rule.vendor !== f.vendor) return false;
  if (rule.browser !== undefined && rule.browser !== f.browser) return false;
  if (rule.osVersionMin !== undefined && !(f.osVersion !== undefined && f.osVersion >= rule.osVersionMin)) return false;
  if (rule.osVersionBelow !== undefined && !(f.osVersion !== undefined && f.osVersion < rule.osVersionBelow)) {
    return false;
  }
  if (rule.uaContains !== undefined && !rule.uaContains.some((part) => f.uaLower.includes(part))) return false;
  if (rule.model !== undefined && !rule.model.test(f.model)) return false;
  if (rule.ua !== undefined && !rule.ua.test(f.ua)) return false;
  return true;
}
