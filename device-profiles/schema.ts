import { z } from 'zod';

// The shape of the profile data files (device-profiles/**/*.json) and of one resolved profile.
// Detection reads only the compiled table; the worker uses `Capabilities` from here for one more
// thing: validating per-tenant overrides (edge/device/overrides.ts). zod is in the worker anyway
// (shared/api.ts), so that costs nothing extra.

export const DEVICE_CLASSES = ['smartphone', 'tablet', 'feature', 'desktop', 'bot', 'tv'] as const;
export const IMAGE_FORMATS = ['avif', 'webp', 'jpeg', 'png', 'gif'] as const;

/** Id of the profile used when nothing is known about the client (empty or unrecognised UA). */
export const UNKNOWN_PROFILE_ID = 'unknown';

const pixels = z.number().int().min(64).max(8192);

export const Capabilities = z.strictObject({
  class: z.enum(DEVICE_CLASSES),
  tier: z.enum(['rich', 'basic']),
  screenWidth: pixels,
  screenHeight: pixels,
  maxImageWidth: pixels,
  imageFormats: z
    .array(z.enum(IMAGE_FORMATS))
    .min(1)
    .refine((formats) => new Set(formats).size === formats.length, 'image formats must not repeat'),
  maxPageBytes: z
    .number()
    .int()
    .min(2048)
    .max(16 * 1024 * 1024),
  cookies: z.boolean(),
  js: z.boolean(),
  cssLevel: z.union([z.literal(1), z.literal(2), z.literal(3)]),
  input: z.enum(['touch', 'keypad', 'pointer']),
  accessKeys: z.boolean(),
  telLinks: z.boolean(),
});
export type Capabilities = z.infer<typeof Capabilities>;

export const CAPABILITY_KEYS = Object.keys(Capabilities.shape) as (keyof Capabilities)[];

const regexSource = z.string().refine((source) => {
  try {
    new RegExp(source, 'i');
    return true;
  } catch {
    return false;
  }
}, 'not a valid regular expression');

const caseInsensitiveName = z.string().min(1);

/**
 * One way to recognise a profile. Every field given must hold (AND); a profile's `match` is a list
 * of rules of which any may hold (OR). Names compare case-insensitively, regexes run with the `i` flag.
 */
export const MatchRule = z
  .strictObject({
    /** Regex tested against the User-Agent header. */
    ua: regexSource.optional(),
    /** Substrings of the User-Agent; any one of them is enough. */
    uaContains: z.array(z.string().min(1)).min(1).optional(),
    /** ua-parser device vendor, e.g. "Samsung". */
    vendor: caseInsensitiveName.optional(),
    /** Regex tested against the device model (Sec-CH-UA-Model when sent, else ua-parser's model). */
    model: regexSource.optional(),
    /** ua-parser OS name, e.g. "Android", "iOS", "Mac OS". */
    os: caseInsensitiveName.optional(),
    /** ua-parser browser name, e.g. "IE", "Opera Mini". */
    browser: caseInsensitiveName.optional(),
    /** ua-parser device type; "none" means the parser found no device type (typical for desktops). */
    type: z.enum(['mobile', 'tablet', 'smarttv', 'console', 'wearable', 'embedded', 'none']).optional(),
    /** OS version (major.minor) at least this. */
    osVersionMin: z.number().nonnegative().optional(),
    /** OS version (major.minor) strictly below this. */
    osVersionBelow: z.number().positive().optional(),
  })
  .refine((rule) => Object.keys(rule).length > 0, 'a match rule needs at least one condition');
export type MatchRule = z.infer<typeof MatchRule>;

export const ProfileEntry = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'ids are lowercase letters, digits and dashes'),
  /** Profile this one inherits from; only the six class defaults (and nothing else) have none. */
  parent: z.string().optional(),
  description: z.string().optional(),
  /** Matchers with higher priority are tried first; inherited from the parent when not given. */
  priority: z.number().int().optional(),
  match: z.array(MatchRule).min(1).optional(),
  ...Capabilities.partial().shape,
});
export type ProfileEntry = z.infer<typeof ProfileEntry>;

export const ProfileFile = z.strictObject({
  description: z.string().optional(),
  profiles: z.array(ProfileEntry).min(1),
});
export type ProfileFile = z.infer<typeof ProfileFile>;

/** A profile with every capability filled in, as the worker sees it. */
export type ResolvedProfile = { id: string } & Capabilities;

/** One matcher in the compiled table: names lowercased, regexes kept as source strings. */
export interface CompiledMatcher {
  profile: string;
  rules: MatchRule[];
}

export interface CompiledTable {
  version: string;
  profiles: ResolvedProfile[];
  matchers: CompiledMatcher[];
  /** Each profile's ancestors, nearest first (class defaults have none): per-tenant overrides
   * keyed by a family id apply to every device below it. */
  lineage: Record<string, string[]>;
}
