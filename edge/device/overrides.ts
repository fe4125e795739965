// Per-tenant device overrides (Tenant.deviceOverrides): a community can change capabilities for
// one profile, a whole family or a class, e.g. { "smartphone": { "tier": "basic" } } or
// { "galaxy-a0": { "maxPageBytes": 131072 } }. Keys are profile ids (class defaults' ids are the
// class names); the most specific key wins: the profile itself, then its ancestors nearest first,
// then its class. Every value is checked against the capability schema; invalid ones (unknown
// capability, wrong type, out of range) are ignored, never applied and never an error.

import { CAPABILITY_KEYS, Capabilities } from '../../device-profiles/schema.js';
import type { DeviceOverrides } from '../../shared/api.js';
import type { DeviceProfile } from './detect.js';
import { lineageOf } from './table.js';

type Patch = Partial<Omit<DeviceProfile, 'id'>>;

const capabilityKeys: ReadonlySet<string> = new Set(CAPABILITY_KEYS);

// Tenant objects are memoized per isolate, so each one's overrides are validated once.
const validated = new WeakMap<DeviceOverrides, Map<string, Patch>>();

/** The valid part of one override entry; anything the schema rejects is dropped. */
export function validOverrides(entry: Record<string, unknown>): Patch {
  const patch: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(entry)) {
    if (!capabilityKeys.has(key)) continue;
    const schema = Capabilities.shape[key as keyof Capabilities];
    for (const candidate of candidates(key, raw)) {
      const parsed = schema.safeParse(candidate);
      if (parsed.success) {
        patch[key] = parsed.data;
        break;
      }
    }
  }
  return patch as Patch;
}

// Overrides come from tenant settings as strings, numbers or booleans; accept the obvious
// spellings ("320", "false", "webp, jpeg") besides the exact type.
function candidates(key: string, raw: unknown): unknown[] {
  if (typeof raw !== 'string') return [raw];
  const text = raw.trim();
  if (key === 'imageFormats') return [text.split(/[\s,]+/).filter((part) => part !== '')];
  const out: unknown[] = [text];
  if (/^\d{1,9}$/.test(text)) out.push(Number(text));
  if (text === 'true' || text === 'false') out.push(text === 'true');
  return out;
}

function patchFor(overrides: DeviceOverrides, key: string): Patch | undefined {
  let cache = validated.get(overrides);
  if (cache === undefined) {
    cache = new Map();
    validated.set(overrides, cache);
  }
  let patch = cache.get(key);
  if (patch === undefined) {
    const entry = Object.hasOwn(overrides, key) ? overrides[key] : undefined;
    patch = entry !== null && typeof entry === 'object' ? validOverrides(entry) : {};
    cache.set(key, patch);
  }
  return patch;
}

/** Keys that apply to a profile, least specific first (so later ones win). */
export function overrideKeys(profile: Pick<DeviceProfile, 'id' | 'class'>): string[] {
  const keys = [profile.class, ...[...lineageOf(profile.id)].reverse(), profile.id];
  return [...new Set(keys)];
}

/** One tenant override entry that changes a profile, and the capabilities it sets. */
export interface AppliedOverride {
  /** The override's key: a profile id, an ancestor family's id or the class. */
  key: string;
  set: Patch;
}

/** The override entries that change this profile, in the order they apply (later ones win). */
export function appliedOverrides(
  profile: Pick<DeviceProfile, 'id' | 'class'>,
  overrides: DeviceOverrides | undefined,
): AppliedOverride[] {
  if (overrides === undefined || overrides === null || typeof overrides !== 'object') return [];
  const applied: AppliedOverride[] = [];
  for (const key of overrideKeys(profile)) {
    const patch = patchFor(overrides, key);
    if (patch !== undefined && Object.keys(patch).length > 0) applied.push({ key, set: patch });
  }
  return applied;
}

/** A new profile with the tenant's overrides applied; the input is never modified. */
export function applyDeviceOverrides(profile: DeviceProfile, overrides: DeviceOverrides | undefined): DeviceProfile {
  const applied = appliedOverrides(profile, overrides);
  if (applied.length === 0) return profile;
  let result: DeviceProfile = profile;
  for (const { set } of applied) result = { ...result, ...set };
  return { ...result, id: profile.id, imageFormats: [...result.imageFormats] };
}
