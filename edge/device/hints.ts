// Reads the device-related request headers (client hints and Save-Data) into plain values.
// Every value is validated and bounded; anything malformed counts as "not sent".

export type EffectiveConnectionType = 'slow-2g' | '2g' | '3g' | '4g';

export interface ClientHints {
  /** Sec-CH-UA-Mobile: true for "?1", false for "?0". */
  mobile?: boolean;
  /** Sec-CH-UA-Model, e.g. "Pixel 8" (Chrome's reduced UA says only "K"). */
  model?: string;
  /** Sec-CH-UA-Platform, e.g. "Android", "macOS". */
  platform?: string;
  /** Layout viewport width in CSS pixels (Sec-CH-Viewport-Width or legacy Viewport-Width). */
  viewportWidth?: number;
  /** Device pixel ratio (Sec-CH-DPR or legacy DPR). */
  dpr?: number;
  /** Save-Data: on — the user asked for lighter pages. */
  saveData: boolean;
  /** ECT: the browser's estimate of the connection. */
  ect?: EffectiveConnectionType;
}

const MAX_HINT_STRING = 64;
const ECT_VALUES: readonly string[] = ['slow-2g', '2g', '3g', '4g'];

export function readClientHints(headers: Headers): ClientHints {
  const mobile = header(headers, 'Sec-CH-UA-Mobile');
  const ect = header(headers, 'ECT')?.toLowerCase();
  return {
    mobile: mobile === '?1' ? true : mobile === '?0' ? false : undefined,
    model: structuredString(header(headers, 'Sec-CH-UA-Model')),
    platform: structuredString(header(headers, 'Sec-CH-UA-Platform')),
    viewportWidth: boundedNumber(
      header(headers, 'Sec-CH-Viewport-Width') ?? header(headers, 'Viewport-Width'),
      /^\d{1,5}$/,
      100,
      8192,
    ),
    dpr: boundedNumber(header(headers, 'Sec-CH-DPR') ?? header(headers, 'DPR'), /^\d{1,2}(?:\.\d{1,4})?$/, 0.5, 8),
    saveData: header(headers, 'Save-Data')?.toLowerCase() === 'on',
    ect: ect !== undefined && ECT_VALUES.includes(ect) ? (ect as EffectiveConnectionType) : undefined,
  };
}

function header(headers: Headers, name: string): string | undefined {
  const value = headers.get(name)?.trim();
  return value ? value : undefined;
}

// Structured-field strings arrive quoted ("Pixel 8"); tolerate a bare token too.
function structuredString(raw: string | undefined): string | undefined {
  if (raw === undefined || raw.length > MAX_HINT_STRING + 2) return undefined;
  const quoted = /^"(.*)"$/.exec(raw);
  // A stray quote (an unterminated or half-quoted string) is malformed, not a model name.
  if (quoted === null && raw.includes('"')) return undefined;
  const unquoted = quoted?.[1]?.replace(/\\(["\\])/g, '$1') ?? raw;
  const value = unquoted.trim();
  return value.length > 0 && value.length <= MAX_HINT_STRING ? value : undefined;
}

function boundedNumber(raw: string | undefined, shape: RegExp, min: number, max: number): number | undefined {
  if (raw === undefined || !shape.test(raw)) return undefined;
  const value = Number(raw);
  return value >= min && value <= max ? value : undefined;
}

/** The hint headers detection reads, with the check each value must pass to count. */
const HINT_CHECKS: Record<string, (raw: string) => boolean> = {
  'Sec-CH-UA-Mobile': (raw) => raw === '?1' || raw === '?0',
  'Sec-CH-UA-Model': (raw) => structuredString(raw) !== undefined || /^"\s*"$/.test(raw),
  'Sec-CH-UA-Platform': (raw) => structuredString(raw) !== undefined,
  'Sec-CH-Viewport-Width': (raw) => boundedNumber(raw, /^\d{1,5}$/, 100, 8192) !== undefined,
  'Viewport-Width': (raw) => boundedNumber(raw, /^\d{1,5}$/, 100, 8192) !== undefined,
  'Sec-CH-DPR': (raw) => boundedNumber(raw, /^\d{1,2}(?:\.\d{1,4})?$/, 0.5, 8) !== undefined,
  DPR: (raw) => boundedNumber(raw, /^\d{1,2}(?:\.\d{1,4})?$/, 0.5, 8) !== undefined,
  'Save-Data': (raw) => raw.toLowerCase() === 'on',
  ECT: (raw) => ECT_VALUES.includes(raw.toLowerCase()),
};

/** Which hint headers came with the request and were used, and which were malformed and ignored. */
export function hintHeaderReport(headers: Headers): { used: string[]; ignored: string[] } {
  const used: string[] = [];
  const ignored: string[] = [];
  for (const [name, valid] of Object.entries(HINT_CHECKS)) {
    const raw = header(headers, name);
    if (raw === undefined) continue;
    (valid(raw) ? used : ignored).push(name);
  }
  return { used, ignored };
}
